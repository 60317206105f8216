//! TCP MSS clamping on SYN segments, so tunnelled TCP never needs fragmentation.

use std::ops::Range;

const TCP: u8 = 6;
const SYN: u8 = 0x02;
const OPT_END: u8 = 0;
const OPT_NOP: u8 = 1;
const OPT_MSS: u8 = 2;
/// IPv6 extension headers we step over: hop-by-hop, routing, destination options.
const IPV6_SKIPPABLE: [u8; 3] = [0, 43, 60];
/// Most IPv6 extension headers walked before giving up.
const MAX_EXT_HEADERS: usize = 8;

/// Lowers the MSS option of a TCP SYN (or SYN-ACK) in the IPv4 or IPv6 `packet` to `max_mss`
/// when it is larger, fixing the TCP checksum incrementally (RFC 1624). `max_mss` is for IPv4
/// (MTU − 40); IPv6 segments are clamped to `max_mss − 20` (the header is 20 bytes longer).
/// Returns whether the packet changed. Anything else — other protocols, fragments, truncated
/// or malformed headers — is left alone.
pub fn clamp_mss(packet: &mut [u8], max_mss: u16) -> bool {
    let (segment, limit) = match packet.first().map(|b| b >> 4) {
        Some(4) => (ipv4_tcp(packet), max_mss),
        Some(6) => (ipv6_tcp(packet), max_mss.saturating_sub(20)),
        _ => return false,
    };
    match segment.and_then(|r| packet.get_mut(r)) {
        Some(tcp) => clamp_segment(tcp, limit),
        None => false,
    }
}

/// The TCP segment's byte range in an unfragmented IPv4 packet.
fn ipv4_tcp(p: &[u8]) -> Option<Range<usize>> {
    let ihl = usize::from(*p.first()? & 0x0f) * 4;
    let total = usize::from(u16::from_be_bytes([*p.get(2)?, *p.get(3)?]));
    let frag = u16::from_be_bytes([*p.get(6)?, *p.get(7)?]);
    let ok = ihl >= 20 && total >= ihl && total <= p.len() && frag & 0x3fff == 0;
    (ok && *p.get(9)? == TCP).then_some(ihl..total)
}

/// The TCP segment's byte range in an IPv6 packet, after skippable extension headers.
fn ipv6_tcp(p: &[u8]) -> Option<Range<usize>> {
    let payload = usize::from(u16::from_be_bytes([*p.get(4)?, *p.get(5)?]));
    let end = 40 + payload;
    if payload == 0 || end > p.len() {
        return None;
    }
    let mut next = *p.get(6)?;
    let mut off = 40;
    for _ in 0..MAX_EXT_HEADERS {
        if next == TCP {
            return Some(off..end);
        }
        if !IPV6_SKIPPABLE.contains(&next) {
            return None;
        }
        next = *p.get(off)?;
        off += (usize::from(*p.get(off + 1)?) + 1) * 8;
        if off > end {
            return None;
        }
    }
    None
}

/// Clamps the MSS option of one TCP segment (header + data) if it is a SYN.
fn clamp_segment(tcp: &mut [u8], limit: u16) -> bool {
    let (Some(&offset_byte), Some(&flags)) = (tcp.get(12), tcp.get(13)) else {
        return false;
    };
    let header_len = usize::from(offset_byte >> 4) * 4;
    if flags & SYN == 0 || header_len < 20 || header_len > tcp.len() {
        return false;
    }
    let mut i = 20;
    while i < header_len {
        let kind = tcp[i];
        match kind {
            OPT_END => return false,
            OPT_NOP => i += 1,
            _ => {
                let Some(&len) = tcp.get(i + 1) else {
                    return false;
                };
                let len = usize::from(len);
                if len < 2 || i + len > header_len {
                    return false;
                }
                if kind == OPT_MSS && len == 4 {
                    return lower(tcp, i + 2, limit);
                }
                i += len;
            }
        }
    }
    false
}

/// Lowers the 16-bit MSS value at `at` to `limit` if larger, updating the checksum.
fn lower(tcp: &mut [u8], at: usize, limit: u16) -> bool {
    let old = u16::from_be_bytes([tcp[at], tcp[at + 1]]);
    if old <= limit {
        return false;
    }
    tcp[at..at + 2].copy_from_slice(&limit.to_be_bytes());
    // A value at an odd offset straddles two checksum words: its bytes count swapped.
    let (m, m2) = if at.is_multiple_of(2) {
        (old, limit)
    } else {
        (old.swap_bytes(), limit.swap_bytes())
    };
    let hc = u16::from_be_bytes([tcp[16], tcp[17]]);
    // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
    let sum = ones_add(ones_add(!hc, !m), m2);
    tcp[16..18].copy_from_slice(&(!sum).to_be_bytes());
    true
}

fn ones_add(a: u16, b: u16) -> u16 {
    let s = u32::from(a) + u32::from(b);
    ((s & 0xffff) + (s >> 16)) as u16
}

#[cfg(test)]
mod tests;
