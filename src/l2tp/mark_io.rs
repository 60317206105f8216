//! UDP datagrams with their IPsec SA mark: received with the mark the SA put on them
//! (`SO_RCVMARK`), sent with the mark that picks the peer's SA (`SO_MARK` per datagram).
//!
//! The mark rides in ancillary data, so one socket serves every SA. Setting a mark needs
//! CAP_NET_ADMIN (rasd runs as root); mark 0 sends as any socket would.

use std::io;
use std::mem::zeroed;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;

use socket2::{SockAddr, SockRef};
use tokio::io::Interest;
use tokio::net::UdpSocket;

use super::path::PeerPath;

mod batch;
pub use batch::{recv_batch, Datagram, RecvBatch, BATCH, SLOT};

/// `SO_MARK` and `SO_RCVMARK` (asm-generic values; the latter since Linux 5.19).
const SO_MARK: libc::c_int = 36;
const SO_RCVMARK: libc::c_int = 75;
/// Room for a few control messages (the mark takes 16 bytes on 64-bit).
const CONTROL_LEN: usize = 64;

/// Asks the kernel to tell each received datagram's mark.
pub fn enable_receive_marks(socket: &UdpSocket) -> io::Result<()> {
    super::socket::set_int(&SockRef::from(socket), SO_RCVMARK, 1)
}

/// The mark among `msg`'s control messages (the kernel files it as `SO_MARK`), else 0.
fn mark_of(msg: &libc::msghdr) -> u32 {
    // SAFETY: walks the control buffer the kernel filled, as the CMSG_* macros do.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(msg);
        while !cmsg.is_null() {
            let c = &*cmsg;
            let is_mark = c.cmsg_level == libc::SOL_SOCKET
                && (c.cmsg_type == SO_MARK || c.cmsg_type == SO_RCVMARK);
            if is_mark && c.cmsg_len as usize >= libc::CMSG_LEN(4) as usize {
                return std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<u32>());
            }
            cmsg = libc::CMSG_NXTHDR(msg, cmsg);
        }
    }
    0
}

/// Sends `datagram` to `to` without waiting, with `to`'s mark when it has one.
pub fn try_send(socket: &UdpSocket, datagram: &[u8], to: PeerPath) -> io::Result<usize> {
    if to.mark == 0 {
        return socket.try_send_to(datagram, to.addr);
    }
    socket.try_io(Interest::WRITABLE, || {
        send_marked(socket, datagram, to.addr, to.mark)
    })
}

fn send_marked(
    socket: &UdpSocket,
    datagram: &[u8],
    to: SocketAddr,
    mark: u32,
) -> io::Result<usize> {
    let dest = SockAddr::from(to);
    let mut control = [0u64; CONTROL_LEN / 8];
    let mut iov = libc::iovec {
        iov_base: datagram.as_ptr() as *mut libc::c_void,
        iov_len: datagram.len(),
    };
    // SAFETY: all-zero is a valid msghdr; every pointer set below points at a live buffer of
    // the stated length, and the one control message fits in `control`.
    let n = unsafe {
        let mut msg: libc::msghdr = zeroed();
        msg.msg_name = dest.as_ptr() as *mut libc::c_void;
        msg.msg_namelen = dest.len();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = libc::CMSG_SPACE(4) as _;
        let cmsg = libc::CMSG_FIRSTHDR(&msg);
        (*cmsg).cmsg_level = libc::SOL_SOCKET;
        (*cmsg).cmsg_type = SO_MARK;
        (*cmsg).cmsg_len = libc::CMSG_LEN(4) as _;
        std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<u32>(), mark);
        libc::sendmsg(socket.as_raw_fd(), &msg, libc::MSG_DONTWAIT)
    };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests;
