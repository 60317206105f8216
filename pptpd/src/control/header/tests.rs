use super::*;

fn header(len: u16, pptp_type: u16, magic: u32, kind: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(&pptp_type.to_be_bytes());
    v.extend_from_slice(&magic.to_be_bytes());
    v.extend_from_slice(&kind.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.resize(usize::from(len.max(12)), 0);
    v
}

#[test]
fn type_round_trip_and_lengths() {
    for raw in 1..=15 {
        let kind = MessageType::from_u16(raw).unwrap();
        assert_eq!(kind.to_u16(), raw);
        assert!(kind.fixed_len() >= 16 && kind.fixed_len() <= 220);
    }
    assert_eq!(MessageType::from_u16(0), None);
    assert_eq!(MessageType::from_u16(16), None);
}

#[test]
fn prefix_checks() {
    assert_eq!(check_prefix(&[]), Ok(None));
    assert_eq!(check_prefix(&[0]), Ok(None));
    assert_eq!(check_prefix(&[0, 11]), Err(Error::TooShort(11)));
    assert_eq!(check_prefix(&[0x02, 0x01]), Err(Error::Oversized(513)));
    assert_eq!(check_prefix(&[0, 16, 0, 1]), Ok(None));
    let ok = header(16, 1, MAGIC_COOKIE, 5);
    assert_eq!(
        check_prefix(&ok[..12]),
        Ok(Some((MessageType::EchoRequest, 16)))
    );
    let bad = header(16, 1, 0xdead_beef, 5);
    assert_eq!(check_prefix(&bad), Err(Error::BadMagic(0xdead_beef)));
    let bad = header(16, 2, MAGIC_COOKIE, 5);
    assert_eq!(check_prefix(&bad), Err(Error::NotControl(2)));
    let bad = header(16, 1, MAGIC_COOKIE, 16);
    assert_eq!(check_prefix(&bad), Err(Error::UnknownType(16)));
    let bad = header(20, 1, MAGIC_COOKIE, 5);
    assert_eq!(
        check_prefix(&bad),
        Err(Error::WrongLength(MessageType::EchoRequest, 20))
    );
}

#[test]
fn checked_view() {
    let ok = header(16, 1, MAGIC_COOKIE, 5);
    let p = ControlPacket::new_checked(&ok[..]).unwrap();
    assert_eq!(p.length(), 16);
    assert_eq!(p.message_type(), 5);
    assert_eq!(p.body().len(), 4);
    assert_eq!(
        ControlPacket::new_checked(&ok[..15]).unwrap_err(),
        Error::Truncated
    );
    assert_eq!(
        ControlPacket::new_checked(&ok[..5]).unwrap_err(),
        Error::Truncated
    );
    let e = Error::WrongLength(MessageType::EchoRequest, 20);
    assert!(e.to_string().contains("Echo-Request must be 16 bytes"));
}
