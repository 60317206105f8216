//! MPPE (RFC 3078) data encryption with RFC 3079 key management, stateless (key change on
//! every packet) and stateful (key change every 256 packets, resync by CCP Reset-Request).
//! Zero allocation per packet.

mod keys;
mod plausible;
mod rc4;
mod stateful;
mod stateless;

use crate::auth::MppeKeys;
use crate::wire;
use keys::DirectionKeys;

/// CCP option type for MPPE/MPPC (RFC 3078 §2).
pub const CCP_OPT_MPPE: u8 = 18;
/// Supported Bits: MPPC compression (C).
pub const MPPE_BIT_MPPC: u32 = 0x0000_0001;
/// Supported Bits: obsolete (D).
pub const MPPE_BIT_D: u32 = 0x0000_0010;
/// Supported Bits: 40-bit keys (L).
pub const MPPE_BIT_L40: u32 = 0x0000_0020;
/// Supported Bits: 128-bit keys (S).
pub const MPPE_BIT_S128: u32 = 0x0000_0040;
/// Supported Bits: 56-bit keys (M).
pub const MPPE_BIT_M56: u32 = 0x0000_0080;
/// Supported Bits: stateless mode (H).
pub const MPPE_BIT_H_STATELESS: u32 = 0x0100_0000;

/// Header bit A: the RC4 tables were re-initialized (flushed).
const FLUSHED: u16 = 0x8000;
/// Header bit D: the packet is encrypted.
const ENCRYPTED: u16 = 0x1000;
const CCOUNT_MASK: u16 = 0x0fff;
/// Number of coherency counts (12 bits).
const CCOUNT_SPACE: usize = 4096;
/// Largest forward coherency-count jump taken from a single packet (half the count space, as
/// Linux does); a packet further away is late, bogus, or the first after a loss of more than
/// this (see `stateless` for how the latter is told and followed).
const MAX_STATELESS_JUMP: u16 = 2047;

/// Negotiated key strength.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    /// 40-bit session keys (8 octets, the first three fixed to D1 26 9E).
    Bits40,
    /// 128-bit session keys.
    Bits128,
}

/// Why a received packet could not be decrypted; the packet is dropped in every case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MppeError {
    /// Shorter than the MPPE header plus one octet, or `out` too small.
    Truncated,
    /// The D (encrypted) bit is clear.
    NotEncrypted,
    /// Stateful mode lost synchronization: send a CCP Reset-Request. Returned for every packet
    /// dropped until one with the flushed bit arrives (the caller should rate-limit requests).
    ResetNeeded,
    /// Coherency count not within the accepted forward window (late, duplicate or too far ahead).
    TooFarAhead,
    /// Stateless mode: with the key its coherency count calls for, the packet is no IP packet
    /// (forged, or the first after a loss of whole count cycles): the keys did not move.
    NotIp,
}

/// One direction-pair MPPE context for a negotiated session. `Debug` shows no key material.
pub struct Mppe {
    tx: DirectionKeys,
    rx: DirectionKeys,
    tx_ccount: u16,
    rx_ccount: u16,
    stateless: bool,
    /// Stateful: the peer asked for a reset; the next packet is flushed.
    tx_flush: bool,
    /// Stateful: packets were lost; drop until a flushed packet arrives.
    rx_discard: bool,
    /// The count of the last packet dropped as out of the window, when the packet after it
    /// was not yet seen.
    rx_stray: Option<u16>,
    /// Stateless: packets in a row dropped as out of the window or decrypted to junk.
    rx_misses: u16,
}

impl std::fmt::Debug for Mppe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mppe")
            .field("stateless", &self.stateless)
            .field("tx_ccount", &self.tx_ccount)
            .field("rx_ccount", &self.rx_ccount)
            .field("rx_discard", &self.rx_discard)
            .finish_non_exhaustive()
    }
}

impl Mppe {
    /// Context from the start keys ("my send / my receive"), 40-bit using their first 8 octets.
    pub fn new(keys: &MppeKeys, strength: Strength, stateless: bool) -> Self {
        let len = match strength {
            Strength::Bits40 => 8,
            Strength::Bits128 => 16,
        };
        Mppe {
            tx: DirectionKeys::new(&keys.send, len),
            rx: DirectionKeys::new(&keys.recv, len),
            // The first packet carries count 0.
            tx_ccount: CCOUNT_MASK,
            rx_ccount: CCOUNT_MASK,
            stateless,
            tx_flush: false,
            rx_discard: false,
            rx_stray: None,
            rx_misses: 0,
        }
    }

