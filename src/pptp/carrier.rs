//! PPTP's carrier for a PPP session: the call's GRE channel on the shared raw socket.
//!
//! Frames beyond the peer's receive window wait in a short queue (they are already encrypted,
//! so their order must not change) and leave as acknowledgments open the window or the
//! channel's ack timeout passes. When the queue is full, new packets are refused before PPP
//! encrypts them.

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use pptpd::GreChannel;

use super::gre_socket::GreSocket;
use crate::link::Carrier;

/// Largest GRE packet we build: a PPP frame plus the 16-byte enhanced GRE header.
const GRE_BUF: usize = 2048 + 16;
/// Frames that may wait for the peer's window.
const MAX_WAITING: usize = 64;

/// A call's GRE channel bound to the peer's address.
pub struct GreCarrier {
    /// The call's sequence/acknowledgment state.
    pub channel: GreChannel,
    peer: Ipv4Addr,
    socket: Arc<GreSocket>,
    buf: Box<[u8; GRE_BUF]>,
    /// Frames waiting for the peer's window, oldest first.
    waiting: VecDeque<Vec<u8>>,
    /// Buffers of frames already sent, reused so a backlog allocates only once.
    spare: Vec<Vec<u8>>,
}

impl GreCarrier {
    /// A carrier sending to `peer` over `socket`.
    pub fn new(channel: GreChannel, peer: Ipv4Addr, socket: Arc<GreSocket>) -> Self {
        GreCarrier {
            channel,
            peer,
            socket,
            buf: Box::new([0; GRE_BUF]),
            waiting: VecDeque::new(),
            spare: Vec::new(),
        }
    }

    /// True while the channel or the queue has a timer running.
    pub fn poll_timeout_is_set(&self) -> bool {
        self.poll_timeout().is_some()
    }

    /// Sends waiting frames while the peer's window has room.
    pub fn flush(&mut self, now: Instant) {
        while let Some(frame) = self.waiting.front() {
            match self.channel.encapsulate(now, frame, &mut self.buf[..]) {
                Some(n) => self.socket.send_to(self.peer, &self.buf[..n]),
                // The window is full: wait for acks or the ack timeout.
                None if !self.channel.can_send(now) => return,
                None => {
                    tracing::debug!(peer = %self.peer, len = frame.len(), "unsendable frame dropped")
                }
            }
            if let Some(sent) = self.waiting.pop_front() {
                self.spare.push(sent);
            }
        }
    }
}

impl Carrier for GreCarrier {
    fn send_frame(&mut self, now: Instant, frame: &[u8]) {
        self.flush(now);
        if self.waiting.is_empty() {
            if let Some(n) = self.channel.encapsulate(now, frame, &mut self.buf[..]) {
                self.socket.send_to(self.peer, &self.buf[..n]);
                return;
            }
        }
        if self.waiting.len() >= MAX_WAITING {
            tracing::trace!(peer = %self.peer, "GRE queue full, frame dropped");
            return;
        }
        let mut copy = self.spare.pop().unwrap_or_default();
        copy.clear();
        copy.extend_from_slice(frame);
        self.waiting.push_back(copy);
    }

    fn can_send(&self, _now: Instant) -> bool {
        self.waiting.len() < MAX_WAITING
    }

    fn poll_timeout(&self) -> Option<Instant> {
        let window = if self.waiting.is_empty() {
            None
        } else {
            self.channel.window_deadline()
        };
        [self.channel.poll_timeout(), window]
            .into_iter()
            .flatten()
            .min()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Some(n) = self.channel.poll_ack(now, &mut self.buf[..]) {
            self.socket.send_to(self.peer, &self.buf[..n]);
        }
        self.flush(now);
    }

    fn poll_frame(&mut self, out: &mut [u8]) -> Option<usize> {
        self.channel.poll_frame(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pptpd::gre::{GreRepr, ACK_TIMEOUT};

    /// An ack-only packet from the peer acknowledging our sequence number `ack`.
    fn ack_packet(ack: u32) -> Vec<u8> {
        let repr = GreRepr {
            call_id: 1,
            payload_len: 0,
            seq: None,
            ack: Some(ack),
        };
        let mut buf = vec![0u8; repr.header_len()];
        repr.emit(&mut buf).unwrap();
        buf
    }

    /// Needs root (raw socket); sends only to 127.0.0.1.
    #[tokio::test]
    #[ignore = "needs root: network namespaces, TUN and raw sockets"]
    async fn frames_over_the_window_wait_for_acks_then_the_timeout() {
        let t0 = Instant::now();
        let socket = GreSocket::open(None).expect("raw GRE socket (run as root)");
        let channel = GreChannel::new(7, 3, t0);
        let mut c = GreCarrier::new(channel, Ipv4Addr::LOCALHOST, socket);
        let sent = |c: &GreCarrier| c.channel.stats().tx_frames;

        c.send_frame(t0, b"first");
        c.channel.receive(t0, &ack_packet(0)); // the peer acknowledges: its window now counts
        for _ in 0..10 {
            c.send_frame(t0, b"data");
        }
        assert_eq!(sent(&c), 4, "one, then a window of three");
        assert_eq!(c.waiting.len(), 7);
        assert!(c.can_send(t0));
        assert_eq!(c.poll_timeout(), Some(t0 + ACK_TIMEOUT));

        c.channel.receive(t0, &ack_packet(3));
        c.flush(t0);
        assert_eq!(sent(&c), 7, "three more after the acknowledgment");

        c.handle_timeout(t0 + ACK_TIMEOUT);
        assert_eq!(sent(&c), 11, "the rest after the ack timeout");
        assert!(c.waiting.is_empty());
    }

    #[tokio::test]
    #[ignore = "needs root: network namespaces, TUN and raw sockets"]
    async fn a_full_queue_refuses_new_packets() {
        let t0 = Instant::now();
        let socket = GreSocket::open(None).expect("raw GRE socket (run as root)");
        let mut c = GreCarrier::new(GreChannel::new(7, 1, t0), Ipv4Addr::LOCALHOST, socket);
        c.send_frame(t0, b"first");
        c.channel.receive(t0, &ack_packet(0));
        for _ in 0..=MAX_WAITING {
            c.send_frame(t0, b"data");
        }
        assert_eq!(c.waiting.len(), MAX_WAITING);
        assert!(!c.can_send(t0), "PPP must not encrypt what cannot be sent");
    }
}
