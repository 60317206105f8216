use super::*;

fn bytes(packet: &Packet) -> Vec<u8> {
    let mut out = Vec::new();
    encode(packet, &mut out).expect("encodes");
    out
}

#[test]
fn register_is_type_name_and_length_prefix() {
    let mut want = vec![0, 0, 0, 14, 3, 12];
    want.extend_from_slice(b"child-updown");
    assert_eq!(bytes(&Packet::EventRegister("child-updown".into())), want);
}

#[test]
fn packets_without_body_are_one_byte() {
    assert_eq!(bytes(&Packet::CmdUnknown), [0, 0, 0, 1, 2]);
    assert_eq!(bytes(&Packet::EventConfirm), [0, 0, 0, 1, 5]);
    assert_eq!(bytes(&Packet::EventUnknown), [0, 0, 0, 1, 6]);
    assert_eq!(bytes(&Packet::CmdResponse(Message::new())), [0, 0, 0, 1, 1]);
}

#[test]
fn request_with_key_value() {
    let p = Packet::request("unload-conn", Message::new().with_str("name", "x"));
    let mut want = vec![0, 0, 0, 22, 0, 11];
    want.extend_from_slice(b"unload-conn");
    want.extend_from_slice(&[3, 4]);
    want.extend_from_slice(b"name");
    want.extend_from_slice(&[0, 1, b'x']);
    assert_eq!(bytes(&p), want);
}

#[test]
fn section_and_list_elements() {
    let msg = Message::new()
        .with_section("s", Message::new().with_str("k", "v"))
        .with_list("l", ["1", "23"]);
    let want = [
        0, 0, 0, 26, // length
        0, 1, b'a', // CMD_REQUEST "a"
        1, 1, b's', // SECTION_START "s"
        3, 1, b'k', 0, 1, b'v', // KEY_VALUE k = v
        2,    // SECTION_END
        4, 1, b'l', // LIST_START "l"
        5, 0, 1, b'1', // LIST_ITEM "1"
        5, 0, 2, b'2', b'3', // LIST_ITEM "23"
        6,    // LIST_END
    ];
    assert_eq!(bytes(&Packet::request("a", msg)), want);
}

#[test]
fn event_with_body() {
    let p = Packet::Event {
        name: "e".into(),
        msg: Message::new().with_str("up", "yes"),
    };
    assert_eq!(
        bytes(&p),
        [0, 0, 0, 12, 7, 1, b'e', 3, 2, b'u', b'p', 0, 3, b'y', b'e', b's']
    );
}

#[test]
fn appends_after_existing_bytes() {
    let mut out = vec![9, 9];
    encode(&Packet::EventConfirm, &mut out).unwrap();
    assert_eq!(out, [9, 9, 0, 0, 0, 1, 5]);
}

fn refused(packet: &Packet, err: ViciError) {
    let mut out = vec![7];
    assert_eq!(encode(packet, &mut out), Err(err));
    assert_eq!(out, [7], "output left as it was");
}

#[test]
fn name_over_255_bytes_is_refused() {
    refused(&Packet::EventRegister("x".repeat(256)), ViciError::TooLong);
    let msg = Message::new().with_str("k".repeat(256), "v");
    refused(&Packet::request("c", msg), ViciError::TooLong);
    assert!(encode(&Packet::EventRegister("x".repeat(255)), &mut Vec::new()).is_ok());
}

#[test]
fn value_over_65535_bytes_is_refused() {
    let msg = Message::new().with_str("k", vec![0; 65536]);
    refused(&Packet::request("c", msg), ViciError::TooLong);
    let msg = Message::new().with_list("l", [vec![0; 65536]]);
    refused(&Packet::request("c", msg), ViciError::TooLong);
    let msg = Message::new().with_str("k", vec![0; 65535]);
    assert!(encode(&Packet::request("c", msg), &mut Vec::new()).is_ok());
}

fn nested(depth: usize) -> Message {
    (0..depth).fold(Message::new(), |m, _| Message::new().with_section("s", m))
}

#[test]
fn nesting_is_bounded() {
    assert!(encode(&Packet::CmdResponse(nested(MAX_DEPTH)), &mut Vec::new()).is_ok());
    refused(
        &Packet::CmdResponse(nested(MAX_DEPTH + 1)),
        ViciError::TooDeep,
    );
}

#[test]
fn payload_over_max_is_refused() {
    let value = vec![0u8; 60_000];
    let msg = (0..9).fold(Message::new(), |m, _| m.with_str("k", value.clone()));
    let mut out = vec![7];
    assert!(matches!(
        encode(&Packet::CmdResponse(msg), &mut out),
        Err(ViciError::BadLength(n)) if n > MAX_PACKET
    ));
    assert_eq!(out, [7]);
}
