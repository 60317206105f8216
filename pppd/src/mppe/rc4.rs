//! RC4, the cipher MPPE uses (RFC 3078 §2), written for MPPE's load: a stateless session keys
//! it twice for every packet (RFC 3079 §3.3) and runs it over up to 1,500 octets.
//!
//! The key schedule is unrolled over the key's length (MPPE's keys are 8 or 16 octets), and the
//! key stream is made 8 octets at a time and XORed in as one word: one store a word instead of
//! one an octet, beside the state's two an octet.

use zeroize::Zeroize;

/// An RC4 state: the permutation and its two indices. Zeroed when dropped (a clone too).
#[derive(Clone)]
pub(super) struct Rc4 {
    s: [u8; 256],
    i: u8,
    j: u8,
}

impl Rc4 {
    /// RC4 keyed with `key` (1 to 256 octets; MPPE's are 8 or 16).
    pub(super) fn new(key: &[u8]) -> Self {
        let s = if let Ok(key) = <&[u8; 16]>::try_from(key) {
            schedule_unrolled(key)
        } else if let Ok(key) = <&[u8; 8]>::try_from(key) {
            schedule_unrolled(key)
        } else {
            schedule(key)
        };
        Rc4 { s, i: 0, j: 0 }
    }

    /// XORs the next `buf.len()` octets of the key stream into `buf`.
    pub(super) fn apply(&mut self, buf: &mut [u8]) {
        let (mut i, mut j) = (self.i, self.j);
        let mut words = buf.chunks_exact_mut(8);
        for word in &mut words {
            let mut stream = [0u8; 8];
            for octet in &mut stream {
                *octet = next(&mut self.s, &mut i, &mut j);
            }
            let mixed =
                u64::from_ne_bytes(stream) ^ u64::from_ne_bytes((*word).try_into().unwrap());
            word.copy_from_slice(&mixed.to_ne_bytes());
        }
        for octet in words.into_remainder() {
            *octet ^= next(&mut self.s, &mut i, &mut j);
        }
        (self.i, self.j) = (i, j);
    }
}

impl Drop for Rc4 {
    fn drop(&mut self) {
        self.s.zeroize();
        self.i.zeroize();
        self.j.zeroize();
    }
}

/// One step of the key stream generator.
#[inline(always)]
fn next(s: &mut [u8; 256], i: &mut u8, j: &mut u8) -> u8 {
    *i = i.wrapping_add(1);
    let x = s[usize::from(*i)];
    *j = j.wrapping_add(x);
    let y = s[usize::from(*j)];
    s[usize::from(*i)] = y;
    s[usize::from(*j)] = x;
    s[usize::from(x.wrapping_add(y))]
}

/// The identity permutation the key schedule starts from.
fn identity() -> [u8; 256] {
    std::array::from_fn(|n| n as u8)
}

/// One step of the key schedule: mixes `key_octet` in at position `i`.
#[inline(always)]
fn mix(s: &mut [u8; 256], i: usize, j: &mut u8, key_octet: u8) {
    let x = s[i];
    *j = j.wrapping_add(x.wrapping_add(key_octet));
    s[i] = s[usize::from(*j)];
    s[usize::from(*j)] = x;
}

/// The key schedule for a key whose length divides 256, unrolled over the key.
fn schedule_unrolled<const LEN: usize>(key: &[u8; LEN]) -> [u8; 256] {
    const {
        assert!(
            LEN > 0 && 256 % LEN == 0,
            "the key's length must divide 256"
        )
    };
    let mut s = identity();
    let mut j = 0u8;
    for base in (0..256).step_by(LEN) {
        for (n, &octet) in key.iter().enumerate() {
            mix(&mut s, base + n, &mut j, octet);
        }
    }
    s
}

/// The key schedule for a key of any length.
fn schedule(key: &[u8]) -> [u8; 256] {
    let mut s = identity();
    let mut j = 0u8;
    for (i, &octet) in (0..256).zip(key.iter().cycle()) {
        mix(&mut s, i, &mut j, octet);
    }
    s
}

#[cfg(test)]
mod tests;
