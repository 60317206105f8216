use super::TrimPolicy;

#[test]
fn trims_once_a_tenth_of_the_peak_has_ended() {
    let mut p = TrimPolicy::default();
    for n in [0, 1000, 50_000, 100_000] {
        assert!(!p.should_trim(n), "growing: no trim at {n}");
    }
    assert!(!p.should_trim(95_000), "5% ended: not yet");
    assert!(p.should_trim(89_000), "11% ended: trim");
    assert!(!p.should_trim(88_000), "the peak is now 89,000");
    assert!(p.should_trim(0), "all ended: trim");
    assert!(!p.should_trim(0), "and only once");
}

#[test]
fn a_few_sessions_ending_is_not_worth_a_trim() {
    let mut p = TrimPolicy::default();
    p.should_trim(300);
    assert!(!p.should_trim(100), "200 ended: under the minimum");
    assert!(p.should_trim(40), "260 ended");
}
