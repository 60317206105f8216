//! From the validated configuration to the settings of each protocol engine.

use pppd::config::{Config as PppEngineConfig, MppePolicy as EngineMppe, Role};

use crate::config::{Config, MppePolicy};
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
        mtu: cfg.pptp.mtu,
        max_connections_per_peer: cfg.pptp.max_connections_per_peer as usize,
        // Every session needs a connection; connections that carry none may add as many again.
        max_connections: cfg.server.max_sessions.saturating_mul(2),
        max_calls_per_connection: cfg.pptp.max_calls_per_connection,
        ppp: ppp_settings(cfg, cfg.pptp.mtu, cfg.pptp.mppe),
    }
}
