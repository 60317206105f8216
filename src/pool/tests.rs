use super::*;

fn ranges(list: &[&str]) -> Vec<AddrRange> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

fn ip(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn lowest_free_across_ranges_until_exhausted() {
    let mut p = Pool::new(
        &ranges(&["10.0.1.0/30", "10.0.0.5-10.0.0.6"]),
        &[ip("10.0.0.6")],
        false,
    );
    assert_eq!(p.capacity(), 3);
    assert_eq!(p.allocate("a"), Some(ip("10.0.0.5")));
    assert_eq!(p.allocate("b"), Some(ip("10.0.1.1")));
    assert_eq!(p.allocate("c"), Some(ip("10.0.1.2")));
    assert_eq!(p.allocate("d"), None);
    assert_eq!((p.in_use(), p.free()), (3, 0));
    assert!(p.release(ip("10.0.1.1")));
    assert!(!p.release(ip("10.0.1.1")), "double release");
    assert!(!p.release(ip("10.0.0.6")), "reserved");
    assert!(!p.release(ip("10.0.1.0")), "network address");
    assert_eq!(p.allocate("e"), Some(ip("10.0.1.1")));
    assert!(p.is_allocated(ip("10.0.1.1")));
    assert!(!p.is_allocated(ip("10.0.0.6")));
}

#[test]
fn never_twice_with_overlapping_ranges() {
    let mut p = Pool::new(
        &ranges(&["10.0.0.1-10.0.0.100", "10.0.0.50-10.0.0.150", "10.0.0.151"]),
        &[],
        false,
    );
    assert_eq!(p.capacity(), 151);
    let mut seen = std::collections::HashSet::new();
    while let Some(a) = p.allocate("u") {
        assert!(seen.insert(a), "{a} given twice");
    }
    assert_eq!(seen.len(), 151);
}

#[test]
fn sticky_returns_previous_address() {
    let mut p = Pool::new(&ranges(&["10.0.0.1-10.0.0.3"]), &[], true);
    let a = p.allocate("alice").unwrap();
    let b = p.allocate("bob").unwrap();
    assert!(p.release(a));
    assert!(p.release(b));
    // carol gets an address nobody remembers, bob gets his own back
    assert_eq!(p.allocate("carol"), Some(ip("10.0.0.3")));
    assert_eq!(p.allocate("bob"), Some(b));
    assert_eq!(p.allocate("alice"), Some(a));
    assert_eq!(p.allocate("dave"), None);
    // when only remembered addresses are free, a newcomer takes one
    assert!(p.release(a));
    assert_eq!(p.allocate("dave"), Some(a));
    assert!(p.release(a));
    assert_eq!(p.allocate("alice"), Some(a), "lowest free, alice forgot it");
}

#[test]
fn huge_pool_is_capped() {
    let mut p = Pool::new(&ranges(&["10.0.0.0/7"]), &[], false);
    assert_eq!(p.capacity() as u64, MAX_POOL_ADDRESSES);
    assert_eq!(p.allocate("x"), Some(ip("10.0.0.1")));
}

#[test]
fn a_claimed_address_is_nobody_elses_until_released() {
    let mut p = Pool::new(&ranges(&["10.0.0.1-10.0.0.3"]), &[ip("10.0.0.3")], true);
    assert!(p.claim(ip("10.0.0.1")));
    assert!(!p.claim(ip("10.0.0.1")), "taken");
    assert!(!p.claim(ip("10.0.0.3")), "reserved");
    assert!(!p.claim(ip("10.0.0.9")), "not in the pool");
    assert!(p.contains(ip("10.0.0.3")) && !p.contains(ip("10.0.0.9")));
    assert_eq!(p.allocate("a"), Some(ip("10.0.0.2")));
    assert_eq!(p.allocate("b"), None);
    assert!(p.release(ip("10.0.0.1")));
    assert_eq!(p.allocate("b"), Some(ip("10.0.0.1")));
}
