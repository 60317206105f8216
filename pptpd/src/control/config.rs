//! Configuration, call requests and events of a control connection.

use std::time::Duration;

use super::stats::BadControlInput;

/// Which end of the control connection we are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The access concentrator (PAC): waits for SCCRQ and answers call requests.
    Server,
    /// The network server side (PNS) as used by the dial client: sends SCCRQ and OCRQ.
    Client,
}

/// Settings of one control connection.
#[derive(Clone, Debug)]
pub struct ControlConfig {
    /// Server or client role.
    pub role: Role,
    /// Our host name in SCCRQ/SCCRP.
    pub hostname: String,
    /// Our vendor string in SCCRQ/SCCRP.
    pub vendor: String,
    /// Most calls (pending or established) allowed on this connection.
    pub max_calls: u16,
    /// Server: SCCRQ must arrive within this time; client: SCCRP must arrive within it.
    pub setup_timeout: Duration,
    /// Idle time after which an Echo-Request is sent (zero disables keep-alives).
    pub echo_interval: Duration,
    /// How long to wait for the Echo-Reply before the connection is closed.
    pub echo_timeout: Duration,
    /// Our GRE receive window announced in OCRP/ICRP/OCRQ (packets).
    pub recv_window: u16,
}

impl Default for ControlConfig {
    fn default() -> Self {
        ControlConfig {
            role: Role::Server,
            hostname: "rasd".into(),
            vendor: "rasd".into(),
            max_calls: 4,
            setup_timeout: Duration::from_secs(10),
            echo_interval: Duration::from_secs(60),
            echo_timeout: Duration::from_secs(30),
            recv_window: 64,
        }
    }
}

/// A call the peer asks for (server role); answer with `accept_call` or `refuse_call`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRequest {
    /// Handle for `accept_call` / `refuse_call`, unique within the connection.
    pub token: u32,
    /// The call id the peer chose (the GRE key we put on packets to the peer).
    pub peer_call_id: u16,
    /// The peer's GRE receive window. An Incoming-Call-Request carries none: it is 0 there
    /// (unknown) and arrives with `CallEstablished` once the peer sends Incoming-Call-Connected.
    pub peer_recv_window: u16,
    /// True for Incoming-Call-Request, false for Outgoing-Call-Request.
    pub incoming: bool,
}

/// What the control connection reports to its driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlEvent {
    /// Server: the peer asks for a call (Outgoing-Call-Request, or Incoming-Call-Request).
    /// Answer with accept_call/refuse_call.
    CallRequested(CallRequest),
    /// Client: our call was accepted: GRE may flow. Server: an accepted incoming call got its
    /// Incoming-Call-Connected (carrying the peer's receive window).
    CallEstablished {
        /// Our call id.
        call_id: u16,
        /// The peer's call id.
        peer_call_id: u16,
        /// The peer's GRE receive window.
        peer_recv_window: u16,
    },
    /// The peer cleared a call (Call-Clear-Request / Call-Disconnect-Notify) or it was refused.
    CallCleared {
        /// Our call id.
        call_id: u16,
        /// Why, for logs.
        reason: String,
    },
    /// The peer sent something bad (counted in `stats` as well). When it cannot be survived
    /// (`BadControlInput::Malformed`), `Closed` follows.
    BadInput(BadControlInput),
    /// The control connection is finished (Stop-Control-Connection, echo timeout, setup
    /// timeout, protocol error). Drain `poll_transmit` first (it may hold a last reply), then
    /// close TCP and end every call of this connection.
    Closed {
        /// Why, for logs.
        reason: String,
    },
}
