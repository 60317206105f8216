use super::*;

fn packet(repr: GreRepr, payload: &[u8]) -> Vec<u8> {
    let mut buf = vec![0; repr.header_len() + payload.len()];
    let h = repr.emit(&mut buf).unwrap();
    buf[h..].copy_from_slice(payload);
    buf
}

#[test]
fn round_trip_all_shapes() {
    for (seq, ack, payload) in [
        (Some(7), Some(3), &b"hello"[..]),
        (Some(0), None, &b"x"[..]),
        (None, Some(u32::MAX), &b""[..]),
    ] {
        let repr = GreRepr {
            call_id: 0x1234,
            payload_len: payload.len() as u16,
            seq,
            ack,
        };
        let bytes = packet(repr, payload);
        let view = GrePacket::new_checked(&bytes[..]).unwrap();
        assert_eq!(GreRepr::parse(&view), Ok(repr));
        assert_eq!(view.payload(), payload);
        assert_eq!(view.call_id(), 0x1234);
        assert_eq!(gre_call_id(&bytes), Some(0x1234));
    }
}

#[test]
fn wire_layout() {
    let repr = GreRepr {
        call_id: 0x0102,
        payload_len: 2,
        seq: Some(5),
        ack: Some(4),
    };
    let bytes = packet(repr, &[0xff, 0x03]);
    assert_eq!(
        bytes,
        [0x30, 0x81, 0x88, 0x0b, 0, 2, 1, 2, 0, 0, 0, 5, 0, 0, 0, 4, 0xff, 0x03]
    );
}

#[test]
fn rejects_bad_packets() {
    let good = packet(
        GreRepr {
            call_id: 1,
            payload_len: 4,
            seq: Some(1),
            ack: None,
        },
        &[1, 2, 3, 4],
    );
    let check = |b: &[u8]| GrePacket::new_checked(b).map(|_| ()).unwrap_err();
    assert_eq!(check(&good[..7]), GreError::Truncated);
    assert_eq!(check(&good[..good.len() - 1]), GreError::Truncated);
    let mut b = good.clone();
    b[1] = 0;
    assert_eq!(check(&b), GreError::BadVersion(0));
    assert_eq!(gre_call_id(&b), None);
    let mut b = good.clone();
    b[3] = 0x0c;
    assert_eq!(check(&b), GreError::BadProtocol(0x880c));
    let mut b = good.clone();
    b[0] &= !FLAG_K;
    assert_eq!(check(&b), GreError::NoKey);
    for bad in [FLAG_C, FLAG_R, 0x08, 0x01] {
        let mut b = good.clone();
        b[0] |= bad;
        assert_eq!(check(&b), GreError::BadFlags);
    }
    let mut b = good.clone();
    b[1] |= 0x08;
    assert_eq!(check(&b), GreError::BadFlags);
    let mut b = good.clone();
    b[0] &= !FLAG_S;
    assert_eq!(check(&b), GreError::PayloadWithoutSeq);
    // Trailing padding is tolerated and not part of the payload.
    let mut b = good;
    b.extend_from_slice(&[0, 0]);
    assert_eq!(
        GrePacket::new_checked(&b[..]).unwrap().payload(),
        &[1, 2, 3, 4]
    );
    assert_eq!(gre_call_id(&[]), None);
}
