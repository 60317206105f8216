//! One direction's MPPE key state: start key, current session key and RC4 state
//! (RFC 3079 §3.3 key changes, §3.2 40-bit salting).

use super::rc4::Rc4;
use crate::mschap::get_new_key_from_sha;
use zeroize::Zeroize;

/// First three octets of every 40-bit session key (RFC 3079 §3.2).
const SALT_40: [u8; 3] = [0xd1, 0x26, 0x9e];

/// Key schedule for one direction.
pub(super) struct DirectionKeys {
    start: [u8; 16],
    session: [u8; 16],
    /// Session key length: 8 (40-bit) or 16 (128-bit).
    len: usize,
    rc4: Rc4,
}

impl DirectionKeys {
    /// Initial session key: GetNewKeyFromSHA(start, start), salted for 40-bit; RC4 keyed with it.
    pub(super) fn new(start_key: &[u8; 16], len: usize) -> Self {
        let len = if len == 8 { 8 } else { 16 };
        let mut start = [0u8; 16];
        start[..len].copy_from_slice(&start_key[..len]);
        let mut session = [0u8; 16];
        get_new_key_from_sha(&start[..len], &start[..len], &mut session[..len]);
        if len == 8 {
            session[..3].copy_from_slice(&SALT_40);
        }
        let rc4 = Rc4::new(&session[..len]);
        DirectionKeys {
            start,
            session,
            len,
            rc4,
        }
    }

    /// Changes the session key `times` times (RFC 3079 §3.3), then re-keys RC4 from it.
    pub(super) fn rekey(&mut self, times: usize) {
        let len = self.len;
        let mut interim = [0u8; 16];
        for _ in 0..times {
            get_new_key_from_sha(
                &self.start[..len],
                &self.session[..len],
                &mut interim[..len],
            );
            let mut cipher = Rc4::new(&interim[..len]);
            self.session[..len].copy_from_slice(&interim[..len]);
            cipher.apply(&mut self.session[..len]);
            if len == 8 {
                self.session[..3].copy_from_slice(&SALT_40);
            }
        }
        interim.zeroize();
        self.rc4 = Rc4::new(&self.session[..len]);
    }

    /// The chain `times` key changes (at least one) ahead of this one, which is left as it is;
    /// its RC4 at the start of the new key's stream.
    pub(super) fn ahead(&self, times: usize) -> Self {
        let mut keys = DirectionKeys {
            start: self.start,
            session: self.session,
            len: self.len,
            rc4: self.rc4.clone(),
        };
        keys.rekey(times.max(1));
        keys
    }

    /// XORs the next `buf.len()` octets of the RC4 stream into `buf`, leaving the state as it
    /// is: right after a key change, the start of the new key's stream.
    pub(super) fn peek(&self, buf: &mut [u8]) {
        self.rc4.clone().apply(buf);
    }

    /// XORs the RC4 key stream into `buf` (the RC4 state continues).
    pub(super) fn apply(&mut self, buf: &mut [u8]) {
        self.rc4.apply(buf);
    }
}

impl Drop for DirectionKeys {
    fn drop(&mut self) {
        self.start.zeroize();
        self.session.zeroize();
    }
}

#[cfg(test)]
mod tests;
