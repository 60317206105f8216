//! What an Access-Accept grants the session (RFC 2865 §5, RFC 2548 §2.6): Framed-IP-Address,
//! Framed-Pool, Framed-Route, Session-Timeout, Idle-Timeout, the MS DNS and NBNS servers,
//! Framed-MTU, Class and Acct-Interim-Interval.

use std::net::Ipv4Addr;
use std::time::Duration;

use radius::attr::{Attributes, FramedIp};

use crate::grant::{AddressGrant, Grant};

/// The grant in `reply`. `session` names the session in logs.
pub fn grant(reply: &Attributes, session: u64) -> Grant {
    let address = match reply.framed_ip_address() {
        None | Some(FramedIp::NasAssigns) => AddressGrant::Pool,
        Some(FramedIp::UserChooses) => AddressGrant::UserChooses,
        Some(FramedIp::Address(a)) => AddressGrant::Fixed(a),
    };
    let seconds = |s: Option<u32>| s.filter(|&s| s > 0).map(|s| Duration::from_secs(s.into()));
    let classes: Vec<Vec<u8>> = reply.classes().map(<[u8]>::to_vec).collect();
    let grant = Grant {
        address,
        pool: reply.framed_pool(),
        routes: reply
            .framed_routes()
            .iter()
            .filter_map(|r| route(r, session))
            .collect(),
        session_timeout: seconds(reply.session_timeout()),
        idle_timeout: seconds(reply.idle_timeout()),
        dns: reply.dns_servers(),
        wins: reply.nbns_servers(),
        mtu: reply
            .framed_mtu()
            .map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
        class: (!classes.is_empty()).then_some(classes),
        interim_interval: interim(reply.acct_interim_interval(), session),
        by_radius: true,
    };
    tracing::debug!(session, address = ?grant.address, pool = ?grant.pool, session_timeout = ?grant.session_timeout,
        idle_timeout = ?grant.idle_timeout, dns = ?grant.dns, wins = ?grant.wins, mtu = ?grant.mtu,
        classes = grant.class.as_ref().map_or(0, Vec::len), "RADIUS grant");
    grant
}

/// Shortest Acct-Interim-Interval taken (RFC 2869 §2.1: it SHOULD NOT be below 60 s).
pub const MIN_INTERIM: Duration = Duration::from_secs(60);

/// Acct-Interim-Interval, raised to [`MIN_INTERIM`] (logged) when smaller.
fn interim(seconds: Option<u32>, session: u64) -> Option<Duration> {
    let asked = Duration::from_secs(seconds.filter(|&s| s > 0)?.into());
    if asked < MIN_INTERIM {
        tracing::info!(
            session,
            ?asked,
            "Acct-Interim-Interval below 60 s: 60 s used"
        );
    }
    Some(asked.max(MIN_INTERIM))
}

/// A Framed-Route (`"10.1.0.0/24 0.0.0.0 1"`: prefix, gateway, metrics) as (network, length).
/// Only routes through the client itself (gateway 0.0.0.0) are applied; others are logged.
fn route(text: &str, session: u64) -> Option<(Ipv4Addr, u8)> {
    let mut words = text.split_whitespace();
    let prefix = words.next().unwrap_or("");
    let gateway = words.next().unwrap_or("0.0.0.0");
    let (net, len) = prefix.split_once('/').unwrap_or((prefix, "32"));
    let parsed = net.parse::<Ipv4Addr>().ok().zip(len.parse::<u8>().ok());
    let route = parsed.filter(|&(net, len)| {
        len <= 32 && u32::from(net) & !(u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0)) == 0
    });
    match route {
        Some(r) if gateway == "0.0.0.0" => Some(r),
        _ => {
            tracing::info!(
                session,
                route = text,
                "Framed-Route not applied (only IPv4 prefixes through the client, gateway 0.0.0.0)"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests;
