//! Tunnel configuration.

use std::time::Duration;

use crate::reliable::ReliableConfig;

/// Which end of the tunnel we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// L2TP Network Server: answers SCCRQ and ICRQ (what rasd runs).
    Lns,
    /// L2TP Access Concentrator: sends SCCRQ and ICRQ (tests, dial client).
    Lac,
}

/// Parameters of one tunnel.
#[derive(Debug, Clone)]
pub struct TunnelConfig {
    /// LNS or LAC.
    pub role: Role,
    /// Our Host Name AVP.
    pub host_name: String,
    /// Shared tunnel secret: enables tunnel authentication (Challenge AVPs) and hidden AVPs.
    pub secret: Option<Vec<u8>>,
    /// Hide selected AVPs (session IDs, proxy authentication) when a secret is set.
    pub hide_avps: bool,
    /// Send a HELLO after this long without any control traffic (RFC suggests 60 s).
    pub hello_interval: Duration,
    /// Reliable control channel tunables; `our_window` is advertised in our RWS AVP.
    pub reliable: ReliableConfig,
    /// Most sessions (pending or up) this tunnel carries; further ICRQs get a CDN.
    pub max_sessions: u16,
}

impl Default for TunnelConfig {
    fn default() -> Self {
        Self {
            role: Role::Lns,
            host_name: "rasd".to_owned(),
            secret: None,
            hide_avps: false,
            hello_interval: Duration::from_secs(60),
            reliable: ReliableConfig::default(),
            max_sessions: 256,
        }
    }
}
