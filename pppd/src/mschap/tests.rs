use super::*;

#[test]
fn des_key_spreads_bits() {
    assert_eq!(des_key(&[0xff; 7]), [0xfe; 8]);
    assert_eq!(
        des_key(&[0x80, 0, 0, 0, 0, 0, 0]),
        [0x80, 0, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(des_key(&[0, 0, 0, 0, 0, 0, 1]), [0, 0, 0, 0, 0, 0, 0, 2]);
}

#[test]
fn domain_is_stripped() {
    assert_eq!(strip_domain("CORP\\alice"), "alice");
    assert_eq!(strip_domain("a\\b\\c"), "c");
    assert_eq!(strip_domain("bob"), "bob");
}

#[test]
fn ct_eq_works() {
    assert!(ct_eq(b"abc", b"abc"));
    assert!(!ct_eq(b"abc", b"abd"));
    assert!(!ct_eq(b"abc", b"ab"));
}
