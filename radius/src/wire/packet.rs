//! The checked, zero-copy view of a RADIUS datagram.

use std::fmt;

use super::attrs::{AttrIter, TopIter};
use super::be::be16;
use super::{Code, AUTH_LEN, HEADER_LEN, MAX_LEN, MIN_LEN};

/// Why a datagram was not accepted as a RADIUS packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketError {
    /// Shorter than the 20-octet header.
    Truncated,
    /// The Length field is outside 20..=4096.
    BadLength(u16),
    /// The Length field exceeds the datagram.
    LengthOverrun {
        /// Length field.
        length: u16,
        /// Bytes actually received.
        available: usize,
    },
    /// An attribute's length is below 2 or runs past the packet's end.
    BadAttribute {
        /// Offset of the attribute in the packet.
        at: usize,
    },
}

impl PacketError {
    /// A short static reason for logs and counters.
    pub fn reason(&self) -> &'static str {
        match self {
            PacketError::Truncated => "shorter than the RADIUS header",
            PacketError::BadLength(_) => "RADIUS Length outside 20..=4096",
            PacketError::LengthOverrun { .. } => "RADIUS Length exceeds the datagram",
            PacketError::BadAttribute { .. } => "malformed RADIUS attribute",
        }
    }
}

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for PacketError {}

/// A read-only view of a RADIUS datagram (UDP payload). Octets past the Length field are
/// padding (RFC 2865 §3) and ignored.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps a buffer without checks; accessors return 0 or empty for missing bytes.
    pub fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    /// Wraps a buffer after checking the Length field against the datagram and the bounds of
    /// RFC 2865, and that every attribute is well formed.
    pub fn new_checked(buffer: T) -> Result<Self, PacketError> {
        let packet = Packet { buffer };
        packet.check()?;
        Ok(packet)
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn check(&self) -> Result<(), PacketError> {
        let buf = self.buffer.as_ref();
        if buf.len() < HEADER_LEN {
            return Err(PacketError::Truncated);
        }
        let length = self.length();
        if !(MIN_LEN..=MAX_LEN).contains(&usize::from(length)) {
            return Err(PacketError::BadLength(length));
        }
        if usize::from(length) > buf.len() {
            return Err(PacketError::LengthOverrun {
                length,
                available: buf.len(),
            });
        }
        let mut at = HEADER_LEN;
        let end = usize::from(length);
        while at < end {
            let len = buf.get(at + 1).map_or(0, |&l| usize::from(l));
            if len < 2 || at + len > end {
                return Err(PacketError::BadAttribute { at });
            }
            at += len;
        }
        Ok(())
    }

    /// The packet's bytes, up to the Length field (padding excluded).
    pub fn as_bytes(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        &buf[..usize::from(self.length()).min(buf.len())]
    }

    /// Code field.
    pub fn code(&self) -> Code {
        Code::from(self.buffer.as_ref().first().copied().unwrap_or(0))
    }

    /// Identifier field.
    pub fn identifier(&self) -> u8 {
        self.buffer.as_ref().get(1).copied().unwrap_or(0)
    }

    /// Length field.
    pub fn length(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// Authenticator field (Request or Response Authenticator, by code).
    pub fn authenticator(&self) -> [u8; AUTH_LEN] {
        let mut auth = [0; AUTH_LEN];
        if let Some(src) = self.buffer.as_ref().get(4..HEADER_LEN) {
            auth.copy_from_slice(src);
        }
        auth
    }

    /// The attributes, with each Vendor-Specific attribute's sub-attributes flattened.
    pub fn attributes(&self) -> AttrIter<'_> {
        AttrIter::new(self.attribute_bytes())
    }

    /// The attribute section's bytes.
    pub fn attribute_bytes(&self) -> &[u8] {
        self.as_bytes().get(HEADER_LEN..).unwrap_or(&[])
    }

    /// Offset in the packet of the first value of top-level attribute `typ`, with its length.
    pub(crate) fn find_top(&self, typ: u8) -> Option<(usize, usize)> {
        TopIter::new(self.attribute_bytes())
            .find(|a| a.typ == typ)
            .map(|a| (HEADER_LEN + a.value_at, a.value.len()))
    }
}

#[cfg(test)]
mod tests;
