//! PPTP's carrier for a PPP session: the call's GRE channel on the shared raw socket.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use pptpd::GreChannel;

use super::gre_socket::GreSocket;
use crate::link::Carrier;

/// Largest GRE packet we build: a PPP frame plus the 16-byte enhanced GRE header.
const GRE_BUF: usize = 2048 + 16;

/// A call's GRE channel bound to the peer's address.
pub struct GreCarrier {
    /// The call's sequence/acknowledgment state.
    pub channel: GreChannel,
    peer: Ipv4Addr,
    socket: Arc<GreSocket>,
    buf: Box<[u8; GRE_BUF]>,
}

impl GreCarrier {
    /// A carrier sending to `peer` over `socket`.
    pub fn new(channel: GreChannel, peer: Ipv4Addr, socket: Arc<GreSocket>) -> Self {
        GreCarrier {
            channel,
            peer,
            socket,
            buf: Box::new([0; GRE_BUF]),
        }
    }
}

impl Carrier for GreCarrier {
    fn send_frame(&mut self, now: Instant, frame: &[u8]) {
        match self.channel.encapsulate(now, frame, &mut self.buf[..]) {
            Some(n) => self.socket.send_to(self.peer, &self.buf[..n]),
            None => tracing::trace!(peer = %self.peer, "GRE window full, frame dropped"),
        }
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.channel.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        if let Some(n) = self.channel.poll_ack(now, &mut self.buf[..]) {
            self.socket.send_to(self.peer, &self.buf[..n]);
        }
    }

    fn can_send(&self, now: Instant) -> bool {
        self.channel.can_send(now)
    }

    fn poll_frame(&mut self, out: &mut [u8]) -> Option<usize> {
        self.channel.poll_frame(out)
    }
}

impl GreCarrier {
    /// True while the channel has a timer running (an acknowledgment owed, a reorder gap).
    pub fn poll_timeout_is_set(&self) -> bool {
        self.channel.poll_timeout().is_some()
    }
}
