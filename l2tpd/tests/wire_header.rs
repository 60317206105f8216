//! L2TP header: round trips and every rejection.

use l2tpd::header::{Header, HeaderError, Packet, CONTROL_HEADER_LEN};

fn datagram(header: &Header, payload: &[u8]) -> Vec<u8> {
    let mut buf = vec![0; header.header_len() + payload.len()];
    let n = header.emit(payload.len(), &mut buf).unwrap();
    buf[n..].copy_from_slice(payload);
    buf
}

#[test]
fn control_round_trip() {
    let header = Header::control(0x1234, 0x5678, 5, 7);
    assert_eq!(header.header_len(), CONTROL_HEADER_LEN);
    let buf = datagram(&header, b"avps");
    assert_eq!(
        &buf[..12],
        &[0xc8, 0x02, 0, 16, 0x12, 0x34, 0x56, 0x78, 0, 5, 0, 7]
    );
    let (parsed, payload) = Header::parse(&buf).unwrap();
    assert_eq!(parsed, header);
    assert_eq!(payload, b"avps");
    let packet = Packet::new_checked(&buf[..]).unwrap();
    assert!(packet.is_control());
    assert_eq!((packet.ns(), packet.nr()), (Some(5), Some(7)));
    assert_eq!(packet.length(), Some(16));
}

#[test]
fn data_without_sequence() {
    let header = Header::data(9, 10);
    let buf = datagram(&header, &[0xff, 0x03, 0xc0, 0x21]);
    assert_eq!(&buf[..6], &[0x00, 0x02, 0, 9, 0, 10]);
    let (parsed, payload) = Header::parse(&buf).unwrap();
    assert_eq!(parsed, header);
    assert_eq!(payload, &[0xff, 0x03, 0xc0, 0x21]);
}

#[test]
fn data_with_length_sequence_offset_and_priority() {
    let header = Header {
        with_length: true,
        priority: true,
        sequence: Some((3, 0)),
        offset: Some(3),
        ..Header::data(1, 2)
    };
    assert_eq!(header.header_len(), 2 + 2 + 4 + 4 + 2 + 3);
    let buf = datagram(&header, b"ppp");
    assert_eq!(buf[0], 0x4b);
    assert_eq!(buf[1], 0x02);
    assert_eq!(&buf[14..17], &[0, 0, 0]);
    let (parsed, payload) = Header::parse(&buf).unwrap();
    assert_eq!(parsed, header);
    assert_eq!(payload, b"ppp");
}

#[test]
fn data_with_offset_only() {
    let header = Header {
        offset: Some(0),
        ..Header::data(1, 2)
    };
    let buf = datagram(&header, b"x");
    assert_eq!(Header::parse(&buf).unwrap(), (header, &b"x"[..]));
}

#[test]
fn trailing_bytes_after_length_are_ignored() {
    let mut buf = datagram(&Header::control(1, 0, 0, 0), b"ab");
    buf.extend_from_slice(b"junk");
    let (_, payload) = Header::parse(&buf).unwrap();
    assert_eq!(payload, b"ab");
}

#[test]
fn reserved_header_bits_are_ignored() {
    let mut buf = datagram(&Header::data(1, 2), b"x");
    buf[0] |= 0x30;
    buf[1] |= 0xf0;
    assert!(Header::parse(&buf).is_ok());
}

#[test]
fn versions_one_and_three_are_told_apart() {
    let mut buf = datagram(&Header::control(1, 0, 0, 0), b"");
    buf[1] = 0x01;
    assert_eq!(Header::parse(&buf), Err(HeaderError::L2f));
    buf[1] = 0x03;
    assert_eq!(Header::parse(&buf), Err(HeaderError::L2tpV3));
    buf[1] = 0x07;
    assert_eq!(Header::parse(&buf), Err(HeaderError::BadVersion(7)));
}

#[test]
fn control_flag_combinations() {
    let base = datagram(&Header::control(1, 0, 0, 0), b"");
    for first in [0x88, 0xc0, 0xca, 0xc9] {
        let mut buf = base.clone();
        buf.extend_from_slice(&[0, 0]);
        buf[0] = first;
        assert_eq!(
            Header::parse(&buf),
            Err(HeaderError::BadControlFlags),
            "{first:#x}"
        );
    }
}

#[test]
fn length_errors() {
    let mut buf = datagram(&Header::control(1, 0, 0, 0), b"abc");
    buf[3] = 16;
    assert_eq!(
        Header::parse(&buf),
        Err(HeaderError::LengthOverrun {
            length: 16,
            available: 15
        })
    );
    buf[3] = 11;
    assert_eq!(Header::parse(&buf), Err(HeaderError::LengthTooShort(11)));
}

#[test]
fn truncated() {
    let buf = datagram(&Header::control(1, 0, 0, 0), b"");
    for len in 0..buf.len() {
        assert_eq!(
            Header::parse(&buf[..len]),
            Err(HeaderError::Truncated),
            "{len}"
        );
    }
    assert_eq!(
        Header::parse(&[0x00, 0x02, 0, 1, 0]),
        Err(HeaderError::Truncated)
    );
}

#[test]
fn offset_overrun() {
    let header = Header {
        offset: Some(4),
        ..Header::data(1, 2)
    };
    let buf = datagram(&header, b"");
    assert!(Header::parse(&buf).is_ok());
    assert_eq!(
        Header::parse(&buf[..buf.len() - 1]),
        Err(HeaderError::OffsetOverrun(4))
    );
}

#[test]
fn emit_refuses_short_buffers_and_huge_lengths() {
    let header = Header::control(1, 0, 0, 0);
    assert_eq!(header.emit(0, &mut [0; 11]), None);
    assert_eq!(header.emit(65_535, &mut [0; 12]), None);
}
