use super::*;
use crate::sa::tests::{child, ike};

fn updown(up: bool) -> Message {
    let msg = if up {
        Message::new().with_str("up", "yes")
    } else {
        Message::new()
    };
    msg.with_section(
        "rasd-l2tp-psk",
        ike(3, Message::new().with_section("l2tp", child(7, "0000000a"))),
    )
}

#[test]
fn child_updown() {
    let Some(SaEvent::ChildUp(sas)) = parse_event(CHILD_UPDOWN, &updown(true)) else {
        panic!("not up");
    };
    assert_eq!((sas.len(), sas[0].child_id, sas[0].mark_in), (1, 7, 10));
    let Some(SaEvent::ChildDown(sas)) = parse_event(CHILD_UPDOWN, &updown(false)) else {
        panic!("not down");
    };
    assert_eq!(sas[0].ike_id, 3);
    let no = Message::new().with_str("up", "no");
    assert_eq!(
        parse_event(CHILD_UPDOWN, &no),
        Some(SaEvent::ChildDown(vec![]))
    );
}

#[test]
fn child_rekey_pairs_old_and_new() {
    let pair = Message::new()
        .with_section("old", child(7, "0000000a"))
        .with_section("new", child(9, "0000000c"));
    let half = Message::new().with_section("old", child(8, "0000000b"));
    let children = Message::new()
        .with_section("l2tp", pair)
        .with_section("l2tp", half);
    let msg = Message::new().with_section("rasd-l2tp-psk", ike(3, children));
    let Some(SaEvent::ChildRekey { old, new }) = parse_event(CHILD_REKEY, &msg) else {
        panic!("not a rekey");
    };
    assert_eq!(old.len(), 1, "the half pair is dropped");
    assert_eq!((old[0].child_id, old[0].mark_in), (7, 10));
    assert_eq!((new[0].child_id, new[0].mark_in), (9, 12));
    assert_eq!(new[0].ike_name, "rasd-l2tp-psk");
}

#[test]
fn ike_updown() {
    let msg = Message::new()
        .with_str("up", "yes")
        .with_section("rasd-l2tp-psk", Message::new().with_str("uniqueid", "3"));
    assert_eq!(
        parse_event(IKE_UPDOWN, &msg),
        Some(SaEvent::IkeUp { ike_ids: vec![3] })
    );
    let msg = Message::new()
        .with_section("a", Message::new().with_str("uniqueid", "4"))
        .with_section("b", Message::new().with_str("uniqueid", "nope"));
    assert_eq!(
        parse_event(IKE_UPDOWN, &msg),
        Some(SaEvent::IkeDown { ike_ids: vec![4] })
    );
}

#[test]
fn list_sa_and_unknown_events() {
    let Some(SaEvent::Listed(sas)) = parse_event(LIST_SA, &updown(false)) else {
        panic!("not a listing");
    };
    assert_eq!(sas.len(), 1);
    assert_eq!(parse_event("log", &Message::new()), None);
    assert_eq!(parse_event("ike-rekey", &updown(true)), None);
}
