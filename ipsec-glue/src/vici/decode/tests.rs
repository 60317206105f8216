use super::*;
use crate::vici::encode;

fn framed(payload: &[u8]) -> Vec<u8> {
    let mut out = (payload.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(payload);
    out
}

fn one(payload: &[u8]) -> Result<Option<Packet>, ViciError> {
    let mut d = Decoder::new();
    d.feed(&framed(payload));
    d.next_packet()
}

fn sample() -> Message {
    Message::new()
        .with_str("version", "1")
        .with_section(
            "conn",
            Message::new()
                .with_list(
                    "proposals",
                    ["aes256-sha1-modp1024", "aes128-sha1-modp2048"],
                )
                .with_section(
                    "children",
                    Message::new().with_section("l2tp", Message::new()),
                )
                .with_list("empty", Vec::<Vec<u8>>::new()),
        )
        .with_str("binary", vec![0, 255, 10])
        .with_str("empty", "")
}

fn all_packets() -> Vec<Packet> {
    vec![
        Packet::request("load-conn", sample()),
        Packet::CmdResponse(sample()),
        Packet::CmdUnknown,
        Packet::EventRegister("list-sa".into()),
        Packet::EventUnregister("list-sa".into()),
        Packet::EventConfirm,
        Packet::EventUnknown,
        Packet::Event {
            name: "child-updown".into(),
            msg: sample(),
        },
    ]
}

#[test]
fn every_packet_type_round_trips() {
    for p in all_packets() {
        let mut wire = Vec::new();
        encode(&p, &mut wire).unwrap();
        let mut d = Decoder::new();
        d.feed(&wire);
        assert_eq!(d.next_packet(), Ok(Some(p)));
        assert_eq!(d.next_packet(), Ok(None));
    }
}

#[test]
fn byte_at_a_time_and_back_to_back() {
    let mut wire = Vec::new();
    for p in all_packets() {
        encode(&p, &mut wire).unwrap();
    }
    let mut d = Decoder::new();
    let mut got = Vec::new();
    for b in wire {
        d.feed(&[b]);
        while let Some(p) = d.next_packet().unwrap() {
            got.push(p);
        }
    }
    assert_eq!(got, all_packets());
}

#[test]
fn order_and_duplicates_are_kept() {
    let msg = Message::new()
        .with_str("b", "1")
        .with_str("a", "2")
        .with_str("b", "3");
    let mut wire = Vec::new();
    encode(&Packet::CmdResponse(msg.clone()), &mut wire).unwrap();
    let Ok(Packet::CmdResponse(back)) = decode_payload(&wire[4..]) else {
        panic!("not a response");
    };
    let keys: Vec<_> = back.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["b", "a", "b"]);
    assert_eq!(back.get_str("b"), Some("1"));
    assert_eq!(back, msg);
}

#[test]
fn length_zero_or_over_max_is_fatal() {
    let mut d = Decoder::new();
    d.feed(&[0, 0, 0, 0]);
    assert_eq!(d.next_packet(), Err(ViciError::BadLength(0)));
    let mut d = Decoder::new();
    d.feed(&((MAX_PACKET + 1) as u32).to_be_bytes());
    assert_eq!(d.next_packet(), Err(ViciError::BadLength(MAX_PACKET + 1)));
    let mut d = Decoder::new();
    d.feed(&u32::MAX.to_be_bytes());
    assert_eq!(
        d.next_packet(),
        Err(ViciError::BadLength(u32::MAX as usize))
    );
    assert_eq!(decode_payload(&[]), Err(ViciError::BadLength(0)));
}

#[test]
fn max_sized_packet_is_accepted() {
    // CMD_RESPONSE + KEY_VALUE headers, then values filling MAX_PACKET exactly.
    let mut payload = vec![1];
    while payload.len() < MAX_PACKET {
        let room = MAX_PACKET - payload.len() - 4;
        let n = room.min(65535);
        payload.extend_from_slice(&[3, 0]);
        payload.extend_from_slice(&(n as u16).to_be_bytes());
        payload.extend(std::iter::repeat_n(b'x', n));
    }
    assert_eq!(payload.len(), MAX_PACKET);
    assert!(matches!(one(&payload), Ok(Some(Packet::CmdResponse(_)))));
}

#[test]
fn partial_packet_waits() {
    let mut d = Decoder::new();
    d.feed(&[0, 0, 0]);
    assert_eq!(d.next_packet(), Ok(None));
    d.feed(&[2, 5]);
    assert_eq!(d.next_packet(), Ok(None));
    d.feed(&[5]);
    // The two-byte packet [5, 5] is EVENT_CONFIRM with a trailing byte.
    assert_eq!(d.next_packet(), Err(ViciError::Trailing));
}

#[test]
fn unknown_packet_type() {
    assert_eq!(one(&[8]), Err(ViciError::UnknownPacketType(8)));
    assert_eq!(one(&[255, 1]), Err(ViciError::UnknownPacketType(255)));
}

