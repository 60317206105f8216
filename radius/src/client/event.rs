//! What goes into the client core and what comes out of it.

use std::fmt;
use std::net::SocketAddr;

use crate::attr::Attributes;
use crate::wire::Code;

/// Names one request from `handle_request` to its `Reply` or `Failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// A request as the caller hands it in: the core adds the identifier, the authenticators, the
/// Message-Authenticator, hides User-Password, and for Accounting-Requests writes
/// Acct-Delay-Time (any given value plus the time the request waited in the core).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Access-Request or Accounting-Request.
    pub code: Code,
    /// The attributes, User-Password in the clear.
    pub attributes: Attributes,
}

/// One datagram for the driver to send, now in the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Which of the driver's socket slots to send from.
    pub socket: usize,
    /// The server.
    pub to: SocketAddr,
    /// Length of the datagram at the start of the buffer.
    pub len: usize,
}

/// Why `handle_request` refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// `max_in_flight` requests are out and `max_queued` wait already.
    Busy,
    /// No server is configured for this purpose.
    NoServer,
    /// The request cannot be encoded: over 4096 octets, or a value too long for an attribute.
    TooLong,
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RequestError::Busy => "too many RADIUS requests in flight and queued",
            RequestError::NoServer => "no RADIUS server configured for this purpose",
            RequestError::TooLong => "RADIUS request too long to encode",
        })
    }
}

impl std::error::Error for RequestError {}

/// Why a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailReason {
    /// Every usable server was tried and none answered.
    Timeout,
}

/// Why a datagram was refused; each is counted in [`Stats`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// Not from a configured server's address and port.
    WrongSource,
    /// Not a well-formed RADIUS packet.
    Malformed,
    /// No request is outstanding with this identifier on this socket to this server.
    UnknownIdentifier,
    /// The Response Authenticator does not match the request and secret.
    BadResponseAuthenticator,
    /// No Message-Authenticator, and one is required.
    MissingMessageAuthenticator,
    /// The Message-Authenticator is wrong.
    BadMessageAuthenticator,
    /// An authentic reply whose code does not answer the request's.
    UnexpectedCode,
}

impl DropReason {
    /// A short static reason for logs.
    pub fn reason(self) -> &'static str {
        match self {
            DropReason::WrongSource => "reply from an unknown source",
            DropReason::Malformed => "malformed reply",
            DropReason::UnknownIdentifier => "reply with an unknown identifier",
            DropReason::BadResponseAuthenticator => "reply with a bad Response Authenticator",
            DropReason::MissingMessageAuthenticator => "reply without Message-Authenticator",
            DropReason::BadMessageAuthenticator => "reply with a bad Message-Authenticator",
            DropReason::UnexpectedCode => "reply code does not answer the request",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

/// What the driver must act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A verified reply. Encrypted attributes (MS-MPPE-Send/Recv-Key, MS-CHAP-MPPE-Keys,
    /// Tunnel-Password) are already decrypted.
    Reply {
        /// The request it answers.
        id: RequestId,
        /// Access-Accept, Access-Reject, Access-Challenge or Accounting-Response.
        code: Code,
        /// The reply's attributes in order, Vendor-Specific ones split out.
        attributes: Attributes,
    },
    /// The request got no reply from any server.
    Failed {
        /// The request.
        id: RequestId,
        /// Why.
        reason: FailReason,
    },
    /// A server stopped answering and is skipped for the dead time.
    ServerDead {
        /// Index in `Config::servers`.
        server: usize,
        /// Its address.
        addr: SocketAddr,
    },
    /// A server marked dead answered again.
    ServerAlive {
        /// Index in `Config::servers`.
        server: usize,
        /// Its address.
        addr: SocketAddr,
    },
    /// A datagram was refused.
    Dropped {
        /// Why.
        reason: DropReason,
        /// Where it came from.
        from: SocketAddr,
    },
}

/// Counters since the core was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests accepted by `handle_request`.
    pub requests: u64,
    /// Requests refused with `Busy`.
    pub busy: u64,
    /// Datagrams handed to the driver, first sends and retransmissions.
    pub sent: u64,
    /// Of those, retransmissions (same server) and resends after failover.
    pub retransmitted: u64,
    /// Verified replies.
    pub replies: u64,
    /// Requests failed.
    pub failed: u64,
    /// Dropped: wrong source.
    pub dropped_wrong_source: u64,
    /// Dropped: malformed.
    pub dropped_malformed: u64,
    /// Dropped: unknown identifier.
    pub dropped_unknown_identifier: u64,
    /// Dropped: bad Response Authenticator.
    pub dropped_bad_authenticator: u64,
    /// Dropped: no Message-Authenticator.
    pub dropped_missing_message_authenticator: u64,
    /// Dropped: bad Message-Authenticator.
    pub dropped_bad_message_authenticator: u64,
    /// Dropped: unexpected code.
    pub dropped_unexpected_code: u64,
}

impl Stats {
    pub(crate) fn count_drop(&mut self, reason: DropReason) {
        let counter = match reason {
            DropReason::WrongSource => &mut self.dropped_wrong_source,
            DropReason::Malformed => &mut self.dropped_malformed,
            DropReason::UnknownIdentifier => &mut self.dropped_unknown_identifier,
            DropReason::BadResponseAuthenticator => &mut self.dropped_bad_authenticator,
            DropReason::MissingMessageAuthenticator => {
                &mut self.dropped_missing_message_authenticator
            }
            DropReason::BadMessageAuthenticator => &mut self.dropped_bad_message_authenticator,
            DropReason::UnexpectedCode => &mut self.dropped_unexpected_code,
        };
        *counter += 1;
    }

    /// All datagrams dropped.
    pub fn dropped(&self) -> u64 {
        self.dropped_wrong_source
            + self.dropped_malformed
            + self.dropped_unknown_identifier
            + self.dropped_bad_authenticator
            + self.dropped_missing_message_authenticator
            + self.dropped_bad_message_authenticator
            + self.dropped_unexpected_code
    }
}
