//! An L2TP UDP socket with big buffers, and the kernel's count of datagrams it dropped.
//!
//! Bursts of setups and teardowns from hundreds of tunnels overrun the kernel's default
//! 208 KiB buffers; each dropped control message stalls a tunnel for a retransmission timeout.
//! The buffer size comes from `[l2tp] socket_buffer`; as root it is forced past
//! `net.core.rmem_max`/`wmem_max`. The drop count is the socket's own (`SO_MEMINFO`,
//! `SK_MEMINFO_DROPS`: what SO_RXQ_OVFL would report per datagram, read without ancillary data
//! on every receive), polled and logged when it grows.

use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::time::Duration;

use anyhow::{Context, Result};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket;

/// `SO_SNDBUFFORCE`, `SO_RCVBUFFORCE`, `SO_MEMINFO` (asm-generic values, x86 and arm alike).
const SO_SNDBUFFORCE: libc::c_int = 32;
const SO_RCVBUFFORCE: libc::c_int = 33;
const SO_MEMINFO: libc::c_int = 55;
/// Entries of the `SO_MEMINFO` array (`SK_MEMINFO_VARS`).
const MEMINFO_VARS: usize = 9;

/// How often the drop count is read.
pub const DROP_CHECK_INTERVAL: Duration = Duration::from_secs(5);

/// Binds a UDP socket to `addr` with `buffer` bytes of receive and send buffer.
pub fn bind(addr: SocketAddr, buffer: usize) -> Result<UdpSocket> {
    bind_with(addr, buffer, false)
}

/// Binds `count` UDP sockets (at least one) to `addr`, all on one port (`SO_REUSEPORT`), with
/// `buffer` bytes of buffer each way. The kernel hands a peer's datagrams (its address and
/// port) always to the same socket of the group, so one reader keeps a tunnel's datagrams in
/// order and the readers share the tunnels. A plain bind is tried first: a port another
/// process holds fails as it would without the group, rather than that process and this one
/// splitting the traffic.
pub fn bind_group(addr: SocketAddr, buffer: usize, count: usize) -> Result<Vec<UdpSocket>> {
    if addr.port() != 0 {
        drop(
            std::net::UdpSocket::bind(addr)
                .with_context(|| format!("listening on {addr} (l2tp)"))?,
        );
    }
    let first = bind_with(addr, buffer, true)?;
    let addr = first.local_addr()?;
    let mut group = vec![first];
    for _ in 1..count {
        group.push(bind_with(addr, buffer, true)?);
    }
    Ok(group)
}

fn bind_with(addr: SocketAddr, buffer: usize, shared_port: bool) -> Result<UdpSocket> {
    let sock = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))
        .context("creating a UDP socket")?;
    set_buffers(&sock, buffer);
    sock.set_nonblocking(true)?;
    if shared_port {
        sock.set_reuse_port(true)
            .context("sharing the L2TP port between readers (SO_REUSEPORT)")?;
    }
    sock.bind(&addr.into())
        .with_context(|| format!("listening on {addr} (l2tp)"))?;
    let std_sock: std::net::UdpSocket = sock.into();
    Ok(UdpSocket::from_std(std_sock)?)
}

/// Sets both buffers, forced past the kernel's caps when we may (root), else as large as the
/// caps allow; says so when the kernel gave less than asked.
fn set_buffers(sock: &Socket, size: usize) {
    let forced = [SO_RCVBUFFORCE, SO_SNDBUFFORCE]
        .iter()
        .all(|opt| set_int(sock, *opt, size).is_ok());
    if !forced {
        let _ = sock.set_recv_buffer_size(size);
        let _ = sock.set_send_buffer_size(size);
    }
    // The kernel doubles what it is given (bookkeeping overhead) and reports the doubled value.
    let got = sock.recv_buffer_size().unwrap_or(0) / 2;
    if got < size {
        tracing::warn!(
            asked = size,
            got,
            "L2TP socket buffer capped by net.core.rmem_max (run as root, or raise the sysctl)"
        );
    }
}

/// Sets a `SOL_SOCKET` option of type `int`.
pub(super) fn set_int(sock: &Socket, opt: libc::c_int, value: usize) -> std::io::Result<()> {
    let v = libc::c_int::try_from(value).unwrap_or(libc::c_int::MAX);
    // SAFETY: a c_int option value of the right size on a valid socket.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            opt,
            (&v as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Datagrams the kernel dropped on this socket since it was opened (full receive buffer), if
/// the kernel tells.
pub fn kernel_drops(socket: &UdpSocket) -> Option<u32> {
    let mut info = [0u32; MEMINFO_VARS];
    let mut len = std::mem::size_of_val(&info) as libc::socklen_t;
    // SAFETY: `info` is a writable buffer of `len` bytes.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            SO_MEMINFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    (rc == 0 && len as usize == std::mem::size_of_val(&info)).then_some(info[MEMINFO_VARS - 1])
}

/// Datagrams the kernel dropped on all of `sockets`, summed modulo 2^32 as each socket's count
/// is (so the difference between two looks holds across a wrap); None if one does not tell.
pub fn group_drops(sockets: &[std::sync::Arc<UdpSocket>]) -> Option<u32> {
    sockets.iter().try_fold(0u32, |total, socket| {
        kernel_drops(socket).map(|drops| total.wrapping_add(drops))
    })
}

/// Logs, every [`DROP_CHECK_INTERVAL`], how many datagrams the kernel dropped on the sockets
/// of one listen address (its `SO_REUSEPORT` group) since the last look, when there were any:
/// one line for the address, not one a socket.
pub async fn watch_drops(sockets: Vec<std::sync::Arc<UdpSocket>>, addr: SocketAddr) {
    let mut seen = group_drops(&sockets).unwrap_or(0);
    let mut tick = tokio::time::interval(DROP_CHECK_INTERVAL);
    loop {
        tick.tick().await;
        let Some(now) = group_drops(&sockets) else {
            return;
        };
        if now != seen {
            tracing::warn!(%addr, sockets = sockets.len(), dropped = now.wrapping_sub(seen), total = now,
                "kernel dropped L2TP datagrams: receive buffer full (raise [l2tp] socket_buffer)");
            seen = now;
        }
    }
}

#[cfg(test)]
mod tests;