#[test]
fn truncated_names_and_values() {
    assert_eq!(one(&[0]), Err(ViciError::Truncated)); // request without name length
    assert_eq!(one(&[3, 5, b'a']), Err(ViciError::Truncated)); // name shorter than said
    assert_eq!(one(&[7, 1, b'e', 3]), Err(ViciError::Truncated)); // key length missing
    assert_eq!(one(&[1, 3, 1, b'k']), Err(ViciError::Truncated)); // value length missing
    assert_eq!(one(&[1, 3, 1, b'k', 0]), Err(ViciError::Truncated)); // half a value length
    assert_eq!(one(&[1, 3, 1, b'k', 0, 3, b'v']), Err(ViciError::Truncated));
    assert_eq!(one(&[1, 1, 4, b'a']), Err(ViciError::Truncated)); // section name
    assert_eq!(one(&[1, 4, 1, b'l', 5, 0, 9]), Err(ViciError::Truncated)); // list item
}

#[test]
fn unknown_elements() {
    assert_eq!(one(&[1, 0]), Err(ViciError::UnknownElement(0)));
    assert_eq!(one(&[1, 7]), Err(ViciError::UnknownElement(7)));
    assert_eq!(one(&[1, 4, 1, b'l', 9]), Err(ViciError::UnknownElement(9)));
}

#[test]
fn misplaced_elements() {
    assert_eq!(one(&[1, 2]), Err(ViciError::Misplaced(2))); // SECTION_END at top
    assert_eq!(one(&[1, 5, 0, 0]), Err(ViciError::Misplaced(5))); // LIST_ITEM outside list
    assert_eq!(one(&[1, 6]), Err(ViciError::Misplaced(6))); // LIST_END outside list
    let in_list = |kind: u8| one(&[1, 4, 1, b'l', kind, 1, b'x']);
    assert_eq!(in_list(1), Err(ViciError::Misplaced(1)));
    assert_eq!(in_list(2), Err(ViciError::Misplaced(2)));
    assert_eq!(in_list(3), Err(ViciError::Misplaced(3)));
    assert_eq!(in_list(4), Err(ViciError::Misplaced(4)));
}

#[test]
fn unterminated_sections_and_lists() {
    assert_eq!(one(&[1, 1, 1, b's']), Err(ViciError::Unterminated));
    assert_eq!(
        one(&[1, 1, 1, b's', 1, 1, b't', 2]),
        Err(ViciError::Unterminated)
    );
    assert_eq!(one(&[1, 4, 1, b'l', 5, 0, 0]), Err(ViciError::Unterminated));
}

fn nested_payload(depth: usize) -> Vec<u8> {
    let mut p = vec![1];
    for _ in 0..depth {
        p.extend_from_slice(&[1, 1, b's']);
    }
    p.extend(std::iter::repeat_n(2, depth));
    p
}

#[test]
fn nesting_is_bounded() {
    assert!(matches!(one(&nested_payload(MAX_DEPTH)), Ok(Some(_))));
    assert_eq!(one(&nested_payload(MAX_DEPTH + 1)), Err(ViciError::TooDeep));
    assert_eq!(one(&nested_payload(10_000)), Err(ViciError::TooDeep));
}

#[test]
fn names_must_be_utf8() {
    assert_eq!(one(&[3, 1, 0xff]), Err(ViciError::NotUtf8));
    assert_eq!(one(&[1, 3, 1, 0xc3, 0, 0]), Err(ViciError::NotUtf8));
}

#[test]
fn trailing_bytes_after_bodiless_packets() {
    assert_eq!(one(&[2, 0]), Err(ViciError::Trailing));
    assert_eq!(one(&[3, 1, b'e', 0]), Err(ViciError::Trailing));
    assert_eq!(one(&[4, 0, 1]), Err(ViciError::Trailing));
}

#[test]
fn a_malformed_packet_does_not_lose_the_next() {
    let mut d = Decoder::new();
    d.feed(&framed(&[1, 2]));
    d.feed(&framed(&[5]));
    assert_eq!(d.next_packet(), Err(ViciError::Misplaced(2)));
    assert_eq!(d.next_packet(), Ok(Some(Packet::EventConfirm)));
}

#[test]
fn every_truncation_and_garbage_never_panics() {
    let mut wire = Vec::new();
    encode(&Packet::request("load-conn", sample()), &mut wire).unwrap();
    let payload = &wire[4..];
    let full = decode_payload(payload).unwrap();
    for n in 0..payload.len() {
        // A prefix cut at an element boundary is a shorter valid message, never the same one.
        if let Ok(p) = decode_payload(&payload[..n]) {
            assert_ne!(p, full, "prefix of {n} bytes");
        }
    }
    // Deterministic xorshift garbage, and single-byte corruptions of a valid payload.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 64) as usize;
        let garbage: Vec<u8> = (0..len).map(|i| (x >> (i % 8 * 8)) as u8 % 9).collect();
        let _ = decode_payload(&garbage);
        let mut bent = payload.to_vec();
        let at = (x as usize) % bent.len();
        bent[at] = (x >> 32) as u8;
        let _ = decode_payload(&bent);
    }
}
