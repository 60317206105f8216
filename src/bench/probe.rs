//! The probe traffic: ICMP echo requests from a session's address to the server's end of the
//! link (the server's kernel answers them), each tagged with the session and a sequence number
//! and filled with a pattern derived from both, so a reply proves every byte came back.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use super::tally::Traffic;
use crate::dataplane::TunWriter;

const IPV4_HEADER: usize = 20;
const ICMP_HEADER: usize = 8;
const TAG: usize = 8;
const ICMP_ECHO_REQUEST: u8 = 8;
const ICMP_ECHO_REPLY: u8 = 0;
const PROTO_ICMP: u8 = 1;

/// The Internet checksum (RFC 1071) of `data`.
fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn pattern(session: u32, seq: u32, i: usize) -> u8 {
    (seq.wrapping_mul(31) as usize).wrapping_add(i) as u8 ^ session as u8
}

/// Writes an echo request of `size` bytes (IP header included) from `src` to `dst` into `out`
/// and returns its length. `size` is at least [`super::options::MIN_PACKET`] and `out` that long.
pub fn echo_request(
    out: &mut [u8],
    size: usize,
    src: Ipv4Addr,
    dst: Ipv4Addr,
    session: u32,
    seq: u32,
) -> usize {
    let p = &mut out[..size];
    p[0] = 0x45;
    p[1] = 0;
    p[2..4].copy_from_slice(&(size as u16).to_be_bytes());
    p[4..6].copy_from_slice(&(seq as u16).to_be_bytes());
    p[6..8].copy_from_slice(&[0x40, 0]); // don't fragment
    p[8] = 64;
    p[9] = PROTO_ICMP;
    p[10..12].fill(0);
    p[12..16].copy_from_slice(&src.octets());
    p[16..20].copy_from_slice(&dst.octets());
    let ip_sum = checksum(&p[..IPV4_HEADER]);
    p[10..12].copy_from_slice(&ip_sum.to_be_bytes());
    let icmp = &mut p[IPV4_HEADER..];
    icmp[0] = ICMP_ECHO_REQUEST;
    icmp[1] = 0;
    icmp[2..4].fill(0);
    icmp[4..6].copy_from_slice(&(session as u16).to_be_bytes());
    icmp[6..8].copy_from_slice(&(seq as u16).to_be_bytes());
    icmp[8..12].copy_from_slice(&session.to_be_bytes());
    icmp[12..16].copy_from_slice(&seq.to_be_bytes());
    for (i, b) in icmp[ICMP_HEADER + TAG..].iter_mut().enumerate() {
        *b = pattern(session, seq, i);
    }
    let sum = checksum(icmp);
    icmp[2..4].copy_from_slice(&sum.to_be_bytes());
    size
}

/// What a packet from the server is, for the probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// An echo reply to one of this session's probes, every byte as sent.
    Intact,
    /// An echo reply to this session's probe, altered.
    Corrupt,
    /// Anything else (not ours to judge).
    Other,
}

/// Judges a packet the server sent to the session whose probes are `size` bytes.
pub fn judge(packet: &[u8], size: usize, session: u32) -> Verdict {
    let ours = packet.len() >= IPV4_HEADER + ICMP_HEADER + TAG
        && packet[0] == 0x45
        && packet[9] == PROTO_ICMP
        && packet[IPV4_HEADER] == ICMP_ECHO_REPLY
        && packet[IPV4_HEADER + 8..IPV4_HEADER + 12] == session.to_be_bytes();
    if !ours {
        return Verdict::Other;
    }
    let icmp = &packet[IPV4_HEADER..];
    let seq = u32::from_be_bytes([icmp[12], icmp[13], icmp[14], icmp[15]]);
    let intact = packet.len() == size
        && checksum(icmp) == 0
        && icmp[ICMP_HEADER + TAG..]
            .iter()
            .enumerate()
            .all(|(i, b)| *b == pattern(session, seq, i));
    if intact {
        Verdict::Intact
    } else {
        Verdict::Corrupt
    }
}

/// One session's receiving end: where its PPP engine delivers the server's IP packets.
pub struct ProbeSink {
    session: u32,
    size: usize,
    received: AtomicU64,
    corrupt: AtomicU64,
}

impl ProbeSink {
    /// The sink of session `session`, whose probes are `size` bytes.
    pub fn new(session: u32, size: usize) -> Self {
        ProbeSink {
            session,
            size,
            received: AtomicU64::new(0),
            corrupt: AtomicU64::new(0),
        }
    }

    /// Adds what came back to `traffic` (sent figures are the sender's).
    pub fn add_received(&self, traffic: &mut Traffic) {
        let n = self.received.load(Relaxed);
        traffic.received_packets += n;
        traffic.received_bytes += n * self.size as u64;
        traffic.corrupt_packets += self.corrupt.load(Relaxed);
    }
}

impl TunWriter for ProbeSink {
    fn write_packet(&self, _session: u64, packet: &[u8]) {
        match judge(packet, self.size, self.session) {
            Verdict::Intact => self.received.fetch_add(1, Relaxed),
            Verdict::Corrupt => self.corrupt.fetch_add(1, Relaxed),
            Verdict::Other => 0,
        };
    }
}

#[cfg(test)]
mod tests;
