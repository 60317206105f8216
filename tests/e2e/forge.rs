//! Hostile input: packets with a forged source address, sent from a raw socket (IP_HDRINCL) in
//! the attacker's namespace (a flood from many addresses without configuring them), and the
//! SCCRQs such floods carry.

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Instant;

use l2tpd::tunnel::{Role, Tunnel, TunnelConfig, MAX_DATAGRAM};
use rand::{rngs::StdRng, SeedableRng};
use socket2::{Domain, Protocol, Socket, Type};

/// An SCCRQ as a LAC with tunnel ID `tid` sends it.
pub fn sccrq(tid: u16) -> Vec<u8> {
    let now = Instant::now();
    let cfg = TunnelConfig {
        role: Role::Lac,
        ..TunnelConfig::default()
    };
    let mut lac = Tunnel::new(cfg, tid, now, StdRng::seed_from_u64(u64::from(tid)));
    lac.start(now);
    let mut buf = [0u8; MAX_DATAGRAM];
    let n = lac.poll_transmit(now, &mut buf).expect("an SCCRQ");
    buf[..n].to_vec()
}

/// A raw IPv4 socket that sends whole IP packets (we write the header, source included).
pub fn raw_ipv4() -> Socket {
    let sock = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::UDP)).expect("raw socket");
    sock.set_header_included_v4(true).expect("IP_HDRINCL");
    sock
}

/// Sends one UDP datagram from `src` to `dst` with `payload`. The kernel fills in the IP
/// checksum and identification; the UDP checksum is 0 (none, allowed for IPv4).
pub fn send_udp(sock: &Socket, src: SocketAddrV4, dst: SocketAddrV4, payload: &[u8]) {
    let total = 20 + 8 + payload.len();
    let mut p = Vec::with_capacity(total);
    p.extend_from_slice(&[
        0x45,
        0,
        (total >> 8) as u8,
        total as u8,
        0,
        0,
        0x40,
        0,
        64,
        17,
        0,
        0,
    ]);
    p.extend_from_slice(&src.ip().octets());
    p.extend_from_slice(&dst.ip().octets());
    let udp_len = (8 + payload.len()) as u16;
    p.extend_from_slice(&src.port().to_be_bytes());
    p.extend_from_slice(&dst.port().to_be_bytes());
    p.extend_from_slice(&udp_len.to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    let to = SocketAddrV4::new(*dst.ip(), 0);
    // A full send buffer or an unroutable source is part of a flood: not an error of the test.
    let _ = sock.send_to(&p, &to.into());
}

/// `count` addresses from `first` on.
pub fn addresses(first: Ipv4Addr, count: u32) -> impl Iterator<Item = Ipv4Addr> {
    (0..count).map(move |i| Ipv4Addr::from(u32::from(first) + i))
}
