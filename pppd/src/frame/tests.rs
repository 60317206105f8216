use super::*;

fn parse(frame: &[u8]) -> Result<(u16, &[u8]), FrameError> {
    FramePacket::new_checked(frame).map(|f| (f.protocol(), f.info()))
}

#[test]
fn parses_full_and_compressed_headers() {
    assert_eq!(
        parse(&[0xff, 0x03, 0xc0, 0x21, 1, 2]),
        Ok((PROTO_LCP, &[1u8, 2][..]))
    );
    assert_eq!(parse(&[0x80, 0x21, 9]), Ok((PROTO_IPCP, &[9u8][..])));
    assert_eq!(parse(&[0x21, 0x45]), Ok((PROTO_IPV4, &[0x45u8][..])));
    assert_eq!(
        parse(&[0xff, 0x03, 0xfd, 7]).map(|f| f.0),
        Ok(PROTO_COMPRESSED)
    );
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
fn emits_frames_and_headers() {
    let mut v = vec![9];
    emit_frame(PROTO_CCP, &[1], &mut v);
    assert_eq!(v, vec![9, 0xff, 0x03, 0x80, 0xfd, 1]);
    let mut b = [0u8; 4];
    assert_eq!(emit_header(PROTO_COMPRESSED, &mut b), Some(4));
    assert_eq!(b, [0xff, 0x03, 0x00, 0xfd]);
    assert_eq!(emit_header(PROTO_IPV4, &mut [0u8; 3]), None);
}

#[test]
fn control_packets() {
    let p = build_packet(1, 7, &[5, 6, 0, 0, 0, 1]);
    assert_eq!(p[..4], [1, 7, 0, 10]);
    let mut padded = p.clone();
    padded.extend_from_slice(&[0, 0]);
    let v = ControlPacket::new_checked(&padded[..]).unwrap();
    assert_eq!((v.code(), v.id(), v.data()), (1, 7, &p[4..]));
    assert_eq!(ControlPacket::new_checked(&[1u8, 1, 0][..]), None);
    assert_eq!(ControlPacket::new_checked(&[1u8, 1, 0, 3][..]), None);
    assert_eq!(ControlPacket::new_checked(&[1u8, 1, 0, 9, 0][..]), None);
}

#[test]
fn oversized_control_data_is_cut_to_the_length_field() {
    let p = build_packet(9, 1, &vec![7; 70_000]);
    assert_eq!(p.len(), usize::from(u16::MAX));
    assert_eq!(p[2..4], [0xff, 0xff]);
}

#[test]
fn control_protocols_are_told_from_network_data() {
    assert!(is_control(&[0xff, 0x03, 0xc0, 0x21, 9]), "LCP");
    assert!(
        is_control(&[0x80, 0xfd, 14]),
        "CCP without address and control fields"
    );
    assert!(!is_control(&[0xff, 0x03, 0x00, 0x21, 0x45]), "IPv4");
    assert!(
        !is_control(&[0xfd, 0x90, 0x01]),
        "MPPE data, compressed protocol field"
    );
    assert!(!is_control(&[0xff, 0x05]), "a bad header");
}
