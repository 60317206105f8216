//! Packets dropped for a reason (bad input from the network, mostly), counted per kind and
//! logged at most once per second per kind.
//!
//! A flood of malformed or forged packets must not become a flood of log lines: every report
//! bumps its kind's counter, and a warning goes out only when that kind has been quiet for
//! [`LOG_INTERVAL`], saying how many reports of the kind it stands for.

use std::fmt::Display;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod peer_throttle;

use peer_throttle::PeerThrottle;

/// Shortest time between two log lines of one kind.
pub const LOG_INTERVAL: Duration = Duration::from_secs(1);

/// What was wrong with a packet or message that was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadInputKind {
    /// An L2TP datagram whose header did not parse.
    L2tpMalformed,
    /// An L2TP control message for a tunnel we do not have.
    L2tpUnknownTunnel,
    /// An L2TP data message for a session we do not have.
    L2tpUnknownSession,
    /// An L2TP message for an established tunnel from another address or port than its own.
    L2tpWrongPeer,
    /// An SCCRQ (or other message for tunnel 0) that did not parse.
    L2tpBadSccrq,
    /// An SCCRQ refused by a limit (tunnels in total, in setup, or setup rate).
    L2tpTunnelRefused,
    /// An L2TP data message whose Ns is far beyond the session's window.
    L2tpOutOfWindow,
    /// A tunnel's control queue was full and a message was dropped.
    L2tpTunnelBusy,
    /// A control datagram we could not send (socket buffer full, no route); the reliable
    /// channel retransmits it.
    L2tpSendFailed,
    /// L2TP that did not come through IPsec, to a server or tunnel that requires it.
    L2tpCleartext,
    /// An SCCRQ through an IPsec SA charon has not told us of (yet).
    L2tpUnknownSa,
    /// A GRE packet that did not parse or is not PPTP's enhanced GRE.
    GreMalformed,
    /// A GRE packet for a call we do not have, or of another peer.
    GreUnknownCall,
    /// A GRE packet whose sequence number is far outside the peer's window.
    GreOutOfWindow,
    /// A PPTP control connection refused by a limit.
    PptpRefused,
    /// A PPTP control message that was malformed or not allowed where it came.
    PptpBadMessage,
    /// A RADIUS reply refused (unknown source or identifier, bad authenticator, malformed).
    RadiusReplyDropped,
    /// A dynamic authorization request ignored (unknown client, bad authenticator, unsigned).
    DaeRequestDropped,
}

/// Every kind, in the order of [`BadInputKind::index`].
const KINDS: [BadInputKind; 18] = [
    BadInputKind::L2tpMalformed,
    BadInputKind::L2tpUnknownTunnel,
    BadInputKind::L2tpUnknownSession,
    BadInputKind::L2tpWrongPeer,
    BadInputKind::L2tpBadSccrq,
    BadInputKind::L2tpTunnelRefused,
    BadInputKind::L2tpOutOfWindow,
    BadInputKind::L2tpTunnelBusy,
    BadInputKind::L2tpSendFailed,
    BadInputKind::L2tpCleartext,
    BadInputKind::L2tpUnknownSa,
    BadInputKind::GreMalformed,
    BadInputKind::GreUnknownCall,
    BadInputKind::GreOutOfWindow,
    BadInputKind::PptpRefused,
    BadInputKind::PptpBadMessage,
    BadInputKind::RadiusReplyDropped,
    BadInputKind::DaeRequestDropped,
];

