//! L2TP's carrier for a PPP session: data messages on the tunnel's UDP socket.

use std::sync::Arc;
use std::time::Instant;

use l2tpd::data::DataChannel;
use tokio::net::UdpSocket;

use super::mark_io;
use super::path::PeerPath;
use super::sa_watch::SaWatch;
use crate::link::Carrier;
use crate::priority_send::Traffic;
use crate::scratch::{with_scratch, Scratch};

/// A session's data channel bound to the peer's path (the address and SA its packets came
/// through).
pub struct L2tpCarrier {
    /// Sequencing state of the session's data messages.
    pub data: DataChannel,
    peer: PeerPath,
    socket: Arc<UdpSocket>,
    /// The tunnel's SA: nothing is sent once it is gone.
    sa: Option<Arc<SaWatch>>,
}

impl L2tpCarrier {
    /// A carrier sending to `peer` over `socket`; `sa` tells when the tunnel's IPsec SA went
    /// down (None: no such tunnel, as in `rasd dial`).
    pub fn new(
        data: DataChannel,
        peer: PeerPath,
        socket: Arc<UdpSocket>,
        sa: Option<Arc<SaWatch>>,
    ) -> Self {
        L2tpCarrier {
            data,
            peer,
            socket,
            sa,
        }
    }
}

impl Carrier for L2tpCarrier {
    fn send_frame(&mut self, _now: Instant, frame: &[u8]) {
        if self.sa.as_ref().is_some_and(|sa| sa.is_gone()) {
            tracing::trace!(peer = %self.peer, "IPsec SA gone: frame not sent");
            return;
        }
        with_scratch(Scratch::Datagram, |buf| {
            let Some(n) = self.data.encapsulate(frame, buf) else {
                tracing::debug!(peer = %self.peer, len = frame.len(), "frame too large for L2TP, dropped");
                return;
            };
            let traffic = if pppd::frame::is_control(frame) {
                Traffic::Control
            } else {
                Traffic::Data
            };
            if let Err(e) = mark_io::try_send(&self.socket, &buf[..n], self.peer, traffic) {
                tracing::debug!(peer = %self.peer, error = %e, "L2TP send dropped a packet");
            }
        })
    }

    fn can_send(&self, _now: Instant) -> bool {
        true
    }

    fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    fn handle_timeout(&mut self, _now: Instant) {}

    fn poll_frame(&mut self, _out: &mut [u8]) -> Option<usize> {
        None
    }
}
