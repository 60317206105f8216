//! Covering an address range with the fewest CIDR prefixes, to route a pool to the TUN device.

use std::net::Ipv4Addr;

/// The smallest list of (network, prefix length) blocks that covers exactly `first..=last`.
pub fn range_to_cidrs(first: Ipv4Addr, last: Ipv4Addr) -> Vec<(Ipv4Addr, u8)> {
    let (mut lo, hi) = (u64::from(u32::from(first)), u64::from(u32::from(last)));
    let mut out = Vec::new();
    while lo <= hi {
        let mut size = if lo == 0 {
            1u64 << 32
        } else {
            1u64 << lo.trailing_zeros().min(32)
        };
        while lo + size - 1 > hi {
            size >>= 1;
        }
        out.push((Ipv4Addr::from(lo as u32), 32 - size.trailing_zeros() as u8));
        lo += size;
    }
    out
}

#[cfg(test)]
mod tests {
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
}
