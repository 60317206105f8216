use super::*;

#[test]
fn record_by_reason() {
    let mut s = ControlStats::default();
    s.record(&BadControlInput::Malformed(Error::BadMagic(1)));
    s.record(&BadControlInput::Malformed(Error::BadMagic(2)));
    s.record(&BadControlInput::Malformed(Error::Oversized(600)));
    s.record(&BadControlInput::EchoMismatch);
    assert_eq!(s.bad_magic, 2);
    assert_eq!(s.oversized, 1);
    assert_eq!(s.echo_mismatch, 1);
    assert_eq!(s.truncated, 0);
}
