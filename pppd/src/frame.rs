//! PPP framing (RFC 1661 §2, §6.5, §6.6): protocol numbers, parsing of a received frame
//! (address/control optional, protocol field possibly compressed to one byte), building of
//! outgoing frames (always `FF 03` + 2-byte protocol) and of LCP-style control packets.

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

/// Length of the header [`write_header`] emits: `FF 03` + 2-byte protocol.
pub const HEADER_LEN: usize = 4;
/// Length of an LCP-style control packet header (code, identifier, 2-byte length).
pub const PACKET_HEADER_LEN: usize = 4;

/// A received PPP frame, viewed in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The protocol field, expanded to 16 bits.
    pub protocol: u16,
    /// The information field (everything after the protocol field).
    pub info: &'a [u8],
}

/// Why a frame could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// Too short to hold a protocol field.
    Truncated,
    /// `FF` not followed by `03`, or a protocol number of invalid form.
    BadHeader,
}

/// Parses a frame as PPTP/L2TP carry it: optional `FF 03`, then a 1-byte (PFC) or 2-byte protocol.
pub fn parse(frame: &[u8]) -> Result<Frame<'_>, FrameError> {
    let rest = match frame {
        [0xff, 0x03, rest @ ..] => rest,
        [0xff, ..] => return Err(FrameError::BadHeader),
        rest => rest,
    };
    let (protocol, info) = parse_protocol(rest)?;
    Ok(Frame { protocol, info })
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
pub fn write_header(protocol: u16, out: &mut [u8]) -> Option<usize> {
    let head = out.get_mut(..HEADER_LEN)?;
    let [hi, lo] = protocol.to_be_bytes();
    head.copy_from_slice(&[0xff, 0x03, hi, lo]);
    Some(HEADER_LEN)
}

/// Builds a whole frame: `FF 03` + protocol + `payload`.
pub fn build(protocol: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER_LEN + payload.len());
    v.extend_from_slice(&[0xff, 0x03]);
    v.extend_from_slice(&protocol.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// An LCP-style control packet (LCP, IPCP, IPV6CP, CCP), viewed in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet<'a> {
    /// Code (Configure-Request, ...).
    pub code: u8,
    /// Identifier.
    pub id: u8,
    /// Data after the 4-byte header, bounded by the Length field (padding dropped).
    pub data: &'a [u8],
}

/// Parses a control packet; None if shorter than its header or its Length field.
pub fn parse_packet(buf: &[u8]) -> Option<Packet<'_>> {
    let [code, id, l0, l1, ..] = *buf else {
        return None;
    };
    let len = usize::from(u16::from_be_bytes([l0, l1]));
    if len < PACKET_HEADER_LEN {
        return None;
    }
    let data = buf.get(PACKET_HEADER_LEN..len)?;
    Some(Packet { code, id, data })
}

/// Builds a control packet; `data` is truncated so the length fits in 16 bits.
pub fn build_packet(code: u8, id: u8, data: &[u8]) -> Vec<u8> {
    let data = &data[..data.len().min(usize::from(u16::MAX) - PACKET_HEADER_LEN)];
    let len = (PACKET_HEADER_LEN + data.len()) as u16;
    let mut v = Vec::with_capacity(usize::from(len));
    v.extend_from_slice(&[code, id]);
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(data);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_compressed_headers() {
        let f = parse(&[0xff, 0x03, 0xc0, 0x21, 1, 2]).unwrap();
        assert_eq!((f.protocol, f.info), (PROTO_LCP, &[1u8, 2][..]));
        let f = parse(&[0x80, 0x21, 9]).unwrap();
        assert_eq!((f.protocol, f.info), (PROTO_IPCP, &[9u8][..]));
        let f = parse(&[0x21, 0x45]).unwrap();
        assert_eq!((f.protocol, f.info), (PROTO_IPV4, &[0x45u8][..]));
        let f = parse(&[0xff, 0x03, 0xfd, 7]).unwrap();
        assert_eq!(f.protocol, PROTO_COMPRESSED);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse(&[]), Err(FrameError::Truncated));
        assert_eq!(parse(&[0xff, 0x03]), Err(FrameError::Truncated));
        assert_eq!(parse(&[0xff, 0x05, 0x00, 0x21]), Err(FrameError::BadHeader));
        assert_eq!(parse(&[0xc0]), Err(FrameError::Truncated));
        assert_eq!(parse(&[0xc0, 0x20]), Err(FrameError::BadHeader));
    }

    #[test]
    fn builds_frames_and_headers() {
        assert_eq!(build(PROTO_CCP, &[1]), vec![0xff, 0x03, 0x80, 0xfd, 1]);
        let mut b = [0u8; 4];
        assert_eq!(write_header(PROTO_COMPRESSED, &mut b), Some(4));
        assert_eq!(b, [0xff, 0x03, 0x00, 0xfd]);
        assert_eq!(write_header(PROTO_IPV4, &mut [0u8; 3]), None);
    }

    #[test]
    fn control_packets() {
        let p = build_packet(1, 7, &[5, 6, 0, 0, 0, 1]);
        assert_eq!(p[..4], [1, 7, 0, 10]);
        let mut padded = p.clone();
        padded.extend_from_slice(&[0, 0]);
        let v = parse_packet(&padded).unwrap();
        assert_eq!((v.code, v.id, v.data), (1, 7, &p[4..]));
        assert_eq!(parse_packet(&[1, 1, 0]), None);
        assert_eq!(parse_packet(&[1, 1, 0, 3]), None);
        assert_eq!(parse_packet(&[1, 1, 0, 9, 0]), None);
    }
}
