//! What a tunnel reports to its driver.

use crate::reliable::ReliableStats;

/// Proxy LCP and Proxy Authentication AVPs from a LAC's ICCN (RFC 2661 §4.4.5).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyInfo {
    /// Initial Received LCP CONFREQ.
    pub initial_received_lcp: Option<Vec<u8>>,
    /// Last Sent LCP CONFREQ.
    pub last_sent_lcp: Option<Vec<u8>>,
    /// Last Received LCP CONFREQ.
    pub last_received_lcp: Option<Vec<u8>>,
    /// Proxy Authen Type.
    pub authen_type: Option<u16>,
    /// Proxy Authen Name.
    pub authen_name: Option<String>,
    /// Proxy Authen Challenge.
    pub authen_challenge: Option<Vec<u8>>,
    /// Proxy Authen ID.
    pub authen_id: Option<u16>,
    /// Proxy Authen Response.
    pub authen_response: Option<Vec<u8>>,
}

/// The numbers of an incoming call (RFC 2661 §4.4.5 Calling Number and Called Number AVPs),
/// as text (lossy UTF-8).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallNumbers {
    /// Who called (the subscriber's line or address, as the LAC knows it).
    pub calling: Option<String>,
    /// The number or name that was called.
    pub called: Option<String>,
}

/// A LAC's new incoming call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncomingCall {
    /// Calling and Called Number for the ICRQ.
    pub numbers: CallNumbers,
    /// Proxy LCP and authentication for the ICCN.
    pub proxy: Option<ProxyInfo>,
}

/// Something the driver must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TunnelEvent {
    /// The control connection is up.
    Established {
        /// The peer's Assigned Tunnel ID.
        peer_tunnel_id: u16,
        /// The peer's Host Name (lossy UTF-8).
        peer_host_name: String,
    },
    /// ICRQ/ICRP/ICCN done (LNS) or ICRP received and ICCN sent (LAC): PPP may start on this session.
    SessionUp {
        /// Our session ID (in data headers the peer sends us).
        session_id: u16,
        /// The peer's session ID (in data headers we send).
        peer_session_id: u16,
        /// The ICCN carried Sequencing Required.
        sequencing: bool,
        /// Proxy LCP / authentication AVPs, if the ICCN carried any.
        proxy: Option<ProxyInfo>,
        /// Calling and Called Number from the ICRQ (LNS).
        numbers: CallNumbers,
    },
    /// A session is gone: CDN received, or we closed it.
    SessionDown {
        /// Our session ID.
        session_id: u16,
        /// Why, for logs.
        reason: String,
    },
    /// The tunnel is gone (StopCCN either way, peer dead, auth failure, protocol error); the last event.
    Closed {
        /// Why, for logs.
        reason: String,
    },
}

/// Counters for monitoring bad or unexpected input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TunnelStats {
    /// Datagrams whose L2TP header did not parse or had no Ns/Nr.
    pub bad_headers: u64,
    /// Control messages whose AVPs did not parse (dropped).
    pub malformed: u64,
    /// Messages not valid in the current state, or for no known session (dropped).
    pub unexpected: u64,
    /// Messages we could not queue (reliable channel full or dead).
    pub send_failures: u64,
    /// The reliable channel's own counters.
    pub reliable: ReliableStats,
}