impl BadInputKind {
    /// The kind's name in logs.
    pub fn name(self) -> &'static str {
        match self {
            BadInputKind::L2tpMalformed => "l2tp_malformed",
            BadInputKind::L2tpUnknownTunnel => "l2tp_unknown_tunnel",
            BadInputKind::L2tpUnknownSession => "l2tp_unknown_session",
            BadInputKind::L2tpWrongPeer => "l2tp_wrong_peer",
            BadInputKind::L2tpBadSccrq => "l2tp_bad_sccrq",
            BadInputKind::L2tpTunnelRefused => "l2tp_tunnel_refused",
            BadInputKind::L2tpOutOfWindow => "l2tp_out_of_window",
            BadInputKind::L2tpTunnelBusy => "l2tp_tunnel_busy",
            BadInputKind::L2tpSendFailed => "l2tp_send_failed",
            BadInputKind::L2tpCleartext => "l2tp_cleartext",
            BadInputKind::L2tpUnknownSa => "l2tp_unknown_sa",
            BadInputKind::GreMalformed => "gre_malformed",
            BadInputKind::GreUnknownCall => "gre_unknown_call",
            BadInputKind::GreOutOfWindow => "gre_out_of_window",
            BadInputKind::PptpRefused => "pptp_refused",
            BadInputKind::PptpBadMessage => "pptp_bad_message",
            BadInputKind::RadiusReplyDropped => "radius_reply_dropped",
            BadInputKind::DaeRequestDropped => "dae_request_dropped",
        }
    }

    fn index(self) -> usize {
        KINDS.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// One kind's counter and log throttle.
#[derive(Default)]
struct KindState {
    count: AtomicU64,
    /// The count when the last line was logged.
    logged_count: AtomicU64,
    /// When the last line was logged, in milliseconds since `BadInput::epoch`, plus one (0: never).
    logged_at: AtomicU64,
}

/// Daemon-wide counters of bad input, with rate-limited warnings.
pub struct BadInput {
    epoch: Instant,
    kinds: [KindState; KINDS.len()],
    per_peer: Mutex<PeerThrottle>,
}

impl Default for BadInput {
    fn default() -> Self {
        BadInput {
            epoch: Instant::now(),
            kinds: Default::default(),
            per_peer: Mutex::default(),
        }
    }
}

impl BadInput {
    /// Counts one dropped packet or message of `kind` from `peer`, and logs `why` unless a line
    /// of this kind went out less than [`LOG_INTERVAL`] ago.
    pub fn report(&self, kind: BadInputKind, peer: SocketAddr, why: impl Display) -> bool {
        let state = &self.kinds[kind.index()];
        let count = state.count.fetch_add(1, Ordering::Relaxed) + 1;
        let now_ms = self.epoch.elapsed().as_millis() as u64 + 1;
        let last = state.logged_at.load(Ordering::Relaxed);
        let interval = LOG_INTERVAL.as_millis() as u64;
        if last != 0 && now_ms < last + interval {
            return false;
        }
        if state
            .logged_at
            .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return false; // another thread logs this one
        }
        let before = state.logged_count.swap(count, Ordering::Relaxed);
        let unlogged = count - before - 1;
        tracing::warn!(%peer, kind = kind.name(), total = count, unlogged, "dropped: {why}");
        true
    }

    /// Counts one dropped packet or message of `kind` from `peer`, and logs `why` unless this
    /// address was logged less than [`peer_throttle::PEER_INTERVAL`] ago (or the lines of all
    /// addresses reached their per-second cap): for input an operator wants to hear of from
    /// each peer.
    pub fn report_per_peer(&self, kind: BadInputKind, peer: SocketAddr, why: impl Display) {
        let count = self.kinds[kind.index()]
            .count
            .fetch_add(1, Ordering::Relaxed)
            + 1;
        let mut throttle = self.per_peer.lock().unwrap_or_else(|p| p.into_inner());
        if throttle.allow(Instant::now(), peer.ip()) {
            drop(throttle);
            tracing::warn!(%peer, kind = kind.name(), total = count, "dropped: {why}");
        }
    }

    /// Counts one of `kind` without logging (drops that are normal for a moment, such as data
    /// for a session that just ended).
    pub fn note(&self, kind: BadInputKind) {
        self.kinds[kind.index()]
            .count
            .fetch_add(1, Ordering::Relaxed);
    }

    /// How many of `kind` there were.
    pub fn total(&self, kind: BadInputKind) -> u64 {
        self.kinds[kind.index()].count.load(Ordering::Relaxed)
    }

    /// Every kind with a non-zero count, for the summary at shutdown.
    pub fn nonzero(&self) -> Vec<(&'static str, u64)> {
        KINDS
            .iter()
            .map(|k| (k.name(), self.total(*k)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests;
