//! What is left of a tunnel its peer closed: enough to acknowledge a retransmitted StopCCN for
//! the rest of the hold RFC 2661 §5.7 asks for, without the tunnel.

use std::time::Instant;

use crate::header::Header;
use crate::reliable::seq::is_before;

/// A tunnel closed by its peer's StopCCN, reduced to its sequence numbers: a driver holding
/// many tunnels keeps this (a few bytes) for the hold instead of the whole [`Tunnel`].
///
/// [`Tunnel`]: super::Tunnel
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClosedTunnel {
    /// The peer's Assigned Tunnel ID, which our ZLBs carry.
    pub(super) peer_id: u16,
    /// Ns of our next message: what a ZLB carries.
    pub(super) ns: u16,
    /// Ns of the peer's next message: every one before it was received.
    pub(super) nr: u16,
    pub(super) until: Instant,
}

impl ClosedTunnel {
    /// Until when it must be kept; after that it may be forgotten.
    pub fn until(&self) -> Instant {
        self.until
    }

    /// The answer to `datagram`, a control message from this tunnel's peer: a ZLB (written
    /// into `buf`, its length returned) when it is a message we already received, such as the
    /// StopCCN again; the tunnel sends the same. Nothing for a ZLB, for a message we never had
    /// (a peer sends nothing after its StopCCN), for what does not parse, or once the hold is
    /// over.
    pub fn acknowledge(&self, now: Instant, datagram: &[u8], buf: &mut [u8]) -> Option<usize> {
        if now >= self.until {
            return None;
        }
        let (header, body) = Header::parse(datagram).ok()?;
        let (ns, _) = header.sequence.filter(|_| header.control)?;
        if body.is_empty() || !is_before(ns, self.nr) {
            return None;
        }
        Header::control(self.peer_id, 0, self.ns, self.nr).emit(0, buf)
    }
}
