//! The dynamic authorization server core (RFC 5176): Disconnect-Request and CoA-Request from
//! the allowed clients, checked before anything in them is believed, and their answers, with a
//! replay cache so a retransmitted request is answered again and never acted on twice.
//!
//! Sans-IO like the client: `handle_request(now, from, datagram)` says what to do (ignore it,
//! resend a cached answer, or act on a request), and `answer(now, request, outcome, buf)`
//! writes the ACK or NAK and remembers it for replays.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use crate::attr::{self, value, AttrType, Attribute, Attributes};
use crate::crypto::verify_request;
use crate::wire::{Builder, Code, Packet, AUTH_LEN};
use crate::Secret;

/// How long an answer is kept for a retransmitted request (RFC 5176 §2.3 lets clients resend).
pub const REPLAY_WINDOW: Duration = Duration::from_secs(30);
/// Answers kept at most (oldest dropped first).
pub const MAX_CACHED: usize = 1024;

/// A client allowed to send requests: its address and shared secret.
#[derive(Clone, Debug)]
pub struct DaeClient {
    /// Source address (any port).
    pub addr: IpAddr,
    /// Shared secret.
    pub secret: Secret,
}

/// Why a datagram was ignored; each is counted by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaeDrop {
    /// Not from an allowed client.
    UnknownClient,
    /// Not a well-formed RADIUS packet.
    Malformed,
    /// Not a Disconnect-Request or CoA-Request.
    UnexpectedCode,
    /// The Request Authenticator or Message-Authenticator is wrong (wrong secret, forged).
    BadAuthenticator,
    /// No Message-Authenticator.
    MissingMessageAuthenticator,
}

impl DaeDrop {
    /// A short reason for logs.
    pub fn reason(self) -> &'static str {
        match self {
            DaeDrop::UnknownClient => "dynamic authorization request from a client not allowed",
            DaeDrop::Malformed => "malformed dynamic authorization request",
            DaeDrop::UnexpectedCode => "not a Disconnect-Request or CoA-Request",
            DaeDrop::BadAuthenticator => "dynamic authorization request with a bad authenticator",
            DaeDrop::MissingMessageAuthenticator => {
                "dynamic authorization request without Message-Authenticator"
            }
        }
    }
}

/// Which sessions a request names (RFC 5176 §3 session identification attributes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    /// Acct-Session-Id.
    pub acct_session_id: Option<String>,
    /// User-Name.
    pub user_name: Option<String>,
    /// Framed-IP-Address.
    pub framed_ip: Option<Ipv4Addr>,
    /// Calling-Station-Id.
    pub calling_station_id: Option<String>,
}

impl Selector {
    /// Whether the request names no session at all.
    pub fn is_empty(&self) -> bool {
        *self == Selector::default()
    }
}

/// A verified request to act on.
#[derive(Clone, Debug)]
pub struct DaeRequest {
    /// Disconnect-Request or CoA-Request.
    pub code: Code,
    /// The sessions it names.
    pub selector: Selector,
    /// Attributes it carries that are neither session identification nor NAS identification
    /// (for a CoA: what to change).
    pub changes: Attributes,
    /// Where it came from (the answer goes back there).
    pub from: SocketAddr,
    identifier: u8,
    authenticator: [u8; AUTH_LEN],
    client: usize,
}

/// What to do with a datagram.
#[derive(Debug)]
pub enum DaeDecision {
    /// Drop it.
    Ignore(DaeDrop),
    /// A retransmission of an answered request: send these octets back to `to`.
    Resend {
        /// The cached answer.
        answer: Vec<u8>,
        /// The client.
        to: SocketAddr,
    },
    /// A new request: act on it, then call [`DaeServer::answer`].
    Act(DaeRequest),
}

/// How a request went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done (ACK).
    Done,
    /// Not done (NAK) for this Error-Cause (RFC 5176 §3.6).
    Refused(u32),
}

/// Identification attributes a request may carry besides the session selector.
const NAS_IDENTIFICATION: &[AttrType] = &[
    attr::NAS_IP_ADDRESS,
    attr::NAS_IPV6_ADDRESS,
    attr::NAS_IDENTIFIER,
    attr::MESSAGE_AUTHENTICATOR,
    attr::EVENT_TIMESTAMP,
    attr::PROXY_STATE,
];

struct Cached {
    at: Instant,
    client: usize,
    identifier: u8,
    authenticator: [u8; AUTH_LEN],
    answer: Vec<u8>,
}

/// The server's state: its clients and the answers kept for replays.
pub struct DaeServer {
    clients: Vec<DaeClient>,
    cache: VecDeque<Cached>,
}

impl DaeServer {
    /// A server that believes these clients only.
    pub fn new(clients: Vec<DaeClient>) -> Self {
        DaeServer {
            clients,
            cache: VecDeque::new(),
        }
    }

