//! Address ranges as written in the configuration: `"a-b"`, CIDR `"a/n"` or a single address.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// An inclusive range of IPv4 addresses (`first <= last`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AddrRange {
    /// First address of the range.
    pub first: Ipv4Addr,
    /// Last address of the range (inclusive).
    pub last: Ipv4Addr,
}

impl AddrRange {
    /// Number of addresses in the range.
    pub fn len(&self) -> u64 {
        u64::from(u32::from(self.last)) - u64::from(u32::from(self.first)) + 1
    }

    /// Always false: a range holds at least one address (kept for clippy's `len` rule).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Whether `addr` lies in the range.
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        self.first <= addr && addr <= self.last
    }

    /// Whether the two ranges share at least one address.
    pub fn overlaps(&self, other: &AddrRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

impl fmt::Display for AddrRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

impl FromStr for AddrRange {
    type Err = String;

    /// Parses `"10.0.0.10-10.0.0.250"`, `"10.0.1.0/24"` (network and broadcast excluded
    /// for prefixes up to /30) or a single address.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('-') {
            let first = parse_addr(a)?;
            let last = parse_addr(b)?;
            if first > last {
                return Err(format!("range `{s}` is empty: {first} is after {last}"));
            }
            Ok(AddrRange { first, last })
        } else if let Some((a, n)) = s.split_once('/') {
            parse_cidr(s, parse_addr(a)?, n)
        } else {
            let a = parse_addr(s)?;
            Ok(AddrRange { first: a, last: a })
        }
    }
}

fn parse_addr(s: &str) -> Result<Ipv4Addr, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("`{}` is not an IPv4 address", s.trim()))
}

fn parse_cidr(s: &str, addr: Ipv4Addr, prefix: &str) -> Result<AddrRange, String> {
    let prefix: u32 = match prefix.trim().parse() {
        Ok(p) if p <= 32 => p,
        _ => return Err(format!("`{s}`: prefix length must be 0..=32")),
    };
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    let net = u32::from(addr) & mask;
    if net != u32::from(addr) {
        return Err(format!(
            "`{s}`: host bits are set (the network is {}/{prefix})",
            Ipv4Addr::from(net)
        ));
    }
    let bcast = net | !mask;
    let (first, last) = if prefix <= 30 {
        (net + 1, bcast - 1)
    } else {
        (net, bcast)
    };
    Ok(AddrRange {
        first: first.into(),
        last: last.into(),
    })
}

#[cfg(test)]
mod tests;
