//! Per-call GRE state: sequence numbers, acknowledgments, the peer's window and reordering.
//!
//! Sending: sequence numbers start at 0; a pending acknowledgment rides on the next data packet,
//! or goes out as an ack-only packet once [`ACK_DELAY`] passed without data (at once after
//! [`ACK_BURST`] unacknowledged packets).
//!
//! Window: RFC 2637 lets the sender keep at most the peer's receive window unacknowledged.
//! The Linux kernel driver (used by accel-ppp) does not enforce it and only acknowledges on its
//! own data packets; FreeBSD's netgraph "pretends it got the ack" when acks are late. We
//! enforce the window only while the peer is acknowledging at all: a peer that never sent an
//! ack is not throttled, and when the window is full but no ack progress was seen for
//! [`ACK_TIMEOUT`] we send anyway rather than stall. So a silent peer costs at most one
//! [`ACK_TIMEOUT`] of drops, and a peer that acks (Windows) is held to its window.

use std::time::{Duration, Instant};

use super::packet::{GrePacket, GreRepr, GRE_BASE_LEN};
use super::reorder::{seq_diff, Placement, Reorder};

/// How long an acknowledgment may wait for a data packet to ride on.
pub const ACK_DELAY: Duration = Duration::from_millis(50);
/// Unacknowledged received packets after which an ack-only packet is due at once.
pub const ACK_BURST: u32 = 16;
/// With a full window, how long we wait for ack progress before sending anyway.
pub const ACK_TIMEOUT: Duration = Duration::from_millis(500);
/// Length of an ack-only packet (the smallest `out` for `poll_ack`).
pub const ACK_PACKET_LEN: usize = GRE_BASE_LEN + 4;

/// Result of [`GreChannel::receive`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreReceive<'a> {
    /// The next in-order PPP frame (borrowed from the packet). Drain `poll_frame` afterwards.
    Frame(&'a [u8]),
    /// An early packet was stored; it comes out of `poll_frame` later.
    Buffered,
    /// An acknowledgment without data.
    AckOnly,
    /// Malformed, stale or duplicate: dropped, with the reason.
    Dropped(&'static str),
}

/// Counters of one GRE channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GreStats {
    /// Frames delivered in order.
    pub rx_frames: u64,
    /// Packets stored in the reorder buffer.
    pub rx_buffered: u64,
    /// Sequence numbers skipped as lost.
    pub rx_lost: u64,
    /// Packets dropped (malformed, stale, duplicate, no room).
    pub rx_dropped: u64,
    /// Ack-only packets received.
    pub rx_acks: u64,
    /// Data packets sent.
    pub tx_frames: u64,
    /// Frames not sent because the peer's window was full.
    pub tx_window_full: u64,
    /// Ack-only packets sent.
    pub tx_acks: u64,
}

/// Per-call GRE state: sequence numbers, acknowledgments, peer window, reordering.
pub struct GreChannel {
    peer_call_id: u16,
    peer_window: u16,
    /// Sequence number of the next data packet we send.
    next_seq: u32,
    /// True once a data packet went out.
    sent_any: bool,
    /// Highest sequence number the peer acknowledged.
    peer_acked: Option<u32>,
    /// Since when the oldest unacknowledged packet waits for ack progress.
    ack_wait_since: Option<Instant>,
    rx: Reorder,
    /// The acknowledgment number we sent last.
    ack_sent: Option<u32>,
    /// When an owed acknowledgment must go out alone.
    ack_due: Option<Instant>,
    /// Packets received in order since our last acknowledgment.
    unacked_rx: u32,
    /// Latest time seen (for frames released by `poll_frame`, which takes no time).
    last_now: Instant,
    stats: GreStats,
}

