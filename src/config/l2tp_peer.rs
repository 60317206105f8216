//! `[[l2tp.peer]]`: settings for the LACs at one address or prefix (tunnel secret, hidden AVPs,
//! proxy authentication), each key falling back to `[l2tp]`.

use std::net::IpAddr;
use std::str::FromStr;

use super::error::Source;
use super::raw::{RawL2tpPeer, S};
use super::types::{L2tpPeer, PeerNet, ProxyAuth};
use super::values::Result;

const SEC: &str = "l2tp.peer";

/// What `[l2tp]` says when a peer section leaves a key out.
pub(super) struct PeerDefaults<'a> {
    pub secret: &'a Option<String>,
    pub hide_avps: bool,
    pub proxy_auth: ProxyAuth,
    pub require_ipsec: bool,
    /// Whether `[ipsec]` is enabled (requiring IPsec needs it).
    pub ipsec: bool,
}

/// Validates every `[[l2tp.peer]]` section; two sections for the same prefix are an error.
pub(super) fn peers(
    raw: &Option<Vec<S<RawL2tpPeer>>>,
    defaults: &PeerDefaults<'_>,
    src: &Source,
) -> Result<Vec<L2tpPeer>> {
    let mut out: Vec<L2tpPeer> = Vec::new();
    for section in raw.iter().flatten() {
        let p = section.get_ref();
        let Some(addr) = &p.address else {
            let msg = "every [[l2tp.peer]] needs an address";
            return Err(src.invalid(section.span(), SEC, "address", msg));
        };
        let net = PeerNet::from_str(addr.get_ref())
            .map_err(|e| src.invalid(addr.span(), SEC, "address", &e))?;
        if out.iter().any(|o| o.net == net) {
            let msg = format!("{net} has another [[l2tp.peer]] section");
            return Err(src.invalid(addr.span(), SEC, "address", &msg));
        }
        let secret = match &p.secret {
            None => defaults.secret.clone(),
            Some(s) => Some(s.get_ref().clone()).filter(|s| !s.is_empty()),
        };
        let hide_avps = p
            .hide_avps
            .as_ref()
            .map_or(defaults.hide_avps, |b| *b.get_ref());
        if hide_avps && secret.is_none() {
            let span = p.hide_avps.as_ref().map_or(addr.span(), S::span);
            return Err(src.invalid(span, SEC, "hide_avps", "hiding AVPs needs a `secret`"));
        }
        let proxy_auth = match &p.proxy_auth {
            None => defaults.proxy_auth,
            Some(v) => proxy_auth(v, SEC, src)?,
        };
        let require_ipsec = p
            .require_ipsec
            .as_ref()
            .map_or(defaults.require_ipsec, |b| *b.get_ref());
        if let (Some(r), true, false) = (&p.require_ipsec, require_ipsec, defaults.ipsec) {
            let msg = "requiring IPsec needs [ipsec] enabled";
            return Err(src.invalid(r.span(), SEC, "require_ipsec", msg));
        }
        out.push(L2tpPeer {
            net,
            secret,
            hide_avps,
            proxy_auth,
            require_ipsec,
        });
    }
    Ok(out)
}

/// A `proxy_auth` value.
pub(super) fn proxy_auth(v: &S<String>, sec: &str, src: &Source) -> Result<ProxyAuth> {
    v.get_ref()
        .parse()
        .map_err(|e: String| src.invalid(v.span(), sec, "proxy_auth", &e))
}

impl FromStr for PeerNet {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad =
            || format!("`{s}` is not an address or prefix (like 198.51.100.7 or 198.51.100.0/24)");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
        };
        let net = PeerNet { addr, prefix };
        if net.masked(addr) != addr {
            return Err(format!("`{s}` has host bits set past the /{prefix}"));
        }
        Ok(net)
    }
}

impl PeerNet {
    /// Whether `ip` is inside this prefix.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.addr.is_ipv4() == ip.is_ipv4() && self.masked(ip) == self.addr
    }

    fn masked(&self, ip: IpAddr) -> IpAddr {
        match ip {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(a) & mask).into())
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(a) & mask).into())
            }
        }
    }
}

impl std::fmt::Display for PeerNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for ProxyAuth {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "renegotiate" => Ok(ProxyAuth::Renegotiate),
            "trust" => Ok(ProxyAuth::Trust),
            _ => Err(format!("`{s}` is not one of renegotiate, trust")),
        }
    }
}

#[cfg(test)]
mod tests;
