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
