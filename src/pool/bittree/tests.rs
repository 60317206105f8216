use super::*;

#[test]
fn first_set_follows_set_and_clear() {
    let mut t = BitTree::new(300_000);
    assert_eq!(t.first_set(), None);
    t.set(299_999);
    t.set(70_000);
    assert_eq!(t.first_set(), Some(70_000));
    t.clear(70_000);
    assert_eq!(t.first_set(), Some(299_999));
    assert!(t.get(299_999) && !t.get(70_000) && !t.get(1 << 30));
    t.set(1 << 30);
    t.clear(1 << 30);
    t.clear(299_999);
    assert_eq!(t.first_set(), None);
}

#[test]
fn new_full_matches_setting_every_bit() {
    for n in [0usize, 1, 63, 64, 65, 4096, 4097, 300_000] {
        let mut t = BitTree::new(n);
        for i in 0..n {
            t.set(i);
        }
        assert_eq!(t.levels, BitTree::new_full(n).levels, "{n}");
    }
}

#[test]
fn sizes_one_and_64() {
    for n in [1usize, 63, 64, 65, 4096, 4097] {
        let mut t = BitTree::new(n);
        for i in (0..n).rev() {
            t.set(i);
            assert_eq!(t.first_set(), Some(i));
        }
        for i in 0..n {
            assert_eq!(t.first_set(), Some(i));
            t.clear(i);
        }
        assert_eq!(t.first_set(), None);
    }
}
