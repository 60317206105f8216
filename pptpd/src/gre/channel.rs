//! Per-call GRE state: sequence numbers, acknowledgments, the peer's window and reordering.
//!
//! The driver loop: `handle_packet` for each GRE packet of the call (then `poll_frame` for
//! frames the reorder buffer released), `send_frame` for each PPP frame to send, then
//! `poll_transmit` until None (data packets and ack-only packets, in the order they must go
//! out), and `handle_timeout` when `poll_timeout` passes.
//!
//! Frames beyond the peer's window wait in a bounded queue, in order: with stateful MPPE they
//! are already encrypted, so none may be dropped or reordered. `can_send` says whether the
//! queue has room, and is asked before PPP encrypts a frame.
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

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::packet::{GrePacket, GreRepr, GRE_BASE_LEN, GRE_MAX_HEADER_LEN};
use super::reorder::{seq_diff, Placement, Reorder};
use super::types::{GreDrop, GreReceive, GreStats, SendError};

/// How long an acknowledgment may wait for a data packet to ride on.
pub const ACK_DELAY: Duration = Duration::from_millis(50);
/// Unacknowledged received packets after which an ack-only packet is due at once.
pub const ACK_BURST: u32 = 16;
/// With a full window, how long we wait for ack progress before sending anyway.
pub const ACK_TIMEOUT: Duration = Duration::from_millis(500);
/// Length of an ack-only packet.
pub const ACK_PACKET_LEN: usize = GRE_BASE_LEN + 4;
/// Frames that may wait for the peer's window.
pub const MAX_WAITING: usize = 64;
/// PPP control frames that may wait besides, ahead of the data: LCP, authentication and NCP
/// traffic (an Echo-Reply, a Terminate-Ack, CCP's Reset-Ack) is never refused or queued behind
/// a backlog of data.
pub const MAX_WAITING_CONTROL: usize = 16;
/// Largest PPP frame `send_frame` takes (a `poll_transmit` buffer of this plus
/// [`GRE_MAX_HEADER_LEN`] bytes holds any packet).
pub const MAX_FRAME: usize = 4096;
/// A `poll_transmit` buffer that holds any packet.
pub const MAX_PACKET_LEN: usize = MAX_FRAME + GRE_MAX_HEADER_LEN;

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
    /// Frames waiting for the peer's window: PPP control frames first (the first
    /// `waiting_control`), then data, each oldest first.
    waiting: VecDeque<Vec<u8>>,
    /// How many of `waiting` are PPP control frames.
    waiting_control: usize,
    /// Buffers of frames already sent, reused so a backlog allocates only once.
    spare: Vec<Vec<u8>>,
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
            waiting: VecDeque::new(),
            waiting_control: 0,
            spare: Vec::new(),
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

    /// Whether `send_frame` would take a data frame now. Callers that encrypt statefully ask
    /// this first, so a frame is never encrypted and then refused. (PPP control frames have
    /// room of their own.)
    pub fn can_send(&self) -> bool {
        self.waiting.len() - self.waiting_control < MAX_WAITING
    }

    /// Frames waiting for the peer's window.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Queues one PPP frame for sending; it leaves through `poll_transmit`, in order, as the
    /// peer's window allows.
    pub fn send_frame(&mut self, now: Instant, ppp_frame: &[u8]) -> Result<(), SendError> {
        self.last_now = now;
        let control = is_control(ppp_frame);
        let refused = if ppp_frame.len() > MAX_FRAME {
            Some(SendError::TooLong)
        } else if (control && self.waiting_control >= MAX_WAITING_CONTROL)
            || (!control && !self.can_send())
        {
            Some(SendError::QueueFull)
        } else {
            None
        };
        if let Some(why) = refused {
            self.stats.tx_refused += 1;
            return Err(why);
        }
        if !self.waiting.is_empty() || self.window_full(now) {
            self.stats.tx_window_full += 1;
        }
        let mut copy = self.spare.pop().unwrap_or_default();
        copy.clear();
        copy.extend_from_slice(ppp_frame);
        if control {
            self.waiting.insert(self.waiting_control, copy);
            self.waiting_control += 1;
        } else {
            self.waiting.push_back(copy);
        }
        Ok(())
    }

    /// The next packet to send, written into `buf`: a waiting frame while the peer's window
    /// has room (with a piggy-backed acknowledgment if one is owed), else an ack-only packet
    /// once the ack delay passed. `buf` should hold [`MAX_PACKET_LEN`] bytes; a frame that does
    /// not fit is dropped and counted.
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        self.last_now = now;
        while !self.waiting.is_empty() && !self.window_full(now) {
            let frame = self.waiting.pop_front()?;
            self.waiting_control = self.waiting_control.saturating_sub(1);
            let sent = self.encapsulate(now, &frame, buf);
            self.spare.push(frame);
            match sent {
                Some(n) => return Some(n),
                None => self.stats.tx_refused += 1,
            }
        }
        self.ack_only(now, buf)
    }

    /// When `handle_timeout` or `poll_transmit` has work: an owed acknowledgment, a reorder
    /// gap timing out, or waiting frames (when the ack timeout lets them go despite a full
    /// window).
    pub fn poll_timeout(&self) -> Option<Instant> {
        let waiting = match self.ack_wait_since {
            _ if self.waiting.is_empty() => None,
            Some(since) if self.window_full(self.last_now) => Some(since + ACK_TIMEOUT),
            _ => Some(self.last_now),
        };
        [self.ack_due, self.rx.deadline(), waiting]
            .into_iter()
            .flatten()
            .min()
    }

    /// Timer work: releases reorder-buffered frames whose gap timed out (drain them with
    /// `poll_frame`). Owed acknowledgments and waiting frames come out of `poll_transmit`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.last_now = now;
        self.rx.expire(now);
    }

    /// A GRE packet for this call (IP header already stripped). Returns the in-order PPP frame
    /// if any (zero-copy), buffers early packets within a small window, drops stale, duplicate,
    /// malformed and out-of-window ones. Call `poll_frame` until None afterwards.
    pub fn handle_packet<'a>(&mut self, now: Instant, packet: &'a [u8]) -> GreReceive<'a> {
        self.last_now = now;
        let view = match GrePacket::new_checked(packet) {
            Ok(view) => view,
            Err(e) => {
                self.stats.rx_malformed += 1;
                return self.dropped(GreDrop::Malformed(e));
            }
        };
        self.rx.expire(now);
        let Some(seq) = view.seq() else {
            if let Some(ack) = view.ack() {
                self.on_ack(now, ack);
            }
            self.stats.rx_acks += 1;
            return GreReceive::AckOnly;
        };
        let start = view.header_len();
        let payload = packet
            .get(start..start + usize::from(view.payload_len()))
            .unwrap_or(&[]);
        let placement = self.rx.offer(now, seq, payload);
        if placement == Placement::OutOfWindow {
            // Not believed: its acknowledgment number is not believed either.
            self.stats.rx_out_of_window += 1;
            return self.dropped(GreDrop::OutOfWindow);
        }
        if let Some(ack) = view.ack() {
            self.on_ack(now, ack);
        }
        match placement {
            Placement::InOrder => {
                self.delivered();
                GreReceive::Frame(payload)
            }
            Placement::Buffered => {
                self.stats.rx_buffered += 1;
                GreReceive::Buffered
            }
            Placement::Stale => self.dropped(GreDrop::Stale),
            Placement::Duplicate => self.dropped(GreDrop::Duplicate),
            Placement::Full => self.dropped(GreDrop::ReorderFull),
            Placement::TooLarge => self.dropped(GreDrop::TooLarge),
            Placement::OutOfWindow => self.dropped(GreDrop::OutOfWindow),
        }
    }

    fn dropped(&mut self, why: GreDrop) -> GreReceive<'static> {
        self.stats.rx_dropped += 1;
        GreReceive::Dropped(why)
    }

    /// After `handle_packet` or `handle_timeout`, frames that became in-order from the reorder
    /// buffer. `out` should hold 4096 bytes; a frame that does not fit is dropped.
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

    /// Writes GRE header (key = peer's call id, seq, piggy-backed ack if owed) + frame into
    /// `out`; None when `out` is too small (nothing is consumed then).
    fn encapsulate(&mut self, now: Instant, ppp_frame: &[u8], out: &mut [u8]) -> Option<usize> {
        let payload_len = u16::try_from(ppp_frame.len()).ok()?;
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

    /// An ack-only packet into `out` when an acknowledgment is owed and its delay passed.
    fn ack_only(&mut self, now: Instant, out: &mut [u8]) -> Option<usize> {
        if self.ack_due.is_none_or(|due| now < due) {
            return None;
        }
        let Some(ack) = self.owed_ack() else {
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

/// Whether a GRE packet a channel emitted keeps the call going rather than carrying data: an
/// acknowledgment alone, or a PPP control frame (what a driver sends ahead of data).
pub fn carries_control(packet: &[u8]) -> bool {
    GrePacket::new_checked(packet).is_ok_and(|p| p.payload().is_empty() || is_control(p.payload()))
}

/// Whether a PPP frame (`FF 03` + protocol, or with the address and control fields left out)
/// carries a control protocol (LCP, PAP, CHAP, an NCP, CCP: protocol numbers 0x8000 and up)
/// rather than network-layer data.
fn is_control(frame: &[u8]) -> bool {
    let rest = frame.strip_prefix(&[0xff, 0x03]).unwrap_or(frame);
    match rest {
        // A compressed (one-byte, odd) protocol field is always network-layer data.
        [first, ..] if first & 1 == 1 => false,
        [hi, _, ..] => *hi >= 0x80,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
