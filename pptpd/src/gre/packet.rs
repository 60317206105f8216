//! The enhanced GRE header of PPTP (RFC 2637 §4.1): zero-copy view and parsed representation.
//!
//! ```text
//!  0                   1                   2                   3
//! |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type (0x880B)  |
//! |    Key (HW) Payload Length    |       Key (LW) Call ID          |
//! |                Sequence Number (optional, S bit)                |
//! |             Acknowledgment Number (optional, A bit)             |
//! ```

use std::fmt;

use crate::wire::{be16, be32, put_be16, put_be32};

/// GRE protocol type of PPP.
pub const GRE_PROTOCOL_PPP: u16 = 0x880B;
/// Enhanced GRE version.
pub const GRE_VERSION: u8 = 1;
/// Header length without sequence and acknowledgment numbers.
pub const GRE_BASE_LEN: usize = 8;
/// Longest header (sequence and acknowledgment present).
pub const GRE_MAX_HEADER_LEN: usize = 16;

const FLAG_C: u8 = 0x80;
const FLAG_R: u8 = 0x40;
const FLAG_K: u8 = 0x20;
const FLAG_S: u8 = 0x10;
/// Strict source route bit and recursion control: must be zero.
const FLAGS_SRECUR: u8 = 0x0f;
/// The acknowledgment bit lives in the second byte.
const FLAG_A: u8 = 0x80;
/// Reserved flags in the second byte: must be zero.
const FLAGS_RESERVED: u8 = 0x78;
const VERSION_MASK: u8 = 0x07;

/// Why a GRE packet was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreError {
    /// Shorter than its header or than header + payload length.
    Truncated,
    /// Version field is not 1.
    BadVersion(u8),
    /// Protocol type is not 0x880B.
    BadProtocol(u16),
    /// The key bit is not set.
    NoKey,
    /// Checksum, routing, strict route, recursion or reserved flags set.
    BadFlags,
    /// A payload without a sequence number.
    PayloadWithoutSeq,
}

impl GreError {
    /// A short static reason for logs and counters.
    pub fn reason(&self) -> &'static str {
        match self {
            GreError::Truncated => "truncated GRE packet",
            GreError::BadVersion(_) => "GRE version is not 1",
            GreError::BadProtocol(_) => "GRE protocol is not PPP (0x880B)",
            GreError::NoKey => "GRE key bit not set",
            GreError::BadFlags => "unsupported GRE flags",
            GreError::PayloadWithoutSeq => "GRE payload without sequence number",
        }
    }
}

impl fmt::Display for GreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for GreError {}

/// A read-only view of an enhanced GRE packet (IP header already stripped).
#[derive(Debug, Clone)]
pub struct GrePacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> GrePacket<T> {
    /// Wraps a buffer without checks; accessors return 0 / empty for missing bytes.
    pub fn new_unchecked(buffer: T) -> Self {
        GrePacket { buffer }
    }

    /// Wraps a buffer after checking version, protocol, flags and lengths.
    pub fn new_checked(buffer: T) -> Result<Self, GreError> {
        let packet = GrePacket { buffer };
        packet.check()?;
        Ok(packet)
    }

    fn check(&self) -> Result<(), GreError> {
        let buf = self.buffer.as_ref();
        if buf.len() < GRE_BASE_LEN {
            return Err(GreError::Truncated);
        }
        if self.version() != GRE_VERSION {
            return Err(GreError::BadVersion(self.version()));
        }
        if self.protocol() != GRE_PROTOCOL_PPP {
            return Err(GreError::BadProtocol(self.protocol()));
        }
        let flags = buf[0];
        if flags & FLAG_K == 0 {
            return Err(GreError::NoKey);
        }
        if flags & (FLAG_C | FLAG_R | FLAGS_SRECUR) != 0 || buf[1] & FLAGS_RESERVED != 0 {
            return Err(GreError::BadFlags);
        }
        if !self.has_seq() && self.payload_len() != 0 {
            return Err(GreError::PayloadWithoutSeq);
        }
        if buf.len() < self.header_len() + usize::from(self.payload_len()) {
            return Err(GreError::Truncated);
        }
        Ok(())
    }

    /// The version field (1 for PPTP).
    pub fn version(&self) -> u8 {
        self.buffer.as_ref().get(1).map_or(0, |b| b & VERSION_MASK)
    }

