use super::*;

fn peer() -> SocketAddr {
    "192.0.2.7:1701".parse().unwrap()
}

#[test]
fn a_burst_is_counted_whole_and_logged_once() {
    let bad = BadInput::default();
    let logged = (0..1000)
        .filter(|_| bad.report(BadInputKind::L2tpMalformed, peer(), "short header"))
        .count();
    assert_eq!(logged, 1);
    assert_eq!(bad.total(BadInputKind::L2tpMalformed), 1000);
    assert_eq!(bad.nonzero(), vec![("l2tp_malformed", 1000)]);
}

#[test]
fn kinds_are_throttled_separately() {
    let bad = BadInput::default();
    assert!(bad.report(BadInputKind::GreMalformed, peer(), "x"));
    assert!(bad.report(BadInputKind::GreOutOfWindow, peer(), "y"));
    assert!(!bad.report(BadInputKind::GreMalformed, peer(), "x"));
    assert_eq!(bad.total(BadInputKind::GreUnknownCall), 0);
}

#[test]
fn a_kind_logs_again_after_the_interval() {
    let bad = BadInput::default();
    assert!(bad.report(BadInputKind::PptpBadMessage, peer(), "x"));
    std::thread::sleep(LOG_INTERVAL + Duration::from_millis(20));
    assert!(bad.report(BadInputKind::PptpBadMessage, peer(), "x"));
}
