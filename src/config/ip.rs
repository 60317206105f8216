//! Validation of `[ip]`: local address, pools, DNS and WINS servers.

use super::error::Source;
use super::raw::{RawIp, S};
use super::types::IpConfig;
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
    let pools = match &raw.pools {
        None => vec!["10.99.0.10-10.99.0.250".parse().expect("valid default")],
        Some(list) => pools(list, local, src)?,
    };
    Ok(IpConfig {
        local,
        pools,
        dns: servers(src, "dns", &raw.dns)?,
        wins: servers(src, "wins", &raw.wins)?,
        sticky: raw.sticky.unwrap_or(false),
    })
}

fn pools(list: &S<Vec<S<String>>>, local: Ipv4Addr, src: &Source) -> Result<Vec<AddrRange>> {
    const SEC: &str = "ip";
    let ranges = parse_list(src, SEC, "pools", list, AddrRange::from_str)?;
    if ranges.is_empty() {
        return Err(src.invalid(
            list.span(),
            SEC,
            "pools",
            "the pool list is empty: no address to give to clients",
        ));
    }
    let mut total = 0u64;
    for (i, (r, item)) in ranges.iter().zip(list.get_ref()).enumerate() {
        let bad = |msg: String| src.invalid(item.span(), SEC, "pools", &msg);
        if let Some(other) = ranges[..i].iter().find(|o| o.overlaps(r)) {
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
        total += r.len();
        if total > MAX_POOL_ADDRESSES {
            return Err(bad(format!(
                "the pools hold more than {MAX_POOL_ADDRESSES} addresses"
            )));
        }
    }
    Ok(ranges)
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
