use super::*;

#[test]
fn dies_after_failures_unanswered() {
    let t0 = Instant::now();
    let s = Duration::from_secs(10);
    let mut k = Keepalive::new(Some(s), 3);
    k.start(t0);
    assert_eq!(k.handle_timeout(t0 + Duration::from_secs(9)), None);
    for i in 1..=3 {
        assert_eq!(k.handle_timeout(t0 + s * i), Some(Tick::Send));
    }
    assert_eq!(k.handle_timeout(t0 + s * 4), Some(Tick::Dead));
    assert_eq!(k.deadline(), None);
}

#[test]
fn replies_keep_it_alive_and_disabled_does_nothing() {
    let t0 = Instant::now();
    let s = Duration::from_secs(1);
    let mut k = Keepalive::new(Some(s), 2);
    k.start(t0);
    for i in 1..10 {
        assert_eq!(k.handle_timeout(t0 + s * i), Some(Tick::Send));
        k.reply_received();
    }
    let mut off = Keepalive::new(None, 3);
    off.start(t0);
    assert_eq!(off.deadline(), None);
    assert_eq!(off.handle_timeout(t0 + s * 100), None);
}

#[test]
fn traffic_from_the_peer_stands_for_replies() {
    let t0 = Instant::now();
    let s = Duration::from_secs(10);
    let mut k = Keepalive::new(Some(s), 3);
    k.start(t0);
    // Ten intervals of traffic and no reply: no echo is needed and the peer never dies.
    for i in 1..=10 {
        k.traffic_received();
        assert_eq!(k.handle_timeout(t0 + s * i), None, "interval {i}");
        assert_eq!(k.deadline(), Some(t0 + s * (i + 1)));
    }
    // Silence: echoes again, and death after `failures` of them go unanswered.
    for i in 11..=13 {
        assert_eq!(k.handle_timeout(t0 + s * i), Some(Tick::Send));
    }
    assert_eq!(k.handle_timeout(t0 + s * 14), Some(Tick::Dead));
}

#[test]
fn traffic_clears_unanswered_echoes() {
    let t0 = Instant::now();
    let s = Duration::from_secs(1);
    let mut k = Keepalive::new(Some(s), 2);
    k.start(t0);
    assert_eq!(k.handle_timeout(t0 + s), Some(Tick::Send));
    assert_eq!(k.handle_timeout(t0 + s * 2), Some(Tick::Send));
    k.traffic_received();
    assert_eq!(
        k.handle_timeout(t0 + s * 3),
        None,
        "two unanswered, but the peer spoke"
    );
    assert_eq!(k.handle_timeout(t0 + s * 4), Some(Tick::Send));
}
