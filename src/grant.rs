//! What a login grants a session beyond the verdict: its address, its time limits, its name
//! servers, its MTU and the Class values accounting echoes (from a RADIUS Access-Accept; a
//! local login grants the defaults).

use std::net::Ipv4Addr;
use std::time::Duration;

/// Where the session's address comes from (RFC 2865 §5.8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AddressGrant {
    /// The pool (no Framed-IP-Address, or 255.255.255.254 "NAS assigns").
    #[default]
    Pool,
    /// This address (it must be free and not ours).
    Fixed(Ipv4Addr),
    /// 255.255.255.255: the client may choose (given from the pool today).
    UserChooses,
}

/// What a local login grants: the defaults (`Grant::default()`), for a session to point at
/// instead of holding a copy of its own.
pub static NO_GRANT: Grant = Grant {
    address: AddressGrant::Pool,
    pool: None,
    routes: Vec::new(),
    session_timeout: None,
    idle_timeout: None,
    dns: [None; 2],
    wins: [None; 2],
    mtu: None,
    class: None,
    interim_interval: None,
    by_radius: false,
};

/// A session's grant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    /// The client's address.
    pub address: AddressGrant,
    /// Framed-Pool: the `[[ip.pool]]` to take a pool address from (None: `[ip] pools`).
    pub pool: Option<String>,
    /// Framed-Route: networks behind the client (prefix, length), routed to it while the
    /// session lives; their sources are accepted from it.
    pub routes: Vec<(Ipv4Addr, u8)>,
    /// Session-Timeout: the session ends this long after its network came up.
    pub session_timeout: Option<Duration>,
    /// Idle-Timeout: the session ends after this long without IP traffic either way.
    pub idle_timeout: Option<Duration>,
    /// MS-Primary/Secondary-DNS-Server: replace `[ip] dns` for this session when any is set.
    pub dns: [Option<Ipv4Addr>; 2],
    /// MS-Primary/Secondary-NBNS-Server: replace `[ip] wins` for this session when any is set.
    pub wins: [Option<Ipv4Addr>; 2],
    /// Framed-MTU: the TCP MSS is clamped to it (minus 40) when it is below the link's.
    pub mtu: Option<u16>,
    /// Every Class attribute, in order, for accounting to echo (None when the server sent none).
    pub class: Option<Vec<Vec<u8>>>,
    /// Acct-Interim-Interval: this session's time between Interim-Updates (None: `[radius]
    /// interim_interval`).
    pub interim_interval: Option<Duration>,
    /// The login was judged by RADIUS (Acct-Authentic RADIUS; otherwise Local).
    pub by_radius: bool,
}

/// A backend's answer: the verdict for the PPP engine and what it grants.
pub struct Decision {
    /// Accept or Reject, for the engine.
    pub verdict: pppd::auth::AuthVerdict,
    /// What an Accept grants (the defaults with a Reject).
    pub grant: Grant,
}

impl From<pppd::auth::AuthVerdict> for Decision {
    fn from(verdict: pppd::auth::AuthVerdict) -> Self {
        Decision {
            verdict,
            grant: Grant::default(),
        }
    }
}

#[cfg(test)]
mod tests;
