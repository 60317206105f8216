use super::*;

fn line(id: Option<u32>, msg: &str) -> LogLine {
    LogLine {
        group: "IKE".into(),
        ike_id: id,
        msg: msg.into(),
    }
}

#[test]
fn a_log_event_is_read() {
    let m = Message::new()
        .with_str("group", "ENC")
        .with_str("level", "1")
        .with_str("ikesa-name", "rasd-l2tp-psk")
        .with_str("ikesa-uniqueid", "7")
        .with_str("msg", "could not decrypt payloads");
    assert_eq!(
        parse_log(&m),
        Some(LogLine {
            group: "ENC".into(),
            ike_id: Some(7),
            msg: "could not decrypt payloads".into()
        })
    );
    assert_eq!(parse_log(&Message::new()), None);
}

#[test]
fn a_wrong_psk_is_reported_with_the_peer_that_opened_the_sa() {
    let mut w = FailureWatch::default();
    assert_eq!(
        w.observe(&line(
            Some(3),
            "198.51.100.3 is initiating a Main Mode IKE_SA"
        )),
        None
    );
    let r = w
        .observe(&line(
            Some(3),
            "invalid ID_V1 payload length, decryption failed?",
        ))
        .unwrap();
    assert_eq!(r.failure, IkeFailure::WrongPsk);
    assert_eq!(r.peer.as_deref(), Some("198.51.100.3"));
    assert!(r.failure.reason().contains("wrong pre-shared key"));
    // Reported once: the next line of the same failure is not another one.
    assert_eq!(
        w.observe(&line(Some(3), "could not decrypt payloads")),
        None
    );
    assert_eq!(w.remembered(), 0);
}

#[test]
fn no_config_names_the_peer_from_its_own_text() {
    let mut w = FailureWatch::default();
    let r = w
        .observe(&line(
            None,
            "no IKE config found for 198.51.100.1...198.51.100.9, sending NO_PROPOSAL_CHOSEN",
        ))
        .unwrap();
    assert_eq!(
        (r.failure, r.peer.as_deref()),
        (IkeFailure::NoConfig, Some("198.51.100.9"))
    );
}

#[test]
fn other_lines_are_not_failures_and_memory_is_bounded() {
    let mut w = FailureWatch::default();
    assert_eq!(
        w.observe(&line(Some(1), "IKE_SA rasd-l2tp-psk[1] established")),
        None
    );
    for id in 0..(MAX_REMEMBERED as u32 + 100) {
        w.observe(&line(
            Some(id),
            "192.0.2.7 is initiating a Main Mode IKE_SA",
        ));
    }
    assert_eq!(w.remembered(), MAX_REMEMBERED);
    let r = w.observe(&line(Some(5), "no proposal found")).unwrap();
    assert_eq!(
        (r.failure, r.peer),
        (IkeFailure::NoProposal, None),
        "the oldest were forgotten"
    );
}
