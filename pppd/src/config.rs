//! Per-session configuration of the PPP engine.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::auth::Method;
use crate::fsm::Timers;

/// Which end of the link we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Authenticator, address assigner (the concentrator).
    Server,
    /// Authenticating peer, address requester (dial client, tests).
    Client,
}

/// Whether MPPE (CCP) is negotiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MppePolicy {
    /// The link is terminated unless MPPE comes up.
    Require,
    /// MPPE when the peer agrees, clear traffic otherwise.
    Allow,
    /// No CCP at all (the peer's CCP is Protocol-Rejected).
    Refuse,
}

/// Configuration of one [`Session`](crate::session::Session).
#[derive(Clone, Debug)]
pub struct Config {
    /// Server or client.
    pub role: Role,
    /// Our Maximum-Receive-Unit (1400 for PPTP).
    pub mru: u16,
    /// Server: acceptable methods in preference order. Client: acceptable methods.
    pub auth_methods: Vec<Method>,
    /// Authentication attempts (MS-CHAPv2 retries) before failure.
    pub auth_attempts: u32,
    /// Our name in CHAP challenges.
    pub name: String,
    /// Client role: user name and password.
    pub credentials: Option<(String, String)>,
    /// MPPE policy.
    pub mppe: MppePolicy,
    /// 128-bit MPPE allowed.
    pub mppe_128: bool,
    /// 40-bit MPPE allowed.
    pub mppe_40: bool,
    /// Stateful MPPE allowed (when the peer asks for it).
    pub mppe_stateful: bool,
    /// Ask for stateful MPPE ourselves (needs `mppe_stateful`; mostly for tests).
    pub mppe_prefer_stateful: bool,
    /// LCP Echo-Request period; None disables keepalives.
    pub echo_interval: Option<Duration>,
    /// Unanswered Echo-Requests after which the peer is declared dead.
    pub echo_failures: u32,
    /// Restart timer of every automaton.
    pub restart_interval: Duration,
    /// Max-Configure.
    pub max_configure: u32,
    /// Max-Terminate.
    pub max_terminate: u32,
    /// Max-Failure.
    pub max_failure: u32,
    /// Server: our tunnel-end address.
    pub local_ipv4: Ipv4Addr,
    /// Client: the address to ask for in IPCP (None: 0.0.0.0, the server chooses).
    pub request_ipv4: Option<Ipv4Addr>,
    /// Server: primary and secondary DNS handed to clients.
    pub dns: [Option<Ipv4Addr>; 2],
    /// Server: primary and secondary WINS (NBNS) handed to clients.
    pub wins: [Option<Ipv4Addr>; 2],
    /// Negotiate IPV6CP (otherwise it is Protocol-Rejected).
    pub ipv6: bool,
}

impl Config {
    /// The automaton timers and counters.
    pub fn timers(&self) -> Timers {
        Timers {
            restart: self.restart_interval,
            max_configure: self.max_configure,
            max_terminate: self.max_terminate,
            max_failure: self.max_failure,
        }
    }
}

impl Default for Config {
    /// Server role, secure defaults: MS-CHAPv2 only, MPPE required (128 or 40 bits, stateless
    /// preferred), echo every 10 s × 3, restart 3 s, Max-Configure 10, Max-Terminate 2, Max-Failure 5.
    fn default() -> Self {
        Self {
            role: Role::Server,
            mru: 1400,
            auth_methods: vec![Method::MsChapV2],
            auth_attempts: 3,
            name: "rasd".to_string(),
            credentials: None,
            mppe: MppePolicy::Require,
            mppe_128: true,
            mppe_40: true,
            mppe_stateful: true,
            mppe_prefer_stateful: false,
            echo_interval: Some(Duration::from_secs(10)),
            echo_failures: 3,
            restart_interval: Duration::from_secs(3),
            max_configure: 10,
            max_terminate: 2,
            max_failure: 5,
            local_ipv4: Ipv4Addr::new(10, 99, 0, 1),
            request_ipv4: None,
            dns: [None; 2],
            wins: [None; 2],
            ipv6: false,
        }
    }
}