impl GreChannel {
    /// A channel sending to `peer_call_id` (the key on our packets), honouring
    /// `peer_recv_window` (0 = not announced, not enforced).
    pub fn new(peer_call_id: u16, peer_recv_window: u16, now: Instant) -> Self {
        GreChannel {
            peer_call_id,
            peer_window: peer_recv_window,
            next_seq: 0,
            sent_any: false,
            peer_acked: None,
            ack_wait_since: None,
            rx: Reorder::new(),
            ack_sent: None,
            ack_due: None,
            unacked_rx: 0,
            last_now: now,
            stats: GreStats::default(),
        }
    }

    /// Updates the peer's receive window (e.g. from Incoming-Call-Connected).
    pub fn set_peer_recv_window(&mut self, window: u16) {
        self.peer_window = window;
    }

    /// The peer's call id (the key of our packets).
    pub fn peer_call_id(&self) -> u16 {
        self.peer_call_id
    }

    /// Counters.
    pub fn stats(&self) -> GreStats {
        GreStats {
            rx_lost: self.rx.lost,
            ..self.stats.clone()
        }
    }

    /// Writes GRE header (key = peer's call id, seq, piggy-backed ack if pending) + frame into
    /// `out`. None if the peer's window is full (drop), the frame is over 65535 bytes or
    /// `out` is too small (needs `frame.len() + 16`).
    pub fn encapsulate(&mut self, now: Instant, ppp_frame: &[u8], out: &mut [u8]) -> Option<usize> {
        self.last_now = now;
        let payload_len = u16::try_from(ppp_frame.len()).ok()?;
        if self.window_full(now) {
            self.stats.tx_window_full += 1;
            return None;
        }
        let ack = self.owed_ack();
        let repr = GreRepr {
            call_id: self.peer_call_id,
            payload_len,
            seq: Some(self.next_seq),
            ack,
        };
        let header_len = repr.header_len();
        let dst = out.get_mut(header_len..header_len + ppp_frame.len())?;
        dst.copy_from_slice(ppp_frame);
        repr.emit(out)?;
        if ack.is_some() {
            self.ack_sent = ack;
            self.ack_done();
        }
        if self.outstanding() == 0 {
            self.ack_wait_since = Some(now);
        }
        self.next_seq = self.next_seq.wrapping_add(1);
        self.sent_any = true;
        self.stats.tx_frames += 1;
        Some(header_len + ppp_frame.len())
    }

    /// While the peer's window is full: when the ack timeout lets frames go out anyway.
    pub fn window_deadline(&self) -> Option<Instant> {
        self.ack_wait_since.map(|since| since + ACK_TIMEOUT)
    }

    /// Whether `encapsulate` would send now (the peer's window has room). Callers that encrypt
    /// statefully check this first, so a frame is never encrypted and then dropped.
    pub fn can_send(&self, now: Instant) -> bool {
        !self.window_full(now)
    }

