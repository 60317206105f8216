//! Control before data in the kernel's queues. Datagrams that keep sessions alive (L2TP control
//! messages, PPP control frames, PPTP acknowledgments) are sent with network control's priority
//! (`SO_PRIORITY` 7, `TC_PRIO_CONTROL`, as a control message of that one send; Linux 6.14 and
//! later), which priority queueing disciplines (`pfifo_fast`, `prio`) send ahead of data and do
//! not drop for the data's sake. A kernel that refuses it is logged once, and control then
//! leaves as data does.
//!
//! The same send carries an IPsec SA's mark (`SO_MARK`) when the peer has one.

use std::io;
use std::mem::zeroed;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use socket2::SockAddr;

/// `SO_MARK` (asm-generic value, x86 and arm alike).
pub const SO_MARK: libc::c_int = 36;
/// The priority of network control (`TC_PRIO_CONTROL`): band 0 of `pfifo_fast` and `prio`.
pub const TC_PRIO_CONTROL: u32 = 7;

/// Whether the kernel still takes a per-datagram priority (until it first refuses one).
static KERNEL_TAKES_PRIORITY: AtomicBool = AtomicBool::new(true);

/// What a datagram carries, for the queue it waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traffic {
    /// Network-layer data.
    Data,
    /// What keeps a session or tunnel alive: sent with [`TC_PRIO_CONTROL`].
    Control,
}

/// Sends `data` to `dest` on `fd` without waiting, with `mark` (0: none) and, for
/// [`Traffic::Control`], network control's priority.
pub fn send(
    fd: RawFd,
    dest: &SockAddr,
    data: &[u8],
    mark: u32,
    traffic: Traffic,
) -> io::Result<usize> {
    let priority = traffic == Traffic::Control && KERNEL_TAKES_PRIORITY.load(Relaxed);
    let sent = send_once(fd, dest, data, mark, priority);
    let refused =
        matches!(&sent, Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::EPERM)));
    if !(priority && refused) {
        return sent;
    }
    let again = send_once(fd, dest, data, mark, false);
    if again.is_ok() && KERNEL_TAKES_PRIORITY.swap(false, Relaxed) {
        tracing::info!(error = %sent.unwrap_err(),
            "the kernel takes no per-datagram priority (SO_PRIORITY control messages need \
             Linux 6.14 and CAP_NET_ADMIN): control frames wait in the same queues as data");
    }
    again
}

fn send_once(
    fd: RawFd,
    dest: &SockAddr,
    data: &[u8],
    mark: u32,
    priority: bool,
) -> io::Result<usize> {
    let options = [
        (SO_MARK, mark, mark != 0),
        (libc::SO_PRIORITY, TC_PRIO_CONTROL, priority),
    ];
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    // SAFETY: all-zero is a valid msghdr; every pointer set below points at a live buffer of
    // the stated length, and the two 4-byte control messages (16 bytes each on 64-bit, 12 on
    // 32-bit) fit in the 64 bytes of `control`.
    let n = unsafe {
        let mut msg: libc::msghdr = zeroed();
        msg.msg_name = dest.as_ptr() as *mut libc::c_void;
        msg.msg_namelen = dest.len();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        let used = options.iter().filter(|o| o.2).count() as u32;
        if used > 0 {
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = (libc::CMSG_SPACE(4) * used) as _;
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            for &(option, value, _) in options.iter().filter(|o| o.2) {
                (*cmsg).cmsg_level = libc::SOL_SOCKET;
                (*cmsg).cmsg_type = option;
                (*cmsg).cmsg_len = libc::CMSG_LEN(4) as _;
                std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<u32>(), value);
                cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
            }
        }
        libc::sendmsg(fd, &msg, libc::MSG_DONTWAIT)
    };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests;
