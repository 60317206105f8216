//! IPv4 packets for the tests and examples: a 20-byte header with a correct checksum (an MPPE
//! receiver judges the keys it resynchronizes to by it), then a payload.

/// An IPv4 packet of `len` bytes (at least its header) from 192.0.2.10 to 192.0.2.1, with
/// identification `id` and payload octet `j` equal to `fill(j)`.
pub fn ipv4_packet(id: u16, len: usize, fill: impl Fn(usize) -> u8) -> Vec<u8> {
    let len = len.max(20);
    let [t0, t1] = (len as u16).to_be_bytes();
    let [i0, i1] = id.to_be_bytes();
    let mut p = vec![
        0x45, 0, t0, t1, i0, i1, 0, 0, 64, 17, 0, 0, 192, 0, 2, 10, 192, 0, 2, 1,
    ];
    let sum: u32 = p
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum();
    let sum = (sum & 0xffff) + (sum >> 16);
    p[10..12].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    p.extend((0..len - 20).map(fill));
    p
}
