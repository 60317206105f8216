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
mod tests;
