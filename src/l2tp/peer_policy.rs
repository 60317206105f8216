//! Which tunnel settings and proxy-authentication policy apply to a LAC, by its address.

use std::net::IpAddr;

use l2tpd::tunnel::TunnelConfig;

use crate::config::{L2tpPeer, ProxyAuth};

/// The `[l2tp]` defaults and the `[[l2tp.peer]]` sections.
#[derive(Clone, Debug)]
pub struct PeerPolicies {
    /// Tunnel settings for peers no section names.
    pub default_tunnel: TunnelConfig,
    /// Proxy policy for peers no section names.
    pub default_proxy_auth: ProxyAuth,
    /// Whether peers no section names must come through IPsec.
    pub default_require_ipsec: bool,
    /// The sections.
    pub peers: Vec<L2tpPeer>,
}

/// What applies to one LAC.
#[derive(Clone, Debug)]
pub struct PeerPolicy {
    /// Its tunnel's settings (secret and hidden AVPs per peer).
    pub tunnel: TunnelConfig,
    /// What to do with its proxy LCP and authentication.
    pub proxy_auth: ProxyAuth,
    /// Whether its L2TP must come through IPsec.
    pub require_ipsec: bool,
}

impl PeerPolicies {
    /// The most specific section containing `ip` (longest prefix), else the defaults.
    pub fn for_peer(&self, ip: IpAddr) -> PeerPolicy {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        let best = self
            .peers
            .iter()
            .filter(|p| p.net.contains(ip))
            .max_by_key(|p| p.net.prefix);
        match best {
            None => PeerPolicy {
                tunnel: self.default_tunnel.clone(),
                proxy_auth: self.default_proxy_auth,
                require_ipsec: self.default_require_ipsec,
            },
            Some(p) => PeerPolicy {
                tunnel: TunnelConfig {
                    secret: p.secret.as_ref().map(|s| s.as_bytes().to_vec()),
                    hide_avps: p.hide_avps,
                    ..self.default_tunnel.clone()
                },
                proxy_auth: p.proxy_auth,
                require_ipsec: p.require_ipsec,
            },
        }
    }
}

#[cfg(test)]
mod tests;
