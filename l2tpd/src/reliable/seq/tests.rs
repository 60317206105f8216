use super::*;

#[test]
fn wraps() {
    assert_eq!(ahead(1, 65535), 2);
    assert!(is_before(65535, 1));
    assert!(!is_before(1, 65535));
    assert!(!is_before(7, 7));
    assert!(is_before(0, 0x7fff));
    assert!(is_before(0, 0x8000));
    assert!(!is_before(0, 0x8001));
}
