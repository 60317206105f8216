use super::*;

#[test]
fn record_by_reason() {
    let mut s = ControlStats::default();
    s.record(&Error::BadMagic(1));
    s.record(&Error::BadMagic(2));
    s.record(&Error::Oversized(600));
    assert_eq!(s.bad_magic, 2);
    assert_eq!(s.oversized, 1);
    assert_eq!(s.truncated, 0);
}