    /// The protocol type (0x880B).
    pub fn protocol(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// True when a sequence number is present (S bit).
    pub fn has_seq(&self) -> bool {
        self.buffer
            .as_ref()
            .first()
            .is_some_and(|b| b & FLAG_S != 0)
    }

    /// True when an acknowledgment number is present (A bit).
    pub fn has_ack(&self) -> bool {
        self.buffer.as_ref().get(1).is_some_and(|b| b & FLAG_A != 0)
    }

    /// Payload length from the key's high half.
    pub fn payload_len(&self) -> u16 {
        be16(self.buffer.as_ref(), 4)
    }

    /// Call id from the key's low half: the receiver's call id.
    pub fn call_id(&self) -> u16 {
        be16(self.buffer.as_ref(), 6)
    }

    /// Sequence number, when present.
    pub fn seq(&self) -> Option<u32> {
        self.has_seq()
            .then(|| be32(self.buffer.as_ref(), GRE_BASE_LEN))
    }

    /// Acknowledgment number, when present.
    pub fn ack(&self) -> Option<u32> {
        let at = GRE_BASE_LEN + if self.has_seq() { 4 } else { 0 };
        self.has_ack().then(|| be32(self.buffer.as_ref(), at))
    }

    /// Header length given the S and A bits.
    pub fn header_len(&self) -> usize {
        GRE_BASE_LEN + 4 * usize::from(self.has_seq()) + 4 * usize::from(self.has_ack())
    }

    /// The payload (exactly `payload_len` bytes; trailing bytes are ignored).
    pub fn payload(&self) -> &[u8] {
        let start = self.header_len();
        let end = start + usize::from(self.payload_len());
        self.buffer.as_ref().get(start..end).unwrap_or(&[])
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> T {
        self.buffer
    }
}

/// The parsed header of an enhanced GRE packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GreRepr {
    /// Call id of the receiver.
    pub call_id: u16,
    /// Length of the payload following the header.
    pub payload_len: u16,
    /// Sequence number (present on packets with payload).
    pub seq: Option<u32>,
    /// Acknowledgment number.
    pub ack: Option<u32>,
}

impl GreRepr {
    /// Parses a checked view.
    pub fn parse<T: AsRef<[u8]>>(packet: &GrePacket<T>) -> Result<GreRepr, GreError> {
        packet.check()?;
        Ok(GreRepr {
            call_id: packet.call_id(),
            payload_len: packet.payload_len(),
            seq: packet.seq(),
            ack: packet.ack(),
        })
    }

    /// Header length of this representation.
    pub fn header_len(&self) -> usize {
        GRE_BASE_LEN + 4 * usize::from(self.seq.is_some()) + 4 * usize::from(self.ack.is_some())
    }

    /// Writes the header (not the payload) into `buf`; returns its length, or None when
    /// `buf` is too small.
    pub fn emit(&self, buf: &mut [u8]) -> Option<usize> {
        let len = self.header_len();
        let header = buf.get_mut(..len)?;
        let mut flags = FLAG_K;
        if self.seq.is_some() {
            flags |= FLAG_S;
        }
        header[0] = flags;
        header[1] = GRE_VERSION | if self.ack.is_some() { FLAG_A } else { 0 };
        put_be16(header, 2, GRE_PROTOCOL_PPP);
        put_be16(header, 4, self.payload_len);
        put_be16(header, 6, self.call_id);
        let mut at = GRE_BASE_LEN;
        for value in [self.seq, self.ack].into_iter().flatten() {
            put_be32(header, at, value);
            at += 4;
        }
        Some(len)
    }
}

/// Parses the GRE header just enough to demultiplex: the call id in the key (our call id),
/// or None when this is not an enhanced GRE packet for PPP.
pub fn gre_call_id(packet: &[u8]) -> Option<u16> {
    let view = GrePacket::new_unchecked(packet);
    let flags = *packet.first()?;
    let ok = packet.len() >= GRE_BASE_LEN
        && view.version() == GRE_VERSION
        && view.protocol() == GRE_PROTOCOL_PPP
        && flags & FLAG_K != 0;
    ok.then(|| view.call_id())
}

#[cfg(test)]
mod tests;
