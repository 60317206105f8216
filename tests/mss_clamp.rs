//! MSS clamping on hand-built IPv4/IPv6 packets; checksums are verified from scratch.

use rasd::mss::clamp_mss;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

fn sum16(data: &[u8], mut acc: u32) -> u32 {
    for chunk in data.chunks(2) {
        let hi = u32::from(chunk[0]) << 8;
        let lo = chunk.get(1).map_or(0, |&b| u32::from(b));
        acc += hi | lo;
    }
    acc
}

fn fold(mut acc: u32) -> u16 {
    while acc > 0xffff {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    !(acc as u16)
}

/// A TCP header with `options` (padded with END to a multiple of 4) and some payload.
fn tcp(flags: u8, options: &[u8]) -> Vec<u8> {
    let mut opts = options.to_vec();
    while !opts.len().is_multiple_of(4) {
        opts.push(0);
    }
    let mut t = vec![0u8; 20];
    t[0..2].copy_from_slice(&40000u16.to_be_bytes());
    t[2..4].copy_from_slice(&443u16.to_be_bytes());
    t[4..8].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    t[12] = (((20 + opts.len()) / 4) << 4) as u8;
    t[13] = flags;
    t[14..16].copy_from_slice(&65535u16.to_be_bytes());
    t.extend_from_slice(&opts);
    t.extend_from_slice(b"xyz");
    t
}

fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![
        0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, proto, 0, 0, 10, 99, 0, 10, 192, 0, 2, 1,
    ];
    let total = (20 + payload.len()) as u16;
    p[2..4].copy_from_slice(&total.to_be_bytes());
    let c = fold(sum16(&p, 0));
    p[10..12].copy_from_slice(&c.to_be_bytes());
    p.extend_from_slice(payload);
    if proto == 6 {
        let c = v4_tcp_checksum(&p);
        p[36..38].copy_from_slice(&c.to_be_bytes());
    }
    p
}

/// The TCP checksum computed from scratch (checksum field taken as zero).
fn v4_tcp_checksum(p: &[u8]) -> u16 {
    let mut seg = p[20..].to_vec();
    seg[16] = 0;
    seg[17] = 0;
    let mut pseudo = p[12..20].to_vec();
    pseudo.extend_from_slice(&[0, 6]);
    pseudo.extend_from_slice(&(seg.len() as u16).to_be_bytes());
    fold(sum16(&seg, sum16(&pseudo, 0)))
}