    /// Checks a datagram: who sent it, its authenticators, whether it was answered before.
    pub fn handle_request(
        &mut self,
        now: Instant,
        from: SocketAddr,
        datagram: &[u8],
    ) -> DaeDecision {
        self.expire(now);
        let Some(client) = self.clients.iter().position(|c| c.addr == from.ip()) else {
            return DaeDecision::Ignore(DaeDrop::UnknownClient);
        };
        let Ok(packet) = Packet::new_checked(datagram) else {
            return DaeDecision::Ignore(DaeDrop::Malformed);
        };
        let code = packet.code();
        if !matches!(code, Code::DisconnectRequest | Code::CoaRequest) {
            return DaeDecision::Ignore(DaeDrop::UnexpectedCode);
        }
        let has_mac = packet
            .attributes()
            .any(|a| a.vendor == 0 && a.typ == attr::MESSAGE_AUTHENTICATOR.code);
        if !has_mac {
            return DaeDecision::Ignore(DaeDrop::MissingMessageAuthenticator);
        }
        if verify_request(&packet, self.clients[client].secret.expose(), true).is_err() {
            return DaeDecision::Ignore(DaeDrop::BadAuthenticator);
        }
        let (identifier, authenticator) = (packet.identifier(), packet.authenticator());
        let replay = self.cache.iter().find(|c| {
            c.client == client && c.identifier == identifier && c.authenticator == authenticator
        });
        if let Some(cached) = replay {
            return DaeDecision::Resend {
                answer: cached.answer.clone(),
                to: from,
            };
        }
        let attributes: Attributes = packet.attributes().map(Attribute::from_raw).collect();
        let (selector, changes) = split(&attributes);
        DaeDecision::Act(DaeRequest {
            code,
            selector,
            changes,
            from,
            identifier,
            authenticator,
            client,
        })
    }

    /// Writes the answer to `request` into `buf` (ACK, or NAK with its Error-Cause, signed
    /// with a Message-Authenticator) and keeps it for replays; returns its length.
    pub fn answer(
        &mut self,
        now: Instant,
        request: &DaeRequest,
        outcome: Outcome,
        buf: &mut [u8],
    ) -> usize {
        let code = match (request.code, outcome) {
            (Code::DisconnectRequest, Outcome::Done) => Code::DisconnectAck,
            (Code::DisconnectRequest, Outcome::Refused(_)) => Code::DisconnectNak,
            (_, Outcome::Done) => Code::CoaAck,
            (_, Outcome::Refused(_)) => Code::CoaNak,
        };
        let secret = self.clients[request.client].secret.expose();
        let Ok(mut b) = Builder::new(buf, code, request.identifier) else {
            return 0;
        };
        let _ = b.message_authenticator();
        if let Outcome::Refused(cause) = outcome {
            let _ = b.attribute(attr::ERROR_CAUSE.code, &cause.to_be_bytes());
        }
        let len = b.finish_response(&request.authenticator, secret);
        self.cache.push_back(Cached {
            at: now,
            client: request.client,
            identifier: request.identifier,
            authenticator: request.authenticator,
            answer: buf[..len].to_vec(),
        });
        if self.cache.len() > MAX_CACHED {
            self.cache.pop_front();
        }
        len
    }

    fn expire(&mut self, now: Instant) {
        while self
            .cache
            .front()
            .is_some_and(|c| now.saturating_duration_since(c.at) > REPLAY_WINDOW)
        {
            self.cache.pop_front();
        }
    }
}

/// The session selector, and everything else a request carries beyond NAS identification.
fn split(attributes: &Attributes) -> (Selector, Attributes) {
    let selector = Selector {
        acct_session_id: attributes.text(attr::ACCT_SESSION_ID),
        user_name: attributes.text(attr::USER_NAME),
        framed_ip: attributes.ipv4(attr::FRAMED_IP_ADDRESS),
        calling_station_id: attributes.text(attr::CALLING_STATION_ID),
    };
    let selecting = [
        attr::ACCT_SESSION_ID,
        attr::USER_NAME,
        attr::FRAMED_IP_ADDRESS,
        attr::CALLING_STATION_ID,
    ];
    let changes = attributes
        .iter()
        .filter(|a| !selecting.contains(&a.typ) && !NAS_IDENTIFICATION.contains(&a.typ))
        .cloned()
        .collect();
    (selector, changes)
}

/// Error-Cause for a request that names no session or a session we do not have.
pub const NOT_FOUND: u32 = value::ERROR_CAUSE_SESSION_CONTEXT_NOT_FOUND;
/// Error-Cause for a request carrying attributes we cannot act on.
pub const UNSUPPORTED: u32 = value::ERROR_CAUSE_UNSUPPORTED_ATTRIBUTE;

#[cfg(test)]
mod tests;
