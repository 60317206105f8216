use super::*;

#[test]
fn an_interval_is_counted_then_starts_again() {
    let s = SessionSummary::default();
    assert!(s.take().is_quiet());
    s.came_up();
    s.came_up();
    s.ended();
    s.failed("authentication failed: E=691 R=0 V=3");
    s.failed("authentication failed: E=649");
    s.failed("lcp negotiation timed out");
    let i = s.take();
    assert_eq!((i.came_up, i.ended), (2, 1));
    assert_eq!(
        i.line(7),
        "sessions: 7 up, 2 came up, 1 ended, 3 failed (authentication failed: 2, lcp negotiation timed out: 1)"
    );
    assert!(s.take().is_quiet(), "the next interval starts from zero");
}

#[test]
fn causes_are_bounded() {
    let s = SessionSummary::default();
    for i in 0..100 {
        s.failed(&format!("cause {i}"));
    }
    let i = s.take();
    assert_eq!(i.failed.len(), MAX_CAUSES + 1);
    assert_eq!(i.failed["other"], 100 - MAX_CAUSES as u64);
}
