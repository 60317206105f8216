use super::*;

fn r(s: &str) -> AddrRange {
    s.parse().unwrap()
}

#[test]
fn parses_ranges_cidr_and_single() {
    let a = r("10.0.0.10 - 10.0.0.20");
    assert_eq!(a.first, Ipv4Addr::new(10, 0, 0, 10));
    assert_eq!(a.len(), 11);
    let c = r("10.0.1.0/24");
    assert_eq!(c.to_string(), "10.0.1.1-10.0.1.254");
    assert_eq!(r("10.0.1.4/31").len(), 2);
    assert_eq!(r("10.0.1.4/32").len(), 1);
    assert_eq!(r("10.0.1.7").len(), 1);
}

#[test]
fn rejects_garbage() {
    for bad in [
        "10.0.0.20-10.0.0.10",
        "10.0.0.1/33",
        "10.0.0.1/24",
        "10.0.0/24",
        "x-y",
        "",
        "10.0.0.1/",
    ] {
        assert!(bad.parse::<AddrRange>().is_err(), "{bad}");
    }
}

#[test]
fn overlap_and_contains() {
    let a = r("10.0.0.10-10.0.0.20");
    assert!(a.overlaps(&r("10.0.0.20-10.0.0.30")));
    assert!(!a.overlaps(&r("10.0.0.21-10.0.0.30")));
    assert!(a.contains(Ipv4Addr::new(10, 0, 0, 15)));
    assert!(!a.contains(Ipv4Addr::new(10, 0, 0, 21)));
}