fn ipv6(ext: &[u8], next: u8, segment: &[u8]) -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0];
    p.extend_from_slice(&((ext.len() + segment.len()) as u16).to_be_bytes());
    p.push(next);
    p.push(64);
    p.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    p.extend_from_slice(&[0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    p.extend_from_slice(ext);
    p.extend_from_slice(segment);
    let start = 40 + ext.len();
    let c = v6_tcp_checksum(&p, start);
    p[start + 16..start + 18].copy_from_slice(&c.to_be_bytes());
    p
}

fn v6_tcp_checksum(p: &[u8], start: usize) -> u16 {
    let mut seg = p[start..].to_vec();
    seg[16] = 0;
    seg[17] = 0;
    let mut pseudo = p[8..40].to_vec();
    pseudo.extend_from_slice(&(seg.len() as u32).to_be_bytes());
    pseudo.extend_from_slice(&[0, 0, 0, 6]);
    fold(sum16(&seg, sum16(&pseudo, 0)))
}

fn mss_opt(mss: u16) -> [u8; 4] {
    let b = mss.to_be_bytes();
    [2, 4, b[0], b[1]]
}

fn stored_v4_checksum(p: &[u8]) -> u16 {
    u16::from_be_bytes([p[36], p[37]])
}

#[test]
fn clamps_syn_and_syn_ack_at_every_alignment() {
    for flags in [SYN, SYN | ACK] {
        for nops in 0..4 {
            let mut opts = vec![1u8; nops];
            opts.extend_from_slice(&mss_opt(1460));
            opts.extend_from_slice(&[4, 2, 3, 3, 7]); // SACK-permitted, window scale
            let mut p = ipv4(6, &tcp(flags, &opts));
            assert!(clamp_mss(&mut p, 1360), "nops={nops}");
            let at = 40 + nops + 2;
            assert_eq!(u16::from_be_bytes([p[at], p[at + 1]]), 1360);
            assert_eq!(stored_v4_checksum(&p), v4_tcp_checksum(&p), "nops={nops}");
        }
    }
}

#[test]
fn mss_after_timestamps_and_wscale() {
    let mut opts = vec![1, 3, 3, 7, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8];
    opts.extend_from_slice(&mss_opt(65495));
    let mut p = ipv4(6, &tcp(SYN, &opts));
    assert!(clamp_mss(&mut p, 1360));
    assert_eq!(stored_v4_checksum(&p), v4_tcp_checksum(&p));
    for max in [1360, 0, 65535] {
        // every checksum value keeps being right after repeated clamps
        let mut q = ipv4(6, &tcp(SYN, &mss_opt(65535)));
        let changed = clamp_mss(&mut q, max);
        assert_eq!(changed, max < 65535);
        assert_eq!(stored_v4_checksum(&q), v4_tcp_checksum(&q));
    }
}

#[test]
fn leaves_other_packets_alone() {
    let cases: Vec<Vec<u8>> = vec![
        ipv4(6, &tcp(SYN, &mss_opt(1200))),               // already small
        ipv4(6, &tcp(SYN, &mss_opt(1360))),               // equal
        ipv4(6, &tcp(ACK, &mss_opt(1460))),               // not a SYN
        ipv4(17, &tcp(SYN, &mss_opt(1460))),              // UDP
        ipv4(6, &tcp(SYN, &[1, 1, 3, 3, 7])),             // no MSS option
        ipv4(6, &tcp(SYN, &[0, 0, 0, 0, 2, 4, 5, 0xb4])), // MSS after END
    ];
    for mut p in cases {
        let before = p.clone();
        assert!(!clamp_mss(&mut p, 1360));
        assert_eq!(p, before);
    }
}

#[test]
fn skips_fragments() {
    for frag in [[0x20u8, 0], [0, 1], [0x20, 1]] {
        let mut p = ipv4(6, &tcp(SYN, &mss_opt(1460)));
        p[6..8].copy_from_slice(&frag);
        let before = p.clone();
        assert!(!clamp_mss(&mut p, 1360));
        assert_eq!(p, before);
    }
}

#[test]
fn malformed_headers_do_not_panic_or_change() {
    let good = ipv4(6, &tcp(SYN, &mss_opt(1460)));
    // every truncation (total length now exceeds the buffer)
    for n in 0..good.len() {
        let mut p = good[..n].to_vec();
        assert!(!clamp_mss(&mut p, 1360), "len {n}");
    }
    let mutations: Vec<(usize, u8)> = vec![
        (0, 0x44),  // IHL 4
        (0, 0x4f),  // IHL 60 > total
        (3, 10),    // total length smaller than the header
        (3, 30),    // TCP segment shorter than its header
        (32, 0xf0), // TCP data offset 60 > segment
        (32, 0x40), // TCP data offset 16
        (41, 0),    // option length 0
        (41, 1),    // option length 1
        (41, 200),  // option overruns the header
        (41, 3),    // MSS with the wrong length
    ];
    for (at, v) in mutations {
        let mut p = good.clone();
        p[at] = v;
        assert!(!clamp_mss(&mut p, 1360), "byte {at} = {v}");
    }
    // random garbage with a plausible first byte
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..20_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = (x % 90) as usize;
        let mut p: Vec<u8> = (0..len).map(|i| (x >> (i % 56)) as u8 ^ i as u8).collect();
        if let Some(b) = p.first_mut() {
            *b = if round % 2 == 0 {
                0x40 | (*b & 0x0f)
            } else {
                0x60
            };
        }
        clamp_mss(&mut p, 1360);
    }
}

#[test]
fn ipv6_syn_is_clamped_20_lower() {
    let seg = tcp(SYN, &[1, 2, 4, 0x05, 0xa0, 1, 1, 1]);
    let mut p = ipv6(&[], 6, &seg);
    assert!(clamp_mss(&mut p, 1360));
    assert_eq!(u16::from_be_bytes([p[63], p[64]]), 1340);
    assert_eq!(u16::from_be_bytes([p[56], p[57]]), v6_tcp_checksum(&p, 40));

    // behind a hop-by-hop header (next = TCP, 8 bytes: PadN)
    let hbh = [6u8, 0, 1, 4, 0, 0, 0, 0];
    let mut p = ipv6(&hbh, 0, &tcp(SYN | ACK, &mss_opt(1440)));
    assert!(clamp_mss(&mut p, 1360));
    assert_eq!(u16::from_be_bytes([p[70], p[71]]), 1340);
    assert_eq!(u16::from_be_bytes([p[64], p[65]]), v6_tcp_checksum(&p, 48));

    // fragment header: skipped
    let frag = [6u8, 0, 0, 0, 0, 0, 0, 1];
    let mut p = ipv6(&frag, 44, &tcp(SYN, &mss_opt(1440)));
    assert!(!clamp_mss(&mut p, 1360));
    // extension header running past the payload
    let mut p = ipv6(&[6u8, 200, 0, 0, 0, 0, 0, 0], 0, &tcp(SYN, &mss_opt(1440)));
    assert!(!clamp_mss(&mut p, 1360));
}
