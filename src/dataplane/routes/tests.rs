use super::*;

fn a(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn aligned_block_is_one_prefix() {
    assert_eq!(
        range_to_cidrs(a("10.0.0.0"), a("10.0.0.255")),
        vec![(a("10.0.0.0"), 24)]
    );
}

#[test]
fn unaligned_range_is_covered_exactly() {
    let blocks = range_to_cidrs(a("192.0.2.10"), a("192.0.2.20"));
    assert_eq!(
        blocks,
        vec![
            (a("192.0.2.10"), 31),
            (a("192.0.2.12"), 30),
            (a("192.0.2.16"), 30),
            (a("192.0.2.20"), 32)
        ]
    );
}

#[test]
fn single_address() {
    assert_eq!(
        range_to_cidrs(a("198.51.100.7"), a("198.51.100.7")),
        vec![(a("198.51.100.7"), 32)]
    );
}
