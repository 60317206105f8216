//! Validation of `[ip]`: local address, pools, DNS and WINS servers.

use super::error::Source;
use super::raw::{RawIp, RawNamedPool, S};
use super::types::{IpConfig, NamedPool};
use super::values::{parse_ipv4, parse_list, Result};
use crate::pool::{AddrRange, MAX_POOL_ADDRESSES};
use std::net::Ipv4Addr;
use std::str::FromStr;

/// Address blocks a pool must not touch: "this network", loopback, multicast, reserved, broadcast.
const FORBIDDEN: [(&str, [u8; 4], [u8; 4]); 3] = [
    (
        "\"this network\" 0.0.0.0/8",
        [0, 0, 0, 0],
        [0, 255, 255, 255],
    ),
    ("loopback 127.0.0.0/8", [127, 0, 0, 0], [127, 255, 255, 255]),
    (
        "multicast/reserved 224.0.0.0/3",
        [224, 0, 0, 0],
        [255, 255, 255, 255],
    ),
];
/// Validates `[ip]`.
pub(super) fn ip(raw: &RawIp, src: &Source) -> Result<IpConfig> {
    const SEC: &str = "ip";
    let local = match &raw.local {
        None => Ipv4Addr::new(10, 99, 0, 1),
        Some(s) => {
            let addr =
                parse_ipv4(s.get_ref()).map_err(|e| src.invalid(s.span(), SEC, "local", &e))?;
            if addr.is_unspecified()
                || addr.is_multicast()
                || addr.is_broadcast()
                || addr.is_loopback()
            {
                return Err(src.invalid(s.span(), SEC, "local", "must be a unicast address"));
            }
            addr
        }
    };
    let mut all = Ranges {
        local,
        seen: Vec::new(),
        total: 0,
    };
    let pools = match &raw.pools {
        None => vec!["10.99.0.10-10.99.0.250".parse().expect("valid default")],
        Some(list) => all.add(src, SEC, "pools", list)?,
    };
    if raw.pools.is_none() {
        all.seen.extend(pools.iter().copied());
    }
    let mut named_pools: Vec<NamedPool> = Vec::new();
    for section in raw.pool.iter().flatten() {
        named_pools.push(named_pool(section, &named_pools, &mut all, src)?);
    }
    Ok(IpConfig {
        local,
        pools,
        named_pools,
        dns: servers(src, "dns", &raw.dns)?,
        wins: servers(src, "wins", &raw.wins)?,
        sticky: raw.sticky.unwrap_or(false),
    })
}

/// Every pool range so far, `[ip] pools` and `[[ip.pool]]` alike: none may overlap another.
struct Ranges {
    local: Ipv4Addr,
    seen: Vec<AddrRange>,
    total: u64,
}

impl Ranges {
    /// Validates the ranges of `list` (`sec`.`key`) against each other and every earlier one.
    fn add(
        &mut self,
        src: &Source,
        sec: &str,
        key: &str,
        list: &S<Vec<S<String>>>,
    ) -> Result<Vec<AddrRange>> {
        let ranges = parse_list(src, sec, key, list, AddrRange::from_str)?;
        if ranges.is_empty() {
            let msg = "the pool list is empty: no address to give to clients";
            return Err(src.invalid(list.span(), sec, key, msg));
        }
        let local = self.local;
        for (r, item) in ranges.iter().zip(list.get_ref()) {
            let bad = |msg: String| src.invalid(item.span(), sec, key, &msg);
            if let Some(other) = self.seen.iter().find(|o| o.overlaps(r)) {
                return Err(bad(format!("pool {r} overlaps pool {other}")));
            }
            if r.contains(local) {
                return Err(bad(format!(
                    "pool {r} contains the local address {local} ([ip] local)"
                )));
            }
            for (what, first, last) in FORBIDDEN {
                let block = AddrRange {
                    first: first.into(),
                    last: last.into(),
                };
                if block.overlaps(r) {
                    return Err(bad(format!("pool {r} reaches into {what}")));
                }
            }
            self.total += r.len();
            if self.total > MAX_POOL_ADDRESSES {
                return Err(bad(format!(
                    "the pools hold more than {MAX_POOL_ADDRESSES} addresses"
                )));
            }
            self.seen.push(*r);
        }
        Ok(ranges)
    }
}

/// One `[[ip.pool]]`: a unique name and its ranges.
fn named_pool(
    section: &S<RawNamedPool>,
    earlier: &[NamedPool],
    all: &mut Ranges,
    src: &Source,
) -> Result<NamedPool> {
    const SEC: &str = "ip.pool";
    let p = section.get_ref();
    let Some(name) = &p.name else {
        let msg = "every [[ip.pool]] needs a name";
        return Err(src.invalid(section.span(), SEC, "name", msg));
    };
    if name.get_ref().is_empty() || earlier.iter().any(|o| &o.name == name.get_ref()) {
        let msg = format!("pool name `{}` is empty or used twice", name.get_ref());
        return Err(src.invalid(name.span(), SEC, "name", &msg));
    }
    let Some(list) = &p.ranges else {
        let msg = "every [[ip.pool]] needs its ranges";
        return Err(src.invalid(section.span(), SEC, "ranges", msg));
    };
    Ok(NamedPool {
        name: name.get_ref().clone(),
        ranges: all.add(src, SEC, "ranges", list)?,
    })
}

fn servers(src: &Source, key: &str, raw: &Option<S<Vec<S<String>>>>) -> Result<Vec<Ipv4Addr>> {
    let Some(list) = raw else {
        return Ok(Vec::new());
    };
    let addrs = parse_list(src, "ip", key, list, parse_ipv4)?;
    if addrs.len() > 2 {
        return Err(src.invalid(
            list.span(),
            "ip",
            key,
            "at most 2 servers (PPP gives a primary and a secondary)",
        ));
    }
    Ok(addrs)
}
