//! The one IPv4 and IPv6 header view of the daemon: zero-copy views in the smoltcp pattern
//! (`Ipv4Packet<T: AsRef<[u8]>>` with `new_checked` and accessors), used wherever the daemon
//! looks into an IP packet (anti-spoofing, the TUN device's routing, the raw GRE socket, MSS
//! clamping).
//!
//! Our own view rather than `etherparse`: the daemon reads six IPv4 fields and walks three
//! kinds of IPv6 extension header, and MSS clamping rewrites the TCP segment in place, which
//! etherparse's read-only slices cannot give back (we would map its slices to offsets into our
//! buffer again). A hundred lines in the shape of the project's other views (pptpd's GRE,
//! l2tpd's header) are smaller than that glue plus a dependency; checksums stay with the
//! kernel, which verifies every IPv4 header we hand it.
//!
//! ```text
//! IPv4 |Ver| IHL |  TOS  |  Total Length  |  Identification |Flags| Fragment Offset |
//!      |  TTL  | Proto |    Checksum    |  Source (12..16) | Destination (16..20) | options
//! IPv6 |Ver| Class | Flow Label | Payload Length (4..6) | Next (6) | Hop | Src | Dst (8..40)
//! ```

use std::net::Ipv4Addr;
use std::ops::Range;

/// Length of an IPv4 header without options.
const IPV4_MIN_HEADER: usize = 20;
/// Length of the fixed IPv6 header.
const IPV6_HEADER: usize = 40;
/// More Fragments flag and Fragment Offset of the IPv4 header's flags word.
const IPV4_FRAGMENT_BITS: u16 = 0x3fff;
/// IPv6 extension headers stepped over: hop-by-hop, routing, destination options.
const IPV6_SKIPPABLE: [u8; 3] = [0, 43, 60];
/// Most IPv6 extension headers walked before giving up.
const MAX_EXT_HEADERS: usize = 8;

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// A view of an IPv4 packet whose header and total length are consistent with its buffer.
#[derive(Debug, Clone, Copy)]
pub struct Ipv4Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Ipv4Packet<T> {
    /// Checks the version (4), the header length (20 bytes or more, within the buffer) and the
    /// total length (at least the header, at most the buffer; bytes after it are padding).
    pub fn new_checked(buffer: T) -> Option<Self> {
        let b = buffer.as_ref();
        if b.len() < IPV4_MIN_HEADER || b[0] >> 4 != 4 {
            return None;
        }
        let header = usize::from(b[0] & 0x0f) * 4;
        let total = usize::from(be16(b, 2));
        let ok = header >= IPV4_MIN_HEADER && header <= total && total <= b.len();
        ok.then_some(Ipv4Packet { buffer })
    }

    /// Header length in bytes, options included.
    pub fn header_len(&self) -> usize {
        usize::from(self.buffer.as_ref()[0] & 0x0f) * 4
    }

    /// Total length in bytes: header and payload.
    pub fn total_len(&self) -> usize {
        usize::from(be16(self.buffer.as_ref(), 2))
    }

    /// Whether this is a fragment (More Fragments set or a non-zero offset).
    pub fn is_fragment(&self) -> bool {
        be16(self.buffer.as_ref(), 6) & IPV4_FRAGMENT_BITS != 0
    }

    /// The payload's protocol number (6 for TCP, 47 for GRE).
    pub fn protocol(&self) -> u8 {
        self.buffer.as_ref()[9]
    }

    /// Source address.
    pub fn src_addr(&self) -> Ipv4Addr {
        let b = self.buffer.as_ref();
        Ipv4Addr::new(b[12], b[13], b[14], b[15])
    }

    /// Destination address.
    pub fn dst_addr(&self) -> Ipv4Addr {
        let b = self.buffer.as_ref();
        Ipv4Addr::new(b[16], b[17], b[18], b[19])
    }

    /// Where the payload lies in the buffer: after the header, up to the total length.
    pub fn payload_range(&self) -> Range<usize> {
        self.header_len()..self.total_len()
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv4Packet<T> {
    /// The payload, writable.
    pub fn payload_mut(&mut self) -> &mut [u8] {
        let range = self.payload_range();
        &mut self.buffer.as_mut()[range]
    }
}

/// A view of an IPv6 packet whose payload length is consistent with its buffer.
#[derive(Debug, Clone, Copy)]
pub struct Ipv6Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Ipv6Packet<T> {
    /// Checks the version (6) and that the fixed header and the payload length fit the buffer
    /// (bytes after the payload are padding).
    pub fn new_checked(buffer: T) -> Option<Self> {
        let b = buffer.as_ref();
        let ok = b.len() >= IPV6_HEADER
            && b[0] >> 4 == 6
            && IPV6_HEADER + usize::from(be16(b, 4)) <= b.len();
        ok.then_some(Ipv6Packet { buffer })
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Ipv6Packet<T> {
    /// The first protocol after any hop-by-hop, routing and destination options headers, and
    /// its bytes, writable. Another extension header comes back as itself (a fragment header is
    /// 44: what follows it is no upper-layer header). None when the extension headers run past
    /// the payload or are more than eight.
    pub fn upper_layer_mut(&mut self) -> Option<(u8, &mut [u8])> {
        let b = self.buffer.as_ref();
        let end = IPV6_HEADER + usize::from(be16(b, 4));
        let mut next = b[6];
        let mut at = IPV6_HEADER;
        for _ in 0..=MAX_EXT_HEADERS {
            if !IPV6_SKIPPABLE.contains(&next) {
                return Some((next, &mut self.buffer.as_mut()[at..end]));
            }
            let ext = b.get(at..at + 2).filter(|_| at + 2 <= end)?;
            next = ext[0];
            at += (usize::from(ext[1]) + 1) * 8;
            if at > end {
                return None;
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
