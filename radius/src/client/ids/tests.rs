use super::*;

#[test]
fn hands_out_all_256_then_none_and_rotates_after_free() {
    let mut s = IdSpace::default();
    let ids: Vec<u8> = (0..256).map(|_| s.alloc().unwrap()).collect();
    assert_eq!(ids, (0..=255).collect::<Vec<u8>>());
    assert_eq!(s.alloc(), None);
    s.free(17);
    s.free(17);
    assert_eq!(s.alloc(), Some(17));
    assert_eq!(s.alloc(), None);
}

#[test]
fn a_freed_identifier_waits_for_the_others() {
    let mut s = IdSpace::default();
    let first = s.alloc().unwrap();
    s.free(first);
    assert_ne!(s.alloc(), Some(first));
}
