//! PPTP's carrier for a PPP session: the call's GRE channel on the shared raw socket.
//!
//! The channel does the work (sequence numbers, acknowledgments, the bounded queue of frames
//! waiting for the peer's window); this only moves what it polls out onto the socket.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use pptpd::GreChannel;

use super::gre_socket::GreSocket;
use crate::link::Carrier;
use crate::priority_send::Traffic;
use crate::scratch::{with_scratch, Scratch};

/// A call's GRE channel bound to the peer's address.
pub struct GreCarrier {
    /// The call's sequence/acknowledgment state.
    pub channel: GreChannel,
    peer: Ipv4Addr,
    socket: Arc<GreSocket>,
}

impl GreCarrier {
    /// A carrier sending to `peer` over `socket`.
    pub fn new(channel: GreChannel, peer: Ipv4Addr, socket: Arc<GreSocket>) -> Self {
        GreCarrier {
            channel,
            peer,
            socket,
        }
    }

    /// Sends every packet the channel has ready (data the window lets out, owed acks).
    pub fn transmit(&mut self, now: Instant) {
        with_scratch(Scratch::Datagram, |buf| {
            while let Some(n) = self.channel.poll_transmit(now, buf) {
                let packet = &buf[..n];
                let traffic = if pptpd::carries_control(packet) {
                    Traffic::Control
                } else {
                    Traffic::Data
                };
                self.socket.send_to(self.peer, packet, traffic);
            }
        })
    }
}

impl Carrier for GreCarrier {
    fn send_frame(&mut self, now: Instant, frame: &[u8]) {
        if let Err(why) = self.channel.send_frame(now, frame) {
            tracing::trace!(peer = %self.peer, ?why, "GRE frame refused");
        }
        self.transmit(now);
    }

    fn can_send(&self, _now: Instant) -> bool {
        self.channel.can_send()
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.channel.poll_timeout()
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.channel.handle_timeout(now);
        self.transmit(now);
    }

    fn poll_frame(&mut self, out: &mut [u8]) -> Option<usize> {
        self.channel.poll_frame(out)
    }
}
