//! UDP datagrams with their IPsec SA mark: received with the mark the SA put on them
//! (`SO_RCVMARK`), sent with the mark that picks the peer's SA (`SO_MARK` per datagram).
//!
//! The mark rides in ancillary data, so one socket serves every SA. Setting a mark needs
//! CAP_NET_ADMIN (rasd runs as root); mark 0 sends as any socket would.

use std::io;
use std::os::fd::AsRawFd;

use socket2::{SockAddr, SockRef};
use tokio::io::Interest;
use tokio::net::UdpSocket;

use super::path::PeerPath;
use crate::priority_send::{self, Traffic, SO_MARK};

mod batch;
pub use batch::{recv_batch, Datagram, RecvBatch, BATCH, SLOT};

/// `SO_RCVMARK` (asm-generic value; since Linux 5.19).
const SO_RCVMARK: libc::c_int = 75;
/// Room for a few received control messages (the mark takes 16 bytes on 64-bit).
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

/// Sends `datagram` to `to` without waiting, with `to`'s mark when it has one, and with
/// network control's priority for [`Traffic::Control`].
pub fn try_send(
    socket: &UdpSocket,
    datagram: &[u8],
    to: PeerPath,
    traffic: Traffic,
) -> io::Result<usize> {
    if to.mark == 0 && traffic == Traffic::Data {
        return socket.try_send_to(datagram, to.addr);
    }
    let dest = SockAddr::from(to.addr);
    socket.try_io(Interest::WRITABLE, || {
        priority_send::send(socket.as_raw_fd(), &dest, datagram, to.mark, traffic)
    })
}

#[cfg(test)]
mod tests;
