use std::time::{Duration, Instant};

use super::Pacer;

/// Runs the pacer for `secs` seconds in 1 ms steps with nothing ever finishing setup
/// (unbounded room) and returns how many it started.
fn started_in(rate: u32, secs: u64) -> usize {
    let t0 = Instant::now();
    let mut p = Pacer::new(rate, usize::MAX, t0);
    (0..=secs * 1000)
        .map(|ms| p.take(t0 + Duration::from_millis(ms), 0, usize::MAX))
        .sum()
}

#[test]
fn starts_follow_the_target_rate() {
    for rate in [1, 50, 1000, 20_000] {
        let got = started_in(rate, 10);
        let want = rate as usize * 10;
        assert!(
            got.abs_diff(want) <= 1 + want / 100,
            "rate {rate}/s for 10 s started {got}, want about {want}"
        );
    }
}

#[test]
fn the_setup_bound_holds_whatever_the_rate() {
    let t0 = Instant::now();
    let mut p = Pacer::new(100_000, 64, t0);
    let mut in_setup = 0;
    for ms in 1..1000 {
        in_setup += p.take(t0 + Duration::from_millis(ms), in_setup, usize::MAX);
        assert!(in_setup <= 64);
    }
    assert_eq!(in_setup, 64, "the bound is filled when nothing completes");
    // Ten complete: exactly ten more may start.
    assert_eq!(p.take(t0 + Duration::from_secs(2), 54, usize::MAX), 10);
}

#[test]
fn no_more_than_remaining_start() {
    let t0 = Instant::now();
    let mut p = Pacer::new(0, 1000, t0);
    assert_eq!(p.take(t0, 0, 7), 7);
    assert_eq!(p.take(t0, 7, 0), 0);
}

#[test]
fn a_stall_is_not_made_up_in_one_burst() {
    let t0 = Instant::now();
    let mut p = Pacer::new(1000, usize::MAX, t0);
    assert_eq!(p.take(t0, 0, usize::MAX), 1);
    // Ten seconds without asking: at most a tenth of a second's worth at once.
    let n = p.take(t0 + Duration::from_secs(10), 0, usize::MAX);
    assert_eq!(n, 100);
}

#[test]
fn next_check_waits_for_the_next_token() {
    let t0 = Instant::now();
    let mut p = Pacer::new(10, usize::MAX, t0);
    assert_eq!(p.take(t0, 0, usize::MAX), 1);
    assert_eq!(p.next_check(t0), t0 + Duration::from_millis(100));
    assert_eq!(p.take(t0 + Duration::from_millis(60), 0, usize::MAX), 0);
    assert_eq!(p.take(t0 + Duration::from_millis(120), 0, usize::MAX), 1);
}