    /// Encrypts one PPP payload. `plain` = PPP protocol field (2 bytes, uncompressed) + information.
    /// Writes into `out` the information field of a PROTO_COMPRESSED (0x00fd) frame:
    /// 2-byte MPPE header (A/B/C/D flags + 12-bit coherency count) + ciphertext. Returns length.
    /// `out` must be >= plain.len() + 2 (0 is returned and nothing sent otherwise). Handles key
    /// changes (every packet stateless; every 256 stateful) and sets the flushed bit after
    /// `reset_requested`. Zero allocation.
    pub fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        let total = plain.len() + 2;
        let Some(dst) = out.get_mut(..total) else {
            tracing::warn!(
                len = plain.len(),
                room = out.len(),
                "mppe: output buffer too small"
            );
            return 0;
        };
        dst[2..].copy_from_slice(plain);
        self.encrypt_in_place(dst)
    }

    /// Like [`Mppe::encrypt`], in place: `buf` is two bytes of room for the MPPE header
    /// followed by the plaintext (protocol field + information); returns `buf.len()`, or 0 for
    /// a `buf` without plaintext.
    pub fn encrypt_in_place(&mut self, buf: &mut [u8]) -> usize {
        let total = buf.len();
        if total <= 2 {
            return 0;
        }
        let dst = buf;
        self.tx_ccount = (self.tx_ccount + 1) & CCOUNT_MASK;
        let mut header = ENCRYPTED | self.tx_ccount;
        if self.stateless || self.tx_ccount & 0xff == 0xff || self.tx_flush {
            self.tx.rekey(1);
            self.tx_flush = false;
            header |= FLUSHED;
        }
        let (hdr, body) = dst.split_at_mut(2);
        hdr.copy_from_slice(&header.to_be_bytes());
        self.tx.apply(body);
        total
    }

    /// Decrypts the information field of a 0x00fd frame into `out` (protocol field + info; a
    /// compressed 1-byte protocol field is expanded to 2 bytes, so `out` must be >= data.len()).
    /// Handles coherency counts, lost packets and key resync. Err(MppeError::ResetNeeded) in
    /// stateful mode when the caller must send a CCP Reset-Request (and drop packets until a
    /// flushed one).
    pub fn decrypt(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize, MppeError> {
        let (Some(header), Some(payload)) = (wire::read_u16(data, 0), data.get(2..)) else {
            return Err(MppeError::Truncated);
        };
        if payload.is_empty() || out.len() < payload.len() + 1 {
            return Err(MppeError::Truncated);
        }
        if header & ENCRYPTED == 0 {
            return Err(MppeError::NotEncrypted);
        }
        let ccount = header & CCOUNT_MASK;
        let flushed = header & FLUSHED != 0;
        if self.stateless {
            self.sync_stateless(ccount, payload)?;
            let n = self.decrypt_payload(payload, out);
            Ok(self.check_stateless(payload, out, n))
        } else {
            self.sync_stateful(ccount, flushed, payload)?;
            Ok(self.decrypt_payload(payload, out))
        }
    }

    /// Decrypts `payload` with the receive keys into `out`, expanding a compressed protocol
    /// field; returns the length written.
    fn decrypt_payload(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        // Decrypt the first octet alone to see whether the protocol field was compressed (PFC).
        let mut first = [payload[0]];
        self.rx.apply(&mut first);
        let start = if first[0] & 1 == 1 {
            out[0] = 0;
            out[1] = first[0];
            2
        } else {
            out[0] = first[0];
            1
        };
        let rest = &payload[1..];
        let dst = &mut out[start..start + rest.len()];
        dst.copy_from_slice(rest);
        self.rx.apply(dst);
        start + rest.len()
    }

    /// The peer sent CCP Reset-Request: next packet goes out with the flushed bit (stateful).
    pub fn reset_requested(&mut self) {
        if !self.stateless {
            self.tx_flush = true;
        }
    }

    /// Whether `ccount` comes right after the last out-of-window packet.
    fn follows_stray(&self, ccount: u16) -> bool {
        self.rx_stray == Some(ccount.wrapping_sub(1) & CCOUNT_MASK)
    }
}