    /// A GRE packet for this call (IP header already stripped). Returns the in-order PPP frame
    /// if any (zero-copy), buffers early packets within a small window, drops stale/duplicate
    /// ones. Call `poll_frame` until None afterwards.
    pub fn receive<'a>(&mut self, now: Instant, packet: &'a [u8]) -> GreReceive<'a> {
        self.last_now = now;
        let view = match GrePacket::new_checked(packet) {
            Ok(view) => view,
            Err(e) => return self.dropped(e.reason()),
        };
        if let Some(ack) = view.ack() {
            self.on_ack(now, ack);
        }
        self.rx.expire(now);
        let Some(seq) = view.seq() else {
            self.stats.rx_acks += 1;
            return GreReceive::AckOnly;
        };
        let start = view.header_len();
        let payload = packet
            .get(start..start + usize::from(view.payload_len()))
            .unwrap_or(&[]);
        match self.rx.offer(now, seq, payload) {
            Placement::InOrder => {
                self.delivered();
                GreReceive::Frame(payload)
            }
            Placement::Buffered => {
                self.stats.rx_buffered += 1;
                GreReceive::Buffered
            }
            Placement::Stale => self.dropped("stale or duplicate sequence number"),
            Placement::Duplicate => self.dropped("duplicate sequence number"),
            Placement::Full => self.dropped("reorder buffer full"),
            Placement::TooLarge => self.dropped("frame too large to reorder"),
        }
    }

    fn dropped(&mut self, reason: &'static str) -> GreReceive<'static> {
        self.stats.rx_dropped += 1;
        GreReceive::Dropped(reason)
    }

    /// After `receive` or `poll_ack`, frames that became in-order from the reorder buffer.
    /// `out` should hold 4096 bytes; a frame that does not fit is dropped.
    pub fn poll_frame(&mut self, out: &mut [u8]) -> Option<usize> {
        loop {
            match self.rx.pop(out)? {
                Ok(len) => {
                    self.delivered();
                    return Some(len);
                }
                Err(_) => self.stats.rx_dropped += 1,
            }
        }
    }

    /// When `poll_ack` must run next: an owed acknowledgment or a reorder gap timing out.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match (self.ack_due, self.rx.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Timer work: releases reorder-buffered frames whose gap timed out (drain them with
    /// `poll_frame`), and writes an ack-only packet into `out` (>= [`ACK_PACKET_LEN`] bytes) when an
    /// acknowledgment is owed and no data went out within the ack delay.
    pub fn poll_ack(&mut self, now: Instant, out: &mut [u8]) -> Option<usize> {
        self.last_now = now;
        self.rx.expire(now);
        if self.ack_due.is_none_or(|due| now < due) {
            return None;
        }
        let ack = self.owed_ack();
        let Some(ack) = ack else {
            self.ack_done();
            return None;
        };
        let repr = GreRepr {
            call_id: self.peer_call_id,
            payload_len: 0,
            seq: None,
            ack: Some(ack),
        };
        let len = repr.emit(out)?;
        self.ack_sent = Some(ack);
        self.ack_done();
        self.stats.tx_acks += 1;
        Some(len)
    }

    /// The acknowledgment number owed to the peer, if it changed since we last sent one.
    fn owed_ack(&self) -> Option<u32> {
        let ack = self.rx.last_in_order()?;
        (self.ack_sent != Some(ack)).then_some(ack)
    }

    fn ack_done(&mut self) {
        self.ack_due = None;
        self.unacked_rx = 0;
    }

    /// A frame was delivered in order: an acknowledgment becomes owed.
    fn delivered(&mut self) {
        self.stats.rx_frames += 1;
        self.unacked_rx += 1;
        let now = self.last_now;
        if self.unacked_rx >= ACK_BURST {
            self.ack_due = Some(now);
        } else if self.ack_due.is_none() {
            self.ack_due = Some(now + ACK_DELAY);
        }
    }

    /// Data packets sent and not yet acknowledged.
    fn outstanding(&self) -> u32 {
        match self.peer_acked {
            Some(acked) => self.next_seq.wrapping_sub(acked).wrapping_sub(1),
            None => self.next_seq,
        }
    }

    fn window_full(&self, now: Instant) -> bool {
        let window = u32::from(self.peer_window);
        if window == 0 || self.peer_acked.is_none() || self.outstanding() < window {
            return false;
        }
        self.ack_wait_since
            .is_some_and(|since| now.saturating_duration_since(since) < ACK_TIMEOUT)
    }

    fn on_ack(&mut self, now: Instant, ack: u32) {
        if !self.sent_any {
            return;
        }
        let last_sent = self.next_seq.wrapping_sub(1);
        // "Nothing acknowledged yet" is the number before our first sequence number (0).
        let floor = self.peer_acked.unwrap_or(u32::MAX);
        if seq_diff(ack, last_sent) > 0 || seq_diff(ack, floor) <= 0 {
            return;
        }
        self.peer_acked = Some(ack);
        self.ack_wait_since = (self.outstanding() > 0).then_some(now);
    }
}

#[cfg(test)]
mod tests;
