//! A TUN↔UDP forwarder with no protocol work: the baseline `bench/dataplane.sh` sets rasd's data
//! path against.
//!
//! It makes the syscalls rasd's L2TP data path makes, and nothing else: each packet the kernel
//! routes into the TUN device is read with one `read` and sent as one UDP datagram to the peer
//! with one non-blocking `sendto` (a full send buffer drops it, as rasd's `try_send_to` does);
//! each UDP datagram received with one `recvfrom` (rasd uses `recvmsg`, for the IPsec mark) is
//! written to the TUN device with one non-blocking `write`. Same tokio multi-threaded runtime as
//! rasd. No header, no encryption, no session lookup.
//!
//! With `--mppe 128` it also pays what MPPE-128 in stateless mode costs (RFC 3078, 3079): each
//! packet is encrypted with pppd's MPPE engine before it is sent (a key change and RC4) and
//! decrypted after it is received, both ends keyed alike: the syscalls and the cryptography,
//! still no protocol work. The engine and the buffers are each direction's own, with no lock.
//!
//! ```text
//! tun_udp_forwarder TUN LOCAL PEER TUN_ADDR TUN_PEER [--mtu N] [--socket-buffer BYTES] [--mppe none|128]
//! tun_udp_forwarder fwd0 198.51.100.1:5555 198.51.100.2:5555 203.0.113.1 203.0.113.10
//! ```
//!
//! creates TUN device `TUN` with address `TUN_ADDR`, point-to-point to `TUN_PEER` (the kernel
//! routes `TUN_PEER` into it), binds UDP `LOCAL` and forwards to `PEER`. `--mtu` is the TUN
//! device's MTU (default 1400, rasd's tunnel MTU). `--socket-buffer` sets SO_RCVBUF and
//! SO_SNDBUF, forced past the sysctl caps as root (default 4194304, rasd's `[l2tp]
//! socket_buffer`; 0 keeps the kernel's default, as `rasd dial` does). `--mppe` is `none`
//! (default) or `128`. On SIGINT or SIGTERM it prints its counters to stderr and exits.
#![warn(missing_docs)]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use pppd::auth::MppeKeys;
use pppd::mppe::{Mppe, Strength};
use tokio::net::UdpSocket;
use tun_rs::{AsyncDevice, DeviceBuilder};

/// Socket buffer each way by default, as rasd's `[l2tp] socket_buffer` default.
const SOCKET_BUFFER: usize = 4 << 20;
/// The usage line.
const USAGE: &str =
    "usage: tun_udp_forwarder TUN LOCAL_ADDR:PORT PEER_ADDR:PORT TUN_ADDR TUN_PEER \
    [--mtu N] [--socket-buffer BYTES] [--mppe none|128]";
/// The PPP protocol field of an IPv4 packet, which MPPE encrypts with it.
const PPP_IPV4: [u8; 2] = [0x00, 0x21];
/// The MPPE header and the protocol field in front of each packet.
const MPPE_OVERHEAD: usize = 4;

/// What the two directions did.
#[derive(Default)]
struct Counters {
    /// Packets read from the TUN device.
    tun_in: AtomicU64,
    /// Datagrams sent to the peer.
    udp_out: AtomicU64,
    /// Packets dropped because the socket's send buffer was full.
    udp_out_dropped: AtomicU64,
    /// Datagrams received from the peer.
    udp_in: AtomicU64,
    /// Packets written to the TUN device.
    tun_out: AtomicU64,
    /// Packets the TUN device refused (its queue full).
    tun_out_dropped: AtomicU64,
    /// Datagrams MPPE refused to decrypt (lost sync, out of window).
    mppe_dropped: AtomicU64,
}

/// The command line.
struct Args {
    tun: String,
    local: SocketAddr,
    peer: SocketAddr,
    tun_addr: Ipv4Addr,
    tun_peer: Ipv4Addr,
    mtu: u16,
    /// SO_RCVBUF and SO_SNDBUF; 0: the kernel's default.
    socket_buffer: usize,
    /// Stateless MPPE-128 on every packet.
    mppe: bool,
}

fn parse_args() -> Result<Args> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 5 {
        bail!("{USAGE}");
    }
    let mut args = Args {
        tun: a[0].clone(),
        local: a[1].parse().context("LOCAL_ADDR:PORT")?,
        peer: a[2].parse().context("PEER_ADDR:PORT")?,
        tun_addr: a[3].parse().context("TUN_ADDR")?,
        tun_peer: a[4].parse().context("TUN_PEER")?,
        mtu: 1400,
        socket_buffer: SOCKET_BUFFER,
        mppe: false,
    };
    let mut rest = a[5..].iter();
    while let Some(flag) = rest.next() {
        let value = rest
            .next()
            .with_context(|| format!("{flag} needs a value; {USAGE}"))?;
        match flag.as_str() {
            "--mtu" => args.mtu = value.parse().context("--mtu")?,
            "--socket-buffer" => args.socket_buffer = value.parse().context("--socket-buffer")?,
            "--mppe" => {
                args.mppe = match value.as_str() {
                    "none" => false,
                    "128" => true,
                    _ => bail!("--mppe none or 128"),
                }
            }
            _ => bail!("unknown option {flag}; {USAGE}"),
        }
    }
    Ok(args)
}

