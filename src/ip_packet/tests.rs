use super::*;

/// An IPv4 packet: `header_words` × 4 header bytes, then `payload`, then `padding` zero bytes.
fn ipv4(header_words: u8, payload: &[u8], padding: usize) -> Vec<u8> {
    let header = usize::from(header_words) * 4;
    let mut p = vec![0u8; header];
    p[0] = 0x40 | header_words;
    p[2..4].copy_from_slice(&((header + payload.len()) as u16).to_be_bytes());
    p[9] = 47;
    p[12..16].copy_from_slice(&[198, 51, 100, 2]);
    p[16..20].copy_from_slice(&[10, 99, 0, 10]);
    p.extend_from_slice(payload);
    p.resize(p.len() + padding, 0);
    p
}

#[test]
fn ipv4_fields() {
    let p = ipv4(5, b"gre", 0);
    let ip = Ipv4Packet::new_checked(&p[..]).unwrap();
    assert_eq!(ip.src_addr(), Ipv4Addr::new(198, 51, 100, 2));
    assert_eq!(ip.dst_addr(), Ipv4Addr::new(10, 99, 0, 10));
    assert_eq!(ip.protocol(), 47);
    assert_eq!((ip.header_len(), ip.total_len()), (20, 23));
    assert!(!ip.is_fragment());
}

#[test]
fn strips_the_ip_header_with_options() {
    let p = ipv4(6, &[0xaa; 8], 0);
    let ip = Ipv4Packet::new_checked(&p[..]).unwrap();
    assert_eq!(ip.header_len(), 24);
    assert_eq!(ip.payload_range(), 24..32);
}

#[test]
fn payload_ends_at_the_total_length_not_at_the_padding() {
    let mut p = ipv4(5, b"seg", 5);
    let mut ip = Ipv4Packet::new_checked(&mut p[..]).unwrap();
    assert_eq!(ip.payload_range(), 20..23);
    ip.payload_mut().copy_from_slice(b"SEG");
    assert_eq!(&p[20..], b"SEG\0\0\0\0\0");
}

#[test]
fn fragments_are_told_apart_from_dont_fragment() {
    let mut p = ipv4(5, b"x", 0);
    for (flags, fragment) in [(0x4000u16, false), (0x2000, true), (0x0001, true)] {
        p[6..8].copy_from_slice(&flags.to_be_bytes());
        let ip = Ipv4Packet::new_checked(&p[..]).unwrap();
        assert_eq!(ip.is_fragment(), fragment, "flags {flags:#06x}");
    }
}

#[test]
fn refuses_garbage() {
    assert!(Ipv4Packet::new_checked(&[0x45; 10][..]).is_none());
    assert!(Ipv4Packet::new_checked(&[0x4f; 20][..]).is_none());
    assert!(Ipv4Packet::new_checked(&[0x60; 40][..]).is_none());
    let good = ipv4(5, b"abcd", 0);
    assert!(Ipv4Packet::new_checked(&good[..]).is_some());
    // header length below 20 bytes
    let mut p = good.clone();
    p[0] = 0x44;
    assert!(Ipv4Packet::new_checked(&p[..]).is_none());
    // total length shorter than the header, longer than the buffer
    for total in [19u16, 25] {
        let mut p = good.clone();
        p[2..4].copy_from_slice(&total.to_be_bytes());
        assert!(Ipv4Packet::new_checked(&p[..]).is_none(), "total {total}");
    }
}

/// An IPv6 packet whose first next-header is `next`, with `ext` then `upper` as payload.
fn ipv6(next: u8, ext: &[u8], upper: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 40];
    p[0] = 0x60;
    p[4..6].copy_from_slice(&((ext.len() + upper.len()) as u16).to_be_bytes());
    p[6] = next;
    p.extend_from_slice(ext);
    p.extend_from_slice(upper);
    p
}

#[test]
fn ipv6_upper_layer_directly_and_behind_options_headers() {
    let mut p = ipv6(6, &[], b"tcp");
    let mut ip = Ipv6Packet::new_checked(&mut p[..]).unwrap();
    let (protocol, tcp) = ip.upper_layer_mut().unwrap();
    assert_eq!((protocol, &*tcp), (6, &b"tcp"[..]));

    // hop-by-hop (8 bytes) -> destination options (16 bytes) -> TCP
    let mut ext = vec![60u8, 0, 1, 4, 0, 0, 0, 0];
    ext.extend_from_slice(&[6, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let mut p = ipv6(0, &ext, b"tcp");
    let mut ip = Ipv6Packet::new_checked(&mut p[..]).unwrap();
    let (protocol, tcp) = ip.upper_layer_mut().unwrap();
    assert_eq!((protocol, &*tcp), (6, &b"tcp"[..]));
    tcp.copy_from_slice(b"TCP");
    assert_eq!(&p[64..], b"TCP");
}

#[test]
fn ipv6_fragment_header_is_not_stepped_over() {
    let mut p = ipv6(44, &[6, 0, 0, 0, 0, 0, 0, 1], b"tcp");
    let mut ip = Ipv6Packet::new_checked(&mut p[..]).unwrap();
    assert_eq!(ip.upper_layer_mut().map(|(next, _)| next), Some(44));
}

#[test]
fn ipv6_malformed_extension_headers() {
    // an extension header running past the payload
    let mut p = ipv6(0, &[6, 200, 0, 0, 0, 0, 0, 0], b"tcp");
    assert_eq!(
        Ipv6Packet::new_checked(&mut p[..])
            .unwrap()
            .upper_layer_mut(),
        None
    );
    // a payload too short for the extension header's first two bytes
    let mut p = ipv6(0, &[6], &[]);
    assert_eq!(
        Ipv6Packet::new_checked(&mut p[..])
            .unwrap()
            .upper_layer_mut(),
        None
    );
    // eight extension headers are stepped over, nine are too many
    let hop_by_hop = [0u8, 0, 0, 0, 0, 0, 0, 0];
    let mut ext = hop_by_hop.repeat(8);
    ext[56] = 6;
    let mut p = ipv6(0, &ext, b"tcp");
    let got = Ipv6Packet::new_checked(&mut p[..])
        .unwrap()
        .upper_layer_mut()
        .map(|(n, _)| n);
    assert_eq!(got, Some(6));
    let mut p = ipv6(0, &hop_by_hop.repeat(9), b"tcp");
    assert_eq!(
        Ipv6Packet::new_checked(&mut p[..])
            .unwrap()
            .upper_layer_mut(),
        None
    );
}

#[test]
fn ipv6_refuses_garbage() {
    assert!(Ipv6Packet::new_checked(&[0x60; 39][..]).is_none());
    let good = ipv6(6, &[], b"tcp");
    assert!(Ipv6Packet::new_checked(&good[..]).is_some());
    let mut p = good.clone();
    p[0] = 0x45;
    assert!(Ipv6Packet::new_checked(&p[..]).is_none());
    // payload length past the buffer
    let mut p = good.clone();
    p[5] = 4;
    assert!(Ipv6Packet::new_checked(&p[..]).is_none());
}
