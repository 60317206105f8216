//! The raw IPPROTO_GRE sockets PPTP's data travels on.

use std::io;
use std::mem::MaybeUninit;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;
use std::sync::Arc;

use libc::sock_filter;
use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::io::unix::AsyncFd;

use super::gre_share::{call_filter, share_filter};
use crate::ip_packet::Ipv4Packet;
use crate::l2tp::mark_io::RecvBatch;
use crate::priority_send::{self, Traffic};

/// Requested kernel buffer size of the raw socket, each direction.
const SOCKET_BUFFER: usize = 4 << 20;

/// IP protocol number of GRE.
const IPPROTO_GRE: i32 = 47;

/// A raw GRE socket: receives whole IPv4 packets, sends GRE payloads (the kernel adds the IP header).
pub struct GreSocket {
    fd: AsyncFd<Socket>,
}

impl GreSocket {
    /// Opens the socket, bound to `local` when given (needs root or CAP_NET_RAW).
    pub fn open(local: Option<Ipv4Addr>) -> io::Result<Arc<Self>> {
        Self::open_filtered(local, None)
    }

    /// Opens `count` sockets (at least one) that share the calls between them by call ID
    /// ([`share_filter`]), so that each can have its own reader.
    pub fn open_group(local: Option<Ipv4Addr>, count: u16) -> io::Result<Vec<Arc<Self>>> {
        let count = count.max(1);
        (0..count)
            .map(|i| Self::open_filtered(local, (count > 1).then(|| share_filter(i, count))))
            .collect()
    }

    /// Opens a socket that reads only call `call_id`'s packets ([`call_filter`]): a client's.
    pub fn open_for_call(local: Option<Ipv4Addr>, call_id: u16) -> io::Result<Arc<Self>> {
        Self::open_filtered(local, Some(call_filter(call_id)))
    }

    fn open_filtered(
        local: Option<Ipv4Addr>,
        filter: Option<[sock_filter; 10]>,
    ) -> io::Result<Arc<Self>> {
        let sock = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::from(IPPROTO_GRE)))?;
        if let Some(filter) = filter {
            sock.attach_filter(&filter)?;
        }
        sock.set_nonblocking(true)?;
        // One socket carries every session: room for bursts from many clients at once.
        let _ = sock.set_recv_buffer_size(SOCKET_BUFFER);
        let _ = sock.set_send_buffer_size(SOCKET_BUFFER);
        if let Some(ip) = local.filter(|ip| !ip.is_unspecified()) {
            sock.bind(&SockAddr::from(SocketAddrV4::new(ip, 0)))?;
        }
        Ok(Arc::new(GreSocket {
            fd: register(sock)?,
        }))
    }

    /// Sends one GRE packet to `peer`, control with network control's priority; a full
    /// socket buffer drops it (GRE is unreliable anyway).
    pub fn send_to(&self, peer: Ipv4Addr, gre: &[u8], traffic: Traffic) {
        let addr = SockAddr::from(SocketAddr::from((peer, 0)));
        let sent = match traffic {
            Traffic::Data => self.fd.get_ref().send_to(gre, &addr),
            Traffic::Control => priority_send::send(self.fd.as_raw_fd(), &addr, gre, 0, traffic),
        };
        if let Err(e) = sent {
            tracing::debug!(%peer, error = %e, "GRE send dropped a packet");
        }
    }

    /// Waits for packets and reads as many as are there, up to [`BATCH`](crate::l2tp::mark_io::BATCH),
    /// into `batch` (whole IPv4 packets; see [`gre_of`]); returns how many.
    pub async fn recv_batch(&self, batch: &mut RecvBatch) -> io::Result<usize> {
        loop {
            let mut guard = self.fd.readable().await?;
            match guard.try_io(|inner| batch.fill(inner.as_raw_fd())) {
                Ok(got) => return got,
                Err(_would_block) => continue,
            }
        }
    }

    /// Waits for the next packet; returns the sender and the GRE part (IP header stripped).
    pub async fn recv<'a>(&self, buf: &'a mut [u8]) -> io::Result<(Ipv4Addr, &'a [u8])> {
        loop {
            let mut guard = self.fd.readable().await?;
            let res = guard.try_io(|inner| {
                // SAFETY: MaybeUninit<u8> has the layout of u8; recv only writes initialised bytes.
                let uninit = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
                inner.get_ref().recv(uninit)
            });
            let n = match res {
                Ok(r) => r?,
                Err(_would_block) => continue,
            };
            if let Some(ip) = Ipv4Packet::new_checked(&buf[..n]) {
                let gre = ip.payload_range();
                return Ok((ip.src_addr(), &buf[gre]));
            }
        }
    }
}

/// The sender and the GRE part of a packet a raw GRE socket read (IP header stripped); None
/// when it is not a whole IPv4 packet.
pub fn gre_of(packet: &[u8]) -> Option<(Ipv4Addr, &[u8])> {
    let ip = Ipv4Packet::new_checked(packet)?;
    Some((ip.src_addr(), &packet[ip.payload_range()]))
}

/// Registers the socket with the tokio reactor.
fn register(sock: Socket) -> io::Result<AsyncFd<Socket>> {
    // SAFETY: the AsyncFd owns the socket, so the descriptor stays open while registered.
    unsafe { AsyncFd::register(sock) }.map_err(|e| io::Error::other(e.to_string()))
}
