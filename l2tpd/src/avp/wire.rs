//! The AVP wire format (§4.1): zero-copy view, iterator and encoder.
//!
//! ```text
//! |M|H| rsvd  |      Length       |           Vendor ID           |
//! |         Attribute Type        |        Attribute Value...
//! ```

use super::{AvpError, AvpValue};
use crate::wire::be16;

/// Bytes before the value: flags/length, Vendor ID, Attribute Type.
pub const AVP_HEADER_LEN: usize = 6;
/// Largest AVP the 10-bit Length can describe.
pub const AVP_MAX_LEN: usize = 1023;

const FLAG_M: u16 = 0x8000;
const FLAG_H: u16 = 0x4000;
const RESERVED: u16 = 0x3c00;
const LENGTH_MASK: u16 = 0x03ff;

/// A read-only view of one AVP (the buffer may run on past it).
#[derive(Debug, Clone)]
pub struct AvpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> AvpPacket<T> {
    /// Wraps a buffer without checks; accessors return 0 / empty for missing bytes.
    pub fn new_unchecked(buffer: T) -> Self {
        AvpPacket { buffer }
    }

    /// Wraps a buffer after checking the Length (>= 6, fits) and the reserved bits.
    pub fn new_checked(buffer: T) -> Result<Self, AvpError> {
        let packet = AvpPacket { buffer };
        let available = packet.buffer.as_ref().len();
        if available < AVP_HEADER_LEN {
            return Err(AvpError::Truncated);
        }
        let length = packet.length();
        if usize::from(length) < AVP_HEADER_LEN || usize::from(length) > available {
            return Err(AvpError::BadLength(length));
        }
        if packet.flags() & RESERVED != 0 {
            return Err(AvpError::ReservedBits {
                vendor_id: packet.vendor_id(),
                attribute: packet.attribute_type(),
            });
        }
        Ok(packet)
    }

    fn flags(&self) -> u16 {
        be16(self.buffer.as_ref(), 0)
    }

    /// M bit.
    pub fn mandatory(&self) -> bool {
        self.flags() & FLAG_M != 0
    }

    /// H bit.
    pub fn hidden(&self) -> bool {
        self.flags() & FLAG_H != 0
    }

    /// Length of the whole AVP, header included.
    pub fn length(&self) -> u16 {
        self.flags() & LENGTH_MASK
    }

    /// Vendor ID (0 = IETF).
    pub fn vendor_id(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// Attribute Type.
    pub fn attribute_type(&self) -> u16 {
        be16(self.buffer.as_ref(), 4)
    }

    /// The value bytes (still hidden if H is set).
    pub fn value(&self) -> &[u8] {
        self.buffer
            .as_ref()
            .get(AVP_HEADER_LEN..usize::from(self.length()))
            .unwrap_or(&[])
    }
}

/// Walks the AVPs of a control message payload; stops after the first error.
#[derive(Debug, Clone)]
pub struct AvpIter<'a> {
    rest: &'a [u8],
}

impl<'a> AvpIter<'a> {
    /// Iterates over `payload` (the bytes after the L2TP header).
    pub fn new(payload: &'a [u8]) -> Self {
        AvpIter { rest: payload }
    }
}

impl<'a> Iterator for AvpIter<'a> {
    type Item = Result<AvpPacket<&'a [u8]>, AvpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match AvpPacket::new_checked(self.rest) {
            Ok(packet) => {
                let (this, rest) = self.rest.split_at(usize::from(packet.length()));
                self.rest = rest;
                Some(Ok(AvpPacket::new_unchecked(this)))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Encodes an AVP header followed by `value` (already hidden if `hidden`).
pub(super) fn encode(
    mandatory: bool,
    hidden: bool,
    avp: &AvpValue,
    value: &[u8],
) -> Option<Vec<u8>> {
    let length = AVP_HEADER_LEN + value.len();
    if length > AVP_MAX_LEN {
        return None;
    }
    let mut flags = length as u16;
    if mandatory {
        flags |= FLAG_M;
    }
    if hidden {
        flags |= FLAG_H;
    }
    let mut out = Vec::with_capacity(length);
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&avp.vendor_id().to_be_bytes());
    out.extend_from_slice(&avp.attribute().to_be_bytes());
    out.extend_from_slice(value);
    Some(out)
}
