//! The client core's configuration: servers and the transport's timing and bounds.

use std::net::SocketAddr;
use std::time::Duration;

use crate::secret::Secret;

/// What a server (and a request) is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Access-Request (RFC 2865), usually UDP 1812.
    Auth,
    /// Accounting-Request (RFC 2866), usually UDP 1813.
    Accounting,
}

/// One RADIUS server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Address and port, IPv4 or IPv6.
    pub addr: SocketAddr,
    /// Shared secret.
    pub secret: Secret,
    /// Auth or accounting.
    pub purpose: Purpose,
    /// Lower is tried first; equal priorities go in configuration order.
    pub priority: u32,
}

/// Transport settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// The servers, for both purposes.
    pub servers: Vec<ServerConfig>,
    /// Wait before the first retransmission; each further wait doubles, up to `max_timeout`.
    pub timeout: Duration,
    /// Longest wait between two sends of one request.
    pub max_timeout: Duration,
    /// Retransmissions to one server before failing over to the next.
    pub retries: u32,
    /// How long a server that stopped answering is skipped.
    pub dead_time: Duration,
    /// Socket slots the driver owns (0..sockets); each has its own identifier space per server.
    pub sockets: usize,
    /// Requests sent and not yet answered or failed.
    pub max_in_flight: usize,
    /// Requests waiting for a slot beyond `max_in_flight`; past this, `Busy`.
    pub max_queued: usize,
    /// Drop replies to Access-Requests that lack a Message-Authenticator (RFC 3579 §3.2; the
    /// Blast-RADIUS defence). Replies that carry one are always checked.
    pub require_message_authenticator: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            servers: Vec::new(),
            timeout: Duration::from_secs(3),
            max_timeout: Duration::from_secs(12),
            retries: 2,
            dead_time: Duration::from_secs(30),
            sockets: 2,
            max_in_flight: 1024,
            max_queued: 1024,
            require_message_authenticator: true,
        }
    }
}
