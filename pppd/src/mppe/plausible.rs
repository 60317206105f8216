//! Whether decrypted MPPE data is what a peer sends: an IPv4 packet whose header checksum holds,
//! or an IPv6 packet, behind a PPP protocol field (compressed or not). A wrong key passes this
//! with a chance of about 2⁻²⁸ as IPv4 and 2⁻¹² as IPv6 behind a compressed field (2⁻²⁰ behind a
//! full one); a wrong key taken that way shows in the packets after it, which decrypt to junk.

use super::keys::DirectionKeys;

/// PPP protocol numbers of IPv4 and IPv6.
const PROTO_IPV4: u16 = 0x0021;
const PROTO_IPV6: u16 = 0x0057;

/// Decrypted octets a key is judged by: a protocol field and the longest IPv4 header.
const PEEK: usize = 62;

/// Whether `payload` decrypts to IP with the next octets of `keys`' RC4 stream, the start of it
/// right after a key change (their state is left as it is).
pub(super) fn decrypts_to_ip(keys: &DirectionKeys, payload: &[u8]) -> bool {
    let mut peek = [0u8; PEEK];
    let len = payload.len().min(PEEK);
    peek[..len].copy_from_slice(&payload[..len]);
    keys.peek(&mut peek[..len]);
    is_ip(&peek[..len])
}

/// Whether `plain` (protocol field, then at least the IP header) looks like an IP packet, as
/// everything a peer encrypts is.
pub(super) fn is_ip(plain: &[u8]) -> bool {
    let (protocol, packet) = match plain {
        [p, rest @ ..] if p & 1 == 1 => (u16::from(*p), rest),
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => return false,
    };
    match protocol {
        PROTO_IPV4 => ipv4_header_ok(packet),
        PROTO_IPV6 => packet.first().is_some_and(|v| v >> 4 == 6) && packet.len() >= 40,
        _ => false,
    }
}

/// Version 4, a header length of 5 to 15 words that the data holds, and a checksum that holds.
fn ipv4_header_ok(packet: &[u8]) -> bool {
    let Some(first) = packet.first() else {
        return false;
    };
    let header_len = usize::from(first & 0x0f) * 4;
    if first >> 4 != 4 || header_len < 20 {
        return false;
    }
    let Some(header) = packet.get(..header_len) else {
        return false;
    };
    let sum: u32 = header
        .chunks_exact(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    let folded = (sum & 0xffff) + (sum >> 16);
    (folded & 0xffff) + (folded >> 16) == 0xffff
}

#[cfg(test)]
mod tests;
