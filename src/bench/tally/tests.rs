use std::time::{Duration, Instant};

use super::Tally;

#[test]
fn every_session_is_counted_once_in_setup_until_it_resolves() {
    let now = Instant::now();
    let mut t = Tally::default();
    for _ in 0..5 {
        t.start(now);
    }
    assert_eq!(t.in_setup(), 5);
    t.came_up(now, Duration::from_millis(30));
    t.came_up(now, Duration::from_millis(10));
    t.fail("authenticate", "authentication failed: bad password");
    assert_eq!(t.in_setup(), 2);
    assert_eq!((t.up, t.failed_total()), (2, 1));
    assert_eq!(t.latencies_us, vec![30_000, 10_000]);
}

#[test]
fn failures_are_kept_by_stage_and_cause() {
    let mut t = Tally::default();
    t.fail("establish", "lcp timeout");
    t.fail("establish", "lcp timeout");
    t.fail("call", "CDN: no resources");
    assert_eq!(
        t.failed.get(&("establish".into(), "lcp timeout".into())),
        Some(&2)
    );
    assert_eq!(t.failed.len(), 2);
}

#[test]
fn a_long_cause_is_cut_not_stored_whole() {
    let mut t = Tally::default();
    let long = "x".repeat(10_000);
    t.drop_during_hold(&long);
    let (kept, n) = t.dropped.iter().next().unwrap();
    assert_eq!(*n, 1);
    assert!(kept.chars().count() <= 101);
    // The same long cause again falls in the same bucket.
    t.drop_during_hold(&long);
    assert_eq!(t.dropped.len(), 1);
    assert_eq!(t.dropped_total(), 2);
}

#[test]
fn teardowns_are_clean_or_say_what_went_unanswered() {
    let mut t = Tally::default();
    t.tear_down(None);
    t.tear_down(Some("StopCCN never acknowledged"));
    t.tear_down(Some("StopCCN never acknowledged"));
    assert_eq!(t.clean_teardowns, 1);
    assert_eq!(t.unclean_total(), 2);
}
