//! What an Access-Accept grants the session (RFC 2865 §5, RFC 2548 §2.6): Framed-IP-Address,
//! Framed-Pool, Session-Timeout, Idle-Timeout, the MS DNS and NBNS servers, Framed-MTU and Class.

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
        session_timeout: seconds(reply.session_timeout()),
        idle_timeout: seconds(reply.idle_timeout()),
        dns: reply.dns_servers(),
        wins: reply.nbns_servers(),
        mtu: reply
            .framed_mtu()
            .map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
        class: (!classes.is_empty()).then_some(classes),
    };
    tracing::debug!(session, address = ?grant.address, pool = ?grant.pool, session_timeout = ?grant.session_timeout,
        idle_timeout = ?grant.idle_timeout, dns = ?grant.dns, wins = ?grant.wins, mtu = ?grant.mtu,
        classes = grant.class.as_ref().map_or(0, Vec::len), "RADIUS grant");
    grant
}

#[cfg(test)]
mod tests;
