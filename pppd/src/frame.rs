//! PPP framing (RFC 1661 §2, §6.5, §6.6): protocol numbers, parsing of a received frame
//! (address/control optional, protocol field possibly compressed to one byte), building of
//! outgoing frames (always `FF 03` + 2-byte protocol) and of LCP-style control packets.
//!
//! Received bytes are read through checked views ([`FramePacket`], [`ControlPacket`]) that
//! borrow the buffer; outgoing ones are emitted into a caller-owned buffer. There is no
//! separate `Repr`: each header has two or three fields, which the views already expose.

use crate::wire;

/// Internet Protocol version 4.
pub const PROTO_IPV4: u16 = 0x0021;
/// Internet Protocol version 6.
pub const PROTO_IPV6: u16 = 0x0057;
/// Link Control Protocol.
pub const PROTO_LCP: u16 = 0xc021;
/// Password Authentication Protocol.
pub const PROTO_PAP: u16 = 0xc023;
/// Challenge Handshake Authentication Protocol (MD5, MS-CHAPv1, MS-CHAPv2).
pub const PROTO_CHAP: u16 = 0xc223;
/// IP Control Protocol.
pub const PROTO_IPCP: u16 = 0x8021;
/// IPv6 Control Protocol.
pub const PROTO_IPV6CP: u16 = 0x8057;
/// Compression Control Protocol.
pub const PROTO_CCP: u16 = 0x80fd;
/// A compressed (here: MPPE-encrypted) datagram.
pub const PROTO_COMPRESSED: u16 = 0x00fd;

/// Length of the header [`emit_header`] writes: `FF 03` + 2-byte protocol.
pub const HEADER_LEN: usize = 4;
/// Length of an LCP-style control packet header (code, identifier, 2-byte length).
pub const PACKET_HEADER_LEN: usize = 4;

/// Why a frame could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Too short to hold a protocol field.
    Truncated,
    /// `FF` not followed by `03`, or a protocol number of invalid form.
    BadHeader,
}

/// A received PPP frame as PPTP/L2TP carry it, viewed in place: optional `FF 03`, then a
/// 1-byte (PFC) or 2-byte protocol, then the information field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FramePacket<T: AsRef<[u8]>> {
    buffer: T,
    protocol: u16,
    info_at: usize,
}

impl<T: AsRef<[u8]>> FramePacket<T> {
    /// Checks the address/control and protocol fields.
    pub fn new_checked(buffer: T) -> Result<Self, FrameError> {
        let frame = buffer.as_ref();
        let rest = match frame {
            [0xff, 0x03, rest @ ..] => rest,
            [0xff, ..] => return Err(FrameError::BadHeader),
            rest => rest,
        };
        let (protocol, info) = parse_protocol(rest)?;
        let info_at = frame.len() - info.len();
        Ok(Self {
            buffer,
            protocol,
            info_at,
        })
    }

    /// The protocol field, expanded to 16 bits.
    pub fn protocol(&self) -> u16 {
        self.protocol
    }
}

impl<'a> FramePacket<&'a [u8]> {
    /// The information field (everything after the protocol field), borrowed from the frame.
    pub fn info(&self) -> &'a [u8] {
        &self.buffer[self.info_at..]
    }
}

/// Whether a frame carries a PPP control protocol (LCP, authentication, an NCP, CCP: protocol
/// numbers 0x8000 and up) rather than network-layer data.
pub fn is_control(frame: &[u8]) -> bool {
    FramePacket::new_checked(frame).is_ok_and(|f| f.protocol() >= 0x8000)
}

/// Parses a protocol field (1 or 2 bytes) at the start of `data`; returns it and the rest.
pub fn parse_protocol(data: &[u8]) -> Result<(u16, &[u8]), FrameError> {
    match data {
        [] => Err(FrameError::Truncated),
        [b0, rest @ ..] if b0 & 1 == 1 => Ok((u16::from(*b0), rest)),
        [_] => Err(FrameError::Truncated),
        [b0, b1, rest @ ..] => {
            if b1 & 1 == 0 {
                return Err(FrameError::BadHeader);
            }
            Ok((u16::from_be_bytes([*b0, *b1]), rest))
        }
    }
}

/// Writes `FF 03` + the 2-byte protocol into `out`; returns [`HEADER_LEN`], or None if `out` is too small.
pub fn emit_header(protocol: u16, out: &mut [u8]) -> Option<usize> {
    let head = out.get_mut(..HEADER_LEN)?;
    head[..2].copy_from_slice(&[0xff, 0x03]);
    wire::write_u16(head, 2, protocol)?;
    Some(HEADER_LEN)
}

/// Appends a whole frame to `out`: `FF 03` + protocol + `payload`.
pub fn emit_frame(protocol: u16, payload: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&[0xff, 0x03]);
    out.extend_from_slice(&protocol.to_be_bytes());
    out.extend_from_slice(payload);
}

/// An LCP-style control packet (LCP, IPCP, IPV6CP, CCP), viewed in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ControlPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> ControlPacket<T> {
    /// Checks the header and the Length field (trailing padding is allowed and ignored);
    /// None when shorter than its header or its Length field.
    pub fn new_checked(buffer: T) -> Option<Self> {
        let buf = buffer.as_ref();
        let len = usize::from(wire::read_u16(buf, 2)?);
        (PACKET_HEADER_LEN..=buf.len())
            .contains(&len)
            .then_some(Self { buffer })
    }

    /// Code (Configure-Request, ...).
    pub fn code(&self) -> u8 {
        self.buffer.as_ref()[0]
    }

    /// Identifier.
    pub fn id(&self) -> u8 {
        self.buffer.as_ref()[1]
    }

    fn len(&self) -> usize {
        usize::from(wire::read_u16(self.buffer.as_ref(), 2).unwrap_or(0))
    }
}

impl<'a> ControlPacket<&'a [u8]> {
    /// Data after the 4-byte header, bounded by the Length field (padding dropped).
    pub fn data(&self) -> &'a [u8] {
        &self.buffer[PACKET_HEADER_LEN..self.len()]
    }
}

/// Appends a control packet whose data `data` appends to `out`; data beyond what a 16-bit
/// length can cover is cut off.
pub fn emit_packet_with(code: u8, id: u8, out: &mut Vec<u8>, data: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.extend_from_slice(&[code, id, 0, 0]);
    data(out);
    out.truncate(start + usize::from(u16::MAX));
    let len = (out.len() - start) as u16;
    wire::write_u16(&mut out[start..], 2, len);
}

/// Appends a control packet to `out`; `data` is truncated so the length fits in 16 bits.
pub fn emit_packet(code: u8, id: u8, data: &[u8], out: &mut Vec<u8>) {
    emit_packet_with(code, id, out, |out| out.extend_from_slice(data));
}

/// A control packet in a fresh buffer (see [`emit_packet`]).
#[cfg(test)]
pub(crate) fn build_packet(code: u8, id: u8, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(PACKET_HEADER_LEN + data.len());
    emit_packet(code, id, data, &mut v);
    v
}

#[cfg(test)]
mod tests;
