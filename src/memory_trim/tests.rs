use super::TrimPolicy;

#[test]
fn trims_once_the_count_moved_a_tenth_and_settled() {
    let mut p = TrimPolicy::default();
    assert!(!p.should_trim(0));
    assert!(!p.should_trim(50_000), "still growing");
    assert!(!p.should_trim(100_000), "still growing");
    assert!(p.should_trim(100_000), "settled after a mass setup: trim");
    assert!(!p.should_trim(100_000), "and only once");
    assert!(!p.should_trim(95_000), "5% ended");
    assert!(!p.should_trim(95_000), "settled, but 5% is not worth it");
    assert!(!p.should_trim(89_000), "11% ended, still moving");
    assert!(p.should_trim(89_000), "settled: trim");
    assert!(!p.should_trim(0));
    assert!(p.should_trim(0), "all ended and settled: trim");
}

#[test]
fn a_few_sessions_moving_is_not_worth_a_trim() {
    let mut p = TrimPolicy::default();
    p.should_trim(200);
    assert!(!p.should_trim(200), "200 sessions: under the minimum");
    p.should_trim(300);
    assert!(p.should_trim(300), "300 since the start");
}

#[test]
fn the_last_sessions_ending_trims_however_few() {
    let mut p = TrimPolicy::default();
    p.should_trim(50_000);
    assert!(p.should_trim(50_000));
    p.should_trim(100);
    assert!(p.should_trim(100), "a big drop, settled: trim");
    assert!(!p.should_trim(0), "still moving");
    assert!(p.should_trim(0), "all ended, 100 since the last trim: trim");
    assert!(!p.should_trim(0), "and only once");
}