/// Binds the UDP socket as rasd binds its L2TP socket (`rasd::l2tp::socket::bind`: `buffer`
/// bytes each way, forced past the sysctl caps as root), or with the kernel's default buffers
/// for 0, as `rasd dial` does.
fn bind(addr: SocketAddr, buffer: usize) -> Result<UdpSocket> {
    if buffer > 0 {
        return rasd::l2tp::socket::bind(addr, buffer);
    }
    let sock = std::net::UdpSocket::bind(addr).with_context(|| format!("binding {addr}"))?;
    sock.set_nonblocking(true)?;
    Ok(UdpSocket::from_std(sock)?)
}

/// An MPPE-128 engine in stateless mode, keyed as the other end's: both ends use one key for
/// both directions.
fn mppe() -> Mppe {
    let keys = MppeKeys {
        send: [0x5a; 16],
        recv: [0x5a; 16],
    };
    Mppe::new(&keys, Strength::Bits128, true)
}

/// TUN → UDP: one read, one non-blocking send per packet (encrypted first with `mppe`).
async fn tun_to_udp(
    dev: Arc<AsyncDevice>,
    sock: Arc<UdpSocket>,
    peer: SocketAddr,
    mut mppe: Option<Mppe>,
    c: Arc<Counters>,
) -> Result<()> {
    let mut buf = vec![0u8; 65536];
    let start = if mppe.is_some() { MPPE_OVERHEAD } else { 0 };
    loop {
        let n = dev
            .recv(&mut buf[start..])
            .await
            .context("reading the TUN device")?;
        c.tun_in.fetch_add(1, Ordering::Relaxed);
        let len = match &mut mppe {
            Some(mppe) => {
                buf[2..MPPE_OVERHEAD].copy_from_slice(&PPP_IPV4);
                mppe.encrypt_in_place(&mut buf[..start + n])
            }
            None => n,
        };
        match sock.try_send_to(&buf[..len], peer) {
            Ok(_) => c.udp_out.fetch_add(1, Ordering::Relaxed),
            Err(_) => c.udp_out_dropped.fetch_add(1, Ordering::Relaxed),
        };
    }
}

/// UDP → TUN: one receive, one non-blocking write per datagram (decrypted first with `mppe`).
async fn udp_to_tun(
    dev: Arc<AsyncDevice>,
    sock: Arc<UdpSocket>,
    mut mppe: Option<Mppe>,
    c: Arc<Counters>,
) -> Result<()> {
    let mut buf = vec![0u8; 65536];
    let mut plain = vec![0u8; 65536];
    loop {
        let (n, _from) = sock.recv_from(&mut buf).await.context("receiving")?;
        c.udp_in.fetch_add(1, Ordering::Relaxed);
        let packet = match &mut mppe {
            Some(mppe) => match mppe.decrypt(&buf[..n], &mut plain) {
                Ok(len) if len > 2 => &plain[2..len],
                _ => {
                    c.mppe_dropped.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
            },
            None => &buf[..n],
        };
        match dev.try_send(packet) {
            Ok(_) => c.tun_out.fetch_add(1, Ordering::Relaxed),
            Err(_) => c.tun_out_dropped.fetch_add(1, Ordering::Relaxed),
        };
    }
}

async fn run(args: Args) -> Result<()> {
    let dev = DeviceBuilder::new()
        .name(&args.tun)
        .ipv4(args.tun_addr, 32u8, Some(args.tun_peer))
        .mtu(args.mtu)
        .build_async()
        .with_context(|| format!("creating TUN device {} (needs root)", args.tun))?;
    let _ = std::fs::write(
        format!("/proc/sys/net/ipv6/conf/{}/disable_ipv6", args.tun),
        "1",
    );
    let dev = Arc::new(dev);
    let sock = Arc::new(bind(args.local, args.socket_buffer)?);
    let c = Arc::new(Counters::default());
    let engine = || args.mppe.then(mppe);
    let up = tokio::spawn(tun_to_udp(
        dev.clone(),
        sock.clone(),
        args.peer,
        engine(),
        c.clone(),
    ));
    let down = tokio::spawn(udp_to_tun(dev, sock, engine(), c.clone()));
    eprintln!(
        "forwarding {} ({} -> {}) <-> udp {} -> {}{}",
        args.tun,
        args.tun_addr,
        args.tun_peer,
        args.local,
        args.peer,
        if args.mppe {
            ", MPPE-128 stateless"
        } else {
            ""
        }
    );
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = up => r??,
        r = down => r??,
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    eprintln!(
        "tun_in={} udp_out={} udp_out_dropped={} udp_in={} tun_out={} tun_out_dropped={} \
        mppe_dropped={}",
        get(&c.tun_in),
        get(&c.udp_out),
        get(&c.udp_out_dropped),
        get(&c.udp_in),
        get(&c.tun_out),
        get(&c.tun_out_dropped),
        get(&c.mppe_dropped)
    );
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(args))
}
