//! Why an IKE_SA could not be set up, read from charon's `log` events: a wrong pre-shared key,
//! no proposal in common, no connection for the peer, a certificate not trusted.
//!
//! Charon does not put the peer's address in most failure lines, so the peer is remembered
//! from the line that opened the IKE_SA ("198.51.100.2 is initiating a Main Mode IKE_SA") by
//! the IKE_SA's unique id; the memory is bounded.

use std::collections::{HashMap, VecDeque};

use crate::vici::Message;

/// The `log` event.
pub const LOG: &str = "log";
/// IKE_SAs whose peer is remembered at once.
pub const MAX_REMEMBERED: usize = 4096;
/// Failed IKE_SAs remembered so that their later lines are not reported again.
const MAX_REPORTED: usize = 64;

/// One line of charon's log as the `log` event carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// Subsystem, e.g. `IKE`, `ENC`, `CFG`.
    pub group: String,
    /// Unique id of the IKE_SA the line is about, when it is about one.
    pub ike_id: Option<u32>,
    /// The text.
    pub msg: String,
}

/// The typed form of a `log` event; `None` without a message.
pub fn parse_log(msg: &Message) -> Option<LogLine> {
    Some(LogLine {
        group: msg.get_str("group").unwrap_or_default().to_owned(),
        ike_id: msg.get_str("ikesa-uniqueid").and_then(|s| s.parse().ok()),
        msg: msg.get_str("msg")?.to_owned(),
    })
}

/// Why an IKE_SA failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IkeFailure {
    /// Main Mode messages did not decrypt: the peer's pre-shared key is not ours.
    WrongPsk,
    /// None of the peer's proposals is one we accept.
    NoProposal,
    /// No connection of charon's matches the peer (addresses, authentication method).
    NoConfig,
    /// The peer's signature or certificate was not accepted.
    AuthFailed,
}

impl IkeFailure {
    /// What to tell an operator.
    pub fn reason(self) -> &'static str {
        match self {
            IkeFailure::WrongPsk => "wrong pre-shared key (Main Mode did not decrypt)",
            IkeFailure::NoProposal => "no proposal chosen (the client's algorithms are not in ike_proposals/esp_proposals)",
            IkeFailure::NoConfig => "no connection matches the client (authentication method or addresses)",
            IkeFailure::AuthFailed => "authentication failed (certificate or signature not accepted)",
        }
    }

    /// The failure a log line reports, if it reports one.
    fn of(msg: &str) -> Option<IkeFailure> {
        const PATTERNS: [(&str, IkeFailure); 8] = [
            ("decryption failed", IkeFailure::WrongPsk),
            ("could not decrypt payloads", IkeFailure::WrongPsk),
            ("no proposal found", IkeFailure::NoProposal),
            ("no acceptable proposal found", IkeFailure::NoProposal),
            ("no matching proposal found", IkeFailure::NoProposal),
            ("no IKE config found", IkeFailure::NoConfig),
            ("no trusted RSA public key found", IkeFailure::AuthFailed),
            ("signature validation failed", IkeFailure::AuthFailed),
        ];
        PATTERNS
            .iter()
            .find(|(p, _)| msg.contains(p))
            .map(|(_, f)| *f)
    }
}

/// A failure with the peer it came from, when known, and charon's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureReport {
    /// The peer's address as charon wrote it.
    pub peer: Option<String>,
    /// What went wrong.
    pub failure: IkeFailure,
    /// The log line it was read from.
    pub detail: String,
}

/// Follows charon's log and reports each IKE_SA failure once.
#[derive(Default)]
pub struct FailureWatch {
    peers: HashMap<u32, String>,
    order: VecDeque<u32>,
    /// IKE_SAs whose failure was reported already (their later lines repeat it).
    reported: VecDeque<u32>,
}

impl FailureWatch {
    /// Reads one line; a failure comes back with its peer.
    pub fn observe(&mut self, line: &LogLine) -> Option<FailureReport> {
        if let (Some(id), Some(peer)) = (line.ike_id, initiating_peer(&line.msg)) {
            self.remember(id, peer.to_owned());
            return None;
        }
        let failure = IkeFailure::of(&line.msg)?;
        if line.ike_id.is_some_and(|id| self.reported.contains(&id)) {
            return None;
        }
        let peer = match line.ike_id {
            Some(id) => {
                self.reported.push_back(id);
                if self.reported.len() > MAX_REPORTED {
                    self.reported.pop_front();
                }
                self.forget(id)
            }
            None => None,
        };
        let peer = peer.or_else(|| config_peer(&line.msg).map(str::to_owned));
        Some(FailureReport {
            peer,
            failure,
            detail: line.msg.clone(),
        })
    }

    fn remember(&mut self, id: u32, peer: String) {
        if self.peers.insert(id, peer).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > MAX_REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.peers.remove(&old);
            }
        }
    }

    fn forget(&mut self, id: u32) -> Option<String> {
        let peer = self.peers.remove(&id)?;
        self.order.retain(|i| *i != id);
        Some(peer)
    }

    /// IKE_SAs whose peer is remembered now.
    pub fn remembered(&self) -> usize {
        self.peers.len()
    }
}

/// `198.51.100.2 is initiating a Main Mode IKE_SA` → `198.51.100.2`.
fn initiating_peer(msg: &str) -> Option<&str> {
    let (peer, rest) = msg.split_once(" is initiating a ")?;
    rest.ends_with("IKE_SA").then_some(peer.trim())
}

/// `no IKE config found for 198.51.100.1...198.51.100.2, sending ...` → `198.51.100.2`.
fn config_peer(msg: &str) -> Option<&str> {
    let after = msg.split_once("no IKE config found for ")?.1;
    let pair = after.split([',', ' ']).next()?;
    pair.split_once("...").map(|(_, remote)| remote)
}

#[cfg(test)]
mod tests;
