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
}

/// The data side of one session.
#[derive(Clone, Debug)]
pub struct DataChannel {
    peer_tunnel_id: u16,
    peer_session_id: u16,
    sequencing: bool,
    next_ns: u16,
    /// Ns of the next packet expected from the peer (once it sends sequence numbers).
    expected_ns: Option<u16>,
    stale: u64,
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
            stale: 0,
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
    pub fn receive<'a>(&mut self, datagram: &'a [u8]) -> Result<&'a [u8], DataDrop> {
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
            }
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
}

/// The (tunnel ID, session ID) of a data message, for demultiplexing; None for control
/// messages and malformed packets.
pub fn data_ids(datagram: &[u8]) -> Option<(u16, u16)> {
    let packet = Packet::new_checked(datagram).ok()?;
    (!packet.is_control()).then(|| (packet.tunnel_id(), packet.session_id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: &[u8] = &[0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20];

    #[test]
    fn round_trip_without_sequencing() {
        let mut tx = DataChannel::new(7, 9, false);
        let mut buf = [0u8; 64];
        let n = tx.encapsulate(FRAME, &mut buf).unwrap();
        assert_eq!(n, 6 + FRAME.len(), "plain data header is 6 bytes");
        assert_eq!(data_ids(&buf[..n]), Some((7, 9)));
        let mut rx = DataChannel::new(1, 2, false);
        assert_eq!(rx.receive(&buf[..n]), Ok(FRAME));
        assert!(!rx.sequencing());
    }

    #[test]
    fn sequencing_numbers_packets_and_drops_late_ones() {
        let mut tx = DataChannel::new(7, 9, true);
        let mut rx = DataChannel::new(1, 2, false);
        let mut bufs = vec![[0u8; 64]; 4];
        let lens: Vec<usize> = bufs
            .iter_mut()
            .map(|b| tx.encapsulate(FRAME, b).unwrap())
            .collect();
        assert_eq!(lens[0], 10 + FRAME.len(), "S adds Ns and Nr");
        assert_eq!(rx.receive(&bufs[0][..lens[0]]), Ok(FRAME));
        assert!(rx.sequencing(), "a peer that sends Ns gets Ns back");
        assert_eq!(
            rx.receive(&bufs[2][..lens[2]]),
            Ok(FRAME),
            "a gap is a loss, not a stall"
        );
        assert_eq!(rx.receive(&bufs[1][..lens[1]]), Err(DataDrop::Stale));
        assert_eq!(rx.receive(&bufs[2][..lens[2]]), Err(DataDrop::Stale));
        assert_eq!(rx.receive(&bufs[3][..lens[3]]), Ok(FRAME));
        assert_eq!(rx.stale(), 2);
    }

    #[test]
    fn sequence_numbers_wrap() {
        let mut tx = DataChannel::new(7, 9, true);
        tx.next_ns = 0xfffe;
        let mut rx = DataChannel::new(1, 2, false);
        let mut buf = [0u8; 64];
        for _ in 0..4 {
            let n = tx.encapsulate(FRAME, &mut buf).unwrap();
            assert_eq!(rx.receive(&buf[..n]), Ok(FRAME));
        }
    }

    #[test]
    fn bad_input_is_refused() {
        let mut rx = DataChannel::new(1, 2, false);
        assert!(matches!(
            rx.receive(&[0x00, 0x03, 0, 1]),
            Err(DataDrop::Malformed(_))
        ));
        let control = [0xc8, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0];
        assert_eq!(rx.receive(&control), Err(DataDrop::NotData));
        assert_eq!(data_ids(&control), None);
        let mut small = [0u8; 4];
        assert_eq!(
            DataChannel::new(1, 2, false).encapsulate(FRAME, &mut small),
            None
        );
    }
}
