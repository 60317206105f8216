//! Sending side: Ns assignment, the peer's window, acknowledgement by Nr and retransmission
//! with exponential back-off.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::config::ReliableConfig;
use super::congestion::Congestion;
use super::seq::{ahead, is_before};

/// Largest number of our messages in the sequence space at once, so that Nr comparisons
/// stay unambiguous (half the 16-bit space).
const MAX_OUTSTANDING: usize = 0x7fff;

/// What a timer expiry meant for the sending side.
pub(crate) enum Expiry {
    /// Not due yet, or nothing in flight.
    Nothing,
    /// The oldest unacknowledged message is to be sent again.
    Retransmit,
    /// Retransmissions exhausted without progress.
    Dead,
}

/// Our messages from the oldest unacknowledged one on, plus the retransmission timer.
pub(crate) struct SendQueue {
    /// Message bodies; the front one has Ns == `base`, the next `base + 1`, and so on.
    queue: VecDeque<Vec<u8>>,
    /// Ns of the oldest unacknowledged message (or of the next one, when none is).
    base: u16,
    /// How many of `queue` (from the front) have been transmitted at least once.
    sent: usize,
    /// The peer's receive window.
    window: usize,
    /// Appendix A congestion window, unless disabled.
    congestion: Option<Congestion>,
    max_queue: usize,
    initial_timeout: Duration,
    max_timeout: Duration,
    max_retransmits: u32,
    /// Current (backed-off) retransmission timeout.
    timeout: Duration,
    deadline: Option<Instant>,
    retransmits: u32,
    retransmit_due: bool,
}

impl SendQueue {
    /// An empty queue whose first message gets Ns 0.
    pub(crate) fn new(cfg: &ReliableConfig) -> Self {
        Self {
            queue: VecDeque::new(),
            base: 0,
            sent: 0,
            window: clamp_window(cfg.peer_window),
            congestion: cfg
                .slow_start
                .then(|| Congestion::new(clamp_window(cfg.peer_window))),
            max_queue: cfg.max_queue.min(MAX_OUTSTANDING),
            initial_timeout: cfg.initial_timeout,
            max_timeout: cfg.max_timeout.max(cfg.initial_timeout),
            max_retransmits: cfg.max_retransmits,
            timeout: cfg.initial_timeout,
            deadline: None,
            retransmits: 0,
            retransmit_due: false,
        }
    }

    /// Sets the peer's receive window; messages already in flight stay so.
    pub(crate) fn set_window(&mut self, window: u16) {
        self.window = clamp_window(window);
        if let Some(c) = &mut self.congestion {
            c.set_peer_window(self.window);
        }
    }

    /// Queues a body and returns its Ns, or `None` when the queue is full.
    pub(crate) fn push(&mut self, body: Vec<u8>) -> Option<u16> {
        if self.queue.len() >= self.max_queue {
            return None;
        }
        let ns = self.base.wrapping_add(self.queue.len() as u16);
        self.queue.push_back(body);
        Some(ns)
    }

    /// Whether another message can be queued now.
    pub(crate) fn has_room(&self) -> bool {
        self.queue.len() < self.max_queue
    }

    /// Ns the next new message will go out with (what a ZLB carries).
    pub(crate) fn next_ns(&self) -> u16 {
        self.base.wrapping_add(self.sent as u16)
    }

    /// Applies a received Nr. A stale one (reordered datagram) is ignored; returns false when
    /// it acknowledges messages never sent.
    pub(crate) fn ack(&mut self, now: Instant, nr: u16) -> bool {
        if is_before(nr, self.base) {
            return true;
        }
        let acked = usize::from(ahead(nr, self.base));
        if acked > self.sent {
            return false;
        }
        if acked == 0 {
            return true;
        }
        if let Some(c) = &mut self.congestion {
            c.on_ack(acked, self.window);
        }
        self.queue.drain(..acked);
        self.sent -= acked;
        self.base = nr;
        self.retransmits = 0;
        self.retransmit_due = false;
        self.timeout = self.initial_timeout;
        self.deadline = (self.sent > 0).then(|| now + self.timeout);
        true
    }

    /// The next message to put on the wire: a due retransmission first, then a new message if
    /// the peer's (and the congestion) window has room. Returns its Ns and its place in the
    /// queue (for [`SendQueue::body`]).
    pub(crate) fn poll(&mut self, now: Instant) -> Option<(u16, usize)> {
        if self.retransmit_due {
            self.retransmit_due = false;
            return (!self.queue.is_empty()).then_some((self.base, 0));
        }
        let window = self
            .congestion
            .as_ref()
            .map_or(self.window, Congestion::window);
        if self.sent >= window || self.sent >= self.queue.len() {
            return None;
        }
        let ns = self.next_ns();
        let idx = self.sent;
        self.sent += 1;
        if self.deadline.is_none() {
            self.deadline = Some(now + self.timeout);
        }
        Some((ns, idx))
    }

    /// The body of the queued message at `idx` (0 is the oldest unacknowledged one).
    pub(crate) fn body(&self, idx: usize) -> &[u8] {
        self.queue.get(idx).map_or(&[], Vec::as_slice)
    }

    /// When the oldest unacknowledged message is due for retransmission.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Handles the retransmission timer at `now`, backing off exponentially up to the cap.
    pub(crate) fn on_timeout(&mut self, now: Instant) -> Expiry {
        match self.deadline {
            Some(d) if d <= now => {}
            _ => return Expiry::Nothing,
        }
        if self.retransmits >= self.max_retransmits {
            self.deadline = None;
            return Expiry::Dead;
        }
        self.retransmits += 1;
        self.retransmit_due = true;
        if let Some(c) = &mut self.congestion {
            c.on_retransmit();
        }
        self.timeout = (self.timeout * 2).min(self.max_timeout);
        self.deadline = Some(now + self.timeout);
        Expiry::Retransmit
    }

    /// Forgets every message not yet acknowledged (the peer closed the connection).
    pub(crate) fn abandon(&mut self) {
        self.base = self.next_ns();
        self.queue.clear();
        self.sent = 0;
        self.deadline = None;
        self.retransmit_due = false;
    }

    /// Whether no message is unacknowledged or waiting for the window.
    pub(crate) fn is_idle(&self) -> bool {
        self.queue.is_empty()
    }
}

/// A window of 0 is invalid (RFC 2661 §4.4.3); more than half the sequence space is ambiguous.
fn clamp_window(window: u16) -> usize {
    usize::from(window).clamp(1, MAX_OUTSTANDING)
}
