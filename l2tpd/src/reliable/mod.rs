//! Reliable delivery of one tunnel's control messages (RFC 2661 §5.8), independent of their
//! contents: the caller owns headers and AVPs, this deals in Ns/Nr and opaque bodies.
//!
//! Sans-IO. After every call that feeds input (`send`, `receive`, `handle_timeout`,
//! `set_peer_window`) drain `poll_transmit`, `poll_deliver` and `poll_event`, then arm a
//! timer for `poll_timeout`.

mod config;
mod congestion;
mod recv;
mod send;
pub(crate) mod seq;
mod types;

use std::time::{Duration, Instant};

pub use config::ReliableConfig;
use recv::{Arrival, RecvWindow};
use send::{Expiry, SendQueue};
pub use types::{Receive, ReliableEvent, ReliableStats, SendError, Transmit};

/// The reliable control channel of one tunnel.
pub struct ReliableChannel {
    send: SendQueue,
    recv: RecvWindow,
    ack_delay: Duration,
    /// When a delayed acknowledgement must go out as a ZLB if nothing carried it by then.
    ack_deadline: Option<Instant>,
    /// A ZLB must go out at once (the peer retransmitted something we already have, or half
    /// our window is waiting to be acknowledged).
    ack_now: bool,
    /// Messages accepted since our last acknowledgement went out.
    unacked: u16,
    /// Acknowledge at once after this many (half our window): a peer that has filled its
    /// window, or grows it by slow start, does not wait out the ack delay.
    ack_every: u16,
    dead: bool,
    event: Option<ReliableEvent>,
    stats: ReliableStats,
}

impl ReliableChannel {
    /// A fresh channel: our first message gets Ns 0 and we expect the peer's Ns 0.
    pub fn new(cfg: ReliableConfig) -> Self {
        Self {
            send: SendQueue::new(&cfg),
            recv: RecvWindow::new(cfg.our_window),
            ack_delay: cfg.ack_delay,
            ack_deadline: None,
            ack_now: false,
            unacked: 0,
            ack_every: (cfg.our_window / 2).max(1),
            dead: false,
            event: None,
            stats: ReliableStats::default(),
        }
    }

    /// Sets the peer's Receive Window Size once its SCCRQ/SCCRP is known (0 is treated as 1).
    pub fn set_peer_window(&mut self, window: u16) {
        self.send.set_window(window);
    }

    /// Queues a message body and returns the Ns assigned to it; it goes out through
    /// `poll_transmit` when the peer's window allows.
    pub fn send(&mut self, body: Vec<u8>) -> Result<u16, SendError> {
        if self.dead {
            return Err(SendError::PeerDead);
        }
        if body.is_empty() {
            return Err(SendError::EmptyBody);
        }
        self.send.push(body).ok_or(SendError::QueueFull)
    }

    /// Handles a received control message's Ns, Nr and body (empty = ZLB).
    pub fn receive(&mut self, now: Instant, ns: u16, nr: u16, body: &[u8]) -> Receive {
        if !self.send.ack(now, nr) {
            self.stats.bad_acks += 1;
            tracing::debug!(nr, "control Nr acknowledges unsent messages; ignored");
        }
        if body.is_empty() {
            return Receive::AckOnly;
        }
        match self.recv.arrive(ns, body) {
            Arrival::Accepted => {
                self.ack_deadline.get_or_insert(now + self.ack_delay);
                self.unacked = self.unacked.saturating_add(1);
                if self.unacked >= self.ack_every {
                    self.ack_now = true;
                }
                Receive::Accepted
            }
            Arrival::Held => Receive::Held,
            Arrival::Duplicate => {
                self.stats.duplicates += 1;
                self.ack_now = true;
                tracing::debug!(ns, "duplicate control message; re-acknowledging");
                Receive::Duplicate
            }
            Arrival::OutOfWindow => {
                self.stats.out_of_window += 1;
                tracing::debug!(
                    ns,
                    expected = self.recv.expected(),
                    "control message out of window; dropped"
                );
                Receive::OutOfWindow
            }
        }
    }

    /// The next in-order message body for the tunnel state machine.
    pub fn poll_deliver(&mut self) -> Option<Vec<u8>> {
        self.recv.pop()
    }

    /// The next datagram to send: a retransmission, a new message, or a ZLB acknowledgement.
    /// Every one carries the current Nr, so messages piggyback pending acknowledgements.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Transmit<'_>> {
        if self.dead {
            return None;
        }
        let nr = self.recv.expected();
        if let Some((ns, idx)) = self.send.poll(now) {
            self.ack_now = false;
            self.ack_deadline = None;
            self.unacked = 0;
            let body = self.send.body(idx);
            return Some(Transmit { ns, nr, body });
        }
        let due = self.ack_now || self.ack_deadline.is_some_and(|d| d <= now);
        if !due {
            return None;
        }
        self.ack_now = false;
        self.ack_deadline = None;
        self.unacked = 0;
        Some(Transmit {
            ns: self.send.next_ns(),
            nr,
            body: &[],
        })
    }

    /// The peer closed the connection: our unacknowledged messages are dropped, and what we
    /// received is acknowledged by the next `poll_transmit` without delay. Received duplicates
    /// go on being re-acknowledged.
    pub fn close_by_peer(&mut self) {
        self.send.abandon();
        self.ack_now = self.ack_deadline.take().is_some() || self.ack_now;
    }

    /// Ns of our next message and Nr (the Ns of the peer's next message): what a ZLB carries.
    pub(crate) fn sequence(&self) -> (u16, u16) {
        (self.send.next_ns(), self.recv.expected())
    }

    /// Whether an acknowledgement is waiting to go out.
    pub(crate) fn ack_pending(&self) -> bool {
        self.ack_now || self.ack_deadline.is_some()
    }

    /// When `handle_timeout` (then `poll_transmit`) must next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.dead {
            return None;
        }
        match (self.send.deadline(), self.ack_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Advances timers: schedules a retransmission or declares the peer dead.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.dead {
            return;
        }
        match self.send.on_timeout(now) {
            Expiry::Nothing => {}
            Expiry::Retransmit => self.stats.retransmissions += 1,
            Expiry::Dead => {
                tracing::warn!("control channel peer stopped acknowledging");
                self.dead = true;
                self.event = Some(ReliableEvent::PeerDead);
            }
        }
    }

    /// The next event for the tunnel state machine.
    pub fn poll_event(&mut self) -> Option<ReliableEvent> {
        self.event.take()
    }

    /// Whether [`ReliableChannel::send`] would queue another message now (the queue is
    /// bounded by `max_queue`).
    pub fn can_send(&self) -> bool {
        !self.dead && self.send.has_room()
    }

    /// Whether none of our messages awaits acknowledgement or the peer's window.
    pub fn is_idle(&self) -> bool {
        self.send.is_idle()
    }

    /// Counters since the channel was created.
    pub fn stats(&self) -> ReliableStats {
        self.stats
    }
}
