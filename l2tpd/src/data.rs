//! One session's data messages (RFC 2661 §5.4): PPP frames wrapped in L2TP data headers, with
//! sequence numbers when the peer asked for them (Sequencing Required) or sends them itself.

use crate::header::{Header, HeaderError, Packet};

/// Why a data packet was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataDrop {
    /// Not a valid L2TPv2 data message.
    Malformed(HeaderError),
    /// A control message reached the data path.
    NotData,
    /// Sequenced and older than one already delivered (late or duplicate).
    Stale,
    /// Sequenced and further ahead than any plausible loss ([`MAX_JUMP`]): dropped without
    /// moving the receive state, so one forged packet cannot make every later one look stale.
    OutOfWindow,
}

/// Largest forward jump in Ns taken as packet loss. Beyond it a packet is dropped, unless
/// [`RESYNC_RUN`] such packets in a row follow each other (the peer really moved on).
pub const MAX_JUMP: u16 = 1024;
/// Consecutive far-ahead packets, each the successor of the last, that resynchronise.
pub const RESYNC_RUN: u8 = 8;

/// The data side of one session.
#[derive(Clone, Debug)]
pub struct DataChannel {
    peer_tunnel_id: u16,
    peer_session_id: u16,
    sequencing: bool,
    next_ns: u16,
    /// Ns of the next packet expected from the peer (once it sends sequence numbers).
    expected_ns: Option<u16>,
    /// Far-ahead packets in a row: the Ns after the last one, and how many.
    far_run: Option<(u16, u8)>,
    stale: u64,
    out_of_window: u64,
}

impl DataChannel {
    /// A channel sending to the peer's tunnel and session IDs, with sequence numbers when
    /// `sequencing` (the peer's ICCN carried Sequencing Required).
    pub fn new(peer_tunnel_id: u16, peer_session_id: u16, sequencing: bool) -> Self {
        DataChannel {
            peer_tunnel_id,
            peer_session_id,
            sequencing,
            next_ns: 0,
            expected_ns: None,
            far_run: None,
            stale: 0,
            out_of_window: 0,
        }
    }

    /// Writes an L2TP data header and `ppp_frame` into `out`; the datagram's length, or None
    /// when `out` is too small. No allocation.
    pub fn encapsulate(&mut self, ppp_frame: &[u8], out: &mut [u8]) -> Option<usize> {
        let mut header = Header::data(self.peer_tunnel_id, self.peer_session_id);
        if self.sequencing {
            header.sequence = Some((self.next_ns, 0));
        }
        let len = header.header_len();
        out.get_mut(len..len + ppp_frame.len())?
            .copy_from_slice(ppp_frame);
        header.emit(ppp_frame.len(), out)?;
        if self.sequencing {
            self.next_ns = self.next_ns.wrapping_add(1);
        }
        Some(len + ppp_frame.len())
    }

    /// A data datagram of this session (already demultiplexed): the PPP frame inside. A peer
    /// that sends sequence numbers gets them back, and its late or duplicate packets are dropped.
    pub fn decapsulate<'a>(&mut self, datagram: &'a [u8]) -> Result<&'a [u8], DataDrop> {
        let packet = Packet::new_checked(datagram).map_err(DataDrop::Malformed)?;
        if packet.is_control() {
            return Err(DataDrop::NotData);
        }
        if let Some(ns) = packet.ns() {
            self.sequencing = true;
            if let Some(expected) = self.expected_ns {
                // Behind by up to half the sequence space: late or duplicate.
                if expected.wrapping_sub(ns).wrapping_sub(1) < 0x8000 {
                    self.stale += 1;
                    return Err(DataDrop::Stale);
                }
                if ns.wrapping_sub(expected) > MAX_JUMP && !self.far_ahead_resyncs(ns) {
                    self.out_of_window += 1;
                    return Err(DataDrop::OutOfWindow);
                }
            }
            self.far_run = None;
            self.expected_ns = Some(ns.wrapping_add(1));
        }
        Ok(datagram.get(packet.payload_range()).unwrap_or(&[]))
    }

    /// Whether outgoing packets carry sequence numbers.
    pub fn sequencing(&self) -> bool {
        self.sequencing
    }

    /// Late or duplicate packets dropped so far.
    pub fn stale(&self) -> u64 {
        self.stale
    }

    /// Packets dropped for being too far ahead so far.
    pub fn out_of_window(&self) -> u64 {
        self.out_of_window
    }

    /// Counts a far-ahead packet into the current run; true once the run is long enough.
    fn far_ahead_resyncs(&mut self, ns: u16) -> bool {
        let run = match self.far_run {
            Some((next, run)) if next == ns => run + 1,
            _ => 1,
        };
        self.far_run = Some((ns.wrapping_add(1), run));
        run >= RESYNC_RUN
    }
}

/// The (tunnel ID, session ID) of a data message, for demultiplexing; None for control
/// messages and malformed packets.
pub fn data_ids(datagram: &[u8]) -> Option<(u16, u16)> {
    let packet = Packet::new_checked(datagram).ok()?;
    (!packet.is_control()).then(|| (packet.tunnel_id(), packet.session_id()))
}

#[cfg(test)]
mod tests;
