//! TCP MSS clamping on SYN segments, so tunnelled TCP never needs fragmentation.

use crate::ip_packet::{Ipv4Packet, Ipv6Packet};

const TCP: u8 = 6;
const SYN: u8 = 0x02;
const OPT_END: u8 = 0;
const OPT_NOP: u8 = 1;
const OPT_MSS: u8 = 2;

/// Lowers the MSS option of a TCP SYN (or SYN-ACK) in the IPv4 or IPv6 `packet` to `max_mss`
/// when it is larger, fixing the TCP checksum incrementally (RFC 1624). `max_mss` is for IPv4
/// (MTU − 40); IPv6 segments are clamped to `max_mss − 20` (the header is 20 bytes longer).
/// Returns whether the packet changed. Anything else — other protocols, fragments, truncated
/// or malformed headers — is left alone.
pub fn clamp_mss(packet: &mut [u8], max_mss: u16) -> bool {
    if let Some(mut ip) = Ipv4Packet::new_checked(&mut *packet) {
        return !ip.is_fragment()
            && ip.protocol() == TCP
            && clamp_segment(ip.payload_mut(), max_mss);
    }
    let Some(mut ip) = Ipv6Packet::new_checked(packet) else {
        return false;
    };
    match ip.upper_layer_mut() {
        Some((TCP, tcp)) => clamp_segment(tcp, max_mss.saturating_sub(20)),
        _ => false,
    }
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
