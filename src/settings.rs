//! From the validated configuration to the settings of each protocol engine.

use std::sync::Arc;

use pppd::config::{Config as PppEngineConfig, MppePolicy as EngineMppe, Role};

use l2tpd::reliable::ReliableConfig;
use l2tpd::tunnel::{Role as TunnelRole, TunnelConfig};

use crate::config::{Config, MppePolicy};
use crate::l2tp::peer_policy::PeerPolicies;
use crate::l2tp::server::L2tpSettings;
use crate::pptp::server::PptpSettings;

/// The PPP engine's settings for a session carried by a transport with `mtu` and MPPE `policy`.
pub fn ppp_settings(cfg: &Config, mtu: u16, policy: MppePolicy) -> PppEngineConfig {
    let pick = |v: &[std::net::Ipv4Addr]| [v.first().copied(), v.get(1).copied()];
    PppEngineConfig {
        role: Role::Server,
        mru: mtu,
        auth_methods: cfg.ppp.auth.clone(),
        auth_attempts: cfg.ppp.auth_attempts,
        name: cfg.server.name.clone(),
        credentials: None,
        mppe: match policy {
            MppePolicy::Require => EngineMppe::Require,
            MppePolicy::Allow => EngineMppe::Allow,
            MppePolicy::Refuse => EngineMppe::Refuse,
        },
        mppe_128: cfg.ppp.mppe_128,
        mppe_40: cfg.ppp.mppe_40,
        mppe_stateful: cfg.ppp.mppe_stateful,
        mppe_prefer_stateful: cfg.ppp.mppe_prefer_stateful,
        echo_interval: cfg.ppp.lcp_echo_interval,
        echo_failures: cfg.ppp.lcp_echo_failures,
        local_ipv4: cfg.ip.local,
        dns: pick(&cfg.ip.dns),
        wins: pick(&cfg.ip.wins),
        ipv6: cfg.ppp.ipv6,
        ..PppEngineConfig::default()
    }
}

/// The PPTP server's settings.
pub fn pptp_settings(cfg: &Config) -> PptpSettings {
    PptpSettings {
        listen: cfg.pptp.listen.clone(),
        max_mss: cfg.pptp.max_mss(),
        max_connections_per_peer: cfg.pptp.max_connections_per_peer as usize,
        // Every session needs a connection; connections that carry none may add as many again.
        max_connections: cfg.server.max_sessions.saturating_mul(2),
        max_calls_per_connection: cfg.pptp.max_calls_per_connection,
        ppp: Arc::new(ppp_settings(cfg, cfg.pptp.mtu, cfg.pptp.mppe)),
    }
}

/// The L2TP server's settings (LNS role).
pub fn l2tp_settings(cfg: &Config) -> L2tpSettings {
    let l = &cfg.l2tp;
    L2tpSettings {
        listen: l.listen.clone(),
        peers: PeerPolicies {
            default_require_ipsec: l.require_ipsec,
            default_tunnel: TunnelConfig {
                role: TunnelRole::Lns,
                host_name: cfg.server.name.clone(),
                secret: l.secret.as_ref().map(|s| s.as_bytes().to_vec()),
                hide_avps: l.hide_avps,
                hello_interval: l.hello_interval,
                reliable: ReliableConfig {
                    our_window: l.receive_window,
                    initial_timeout: l.retransmit_initial,
                    max_timeout: l.retransmit_max,
                    max_retransmits: l.retransmit_attempts,
                    ..ReliableConfig::default()
                },
                max_sessions: l.max_sessions_per_tunnel,
            },
            default_proxy_auth: l.proxy_auth,
            peers: l.peers.clone(),
        },
        max_tunnels: l.max_tunnels,
        max_in_setup_per_peer: l.max_tunnels_in_setup_per_peer,
        max_in_setup: l.max_tunnels_in_setup,
        setups_per_second: l.max_tunnel_setups_per_second,
        socket_buffer: l.socket_buffer,
        max_mss: l.max_mss(),
        ppp: Arc::new(ppp_settings(cfg, l.mtu, l.mppe)),
    }
}
