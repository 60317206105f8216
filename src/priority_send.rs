//! Control before data in the kernel's queues. Datagrams that keep sessions alive (L2TP control
//! messages, PPP control frames, PPTP acknowledgments) are sent with network control's priority
//! (`SO_PRIORITY` 7, `TC_PRIO_CONTROL`, as a control message of that one send; Linux 6.14 and
//! later), which priority queueing disciplines (`pfifo_fast`, `prio`) send ahead of data and do
//! not drop for the data's sake. A kernel that refuses it is logged once, and control then
//! leaves as data does.
//!
//! Beyond the host, `[server] control_dscp` puts a DSCP on the same datagrams (`IP_TOS` or
//! `IPV6_TCLASS`, a control message of that send too), for routers that queue by it.
//!
//! The same send carries an IPsec SA's mark (`SO_MARK`) when the peer has one.

use std::io;
use std::mem::zeroed;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering::Relaxed};

use socket2::SockAddr;

/// `SO_MARK` (asm-generic value, x86 and arm alike).
pub const SO_MARK: libc::c_int = 36;
/// The priority of network control (`TC_PRIO_CONTROL`): band 0 of `pfifo_fast` and `prio`.
pub const TC_PRIO_CONTROL: u32 = 7;

/// Whether the kernel still takes a per-datagram priority (until it first refuses one).
static KERNEL_TAKES_PRIORITY: AtomicBool = AtomicBool::new(true);
/// The traffic class (DSCP << 2) control datagrams carry; 0: none.
static CONTROL_CLASS: AtomicU8 = AtomicU8::new(0);
/// Whether the kernel still takes a per-datagram traffic class (until it first refuses one).
static KERNEL_TAKES_CLASS: AtomicBool = AtomicBool::new(true);

/// Sets the DSCP (0 to 63; 0: none) control datagrams carry from now on, daemon-wide.
pub fn set_control_dscp(dscp: u8) {
    CONTROL_CLASS.store((dscp & 0x3f) << 2, Relaxed);
}

/// What a datagram carries, for the queue it waits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traffic {
    /// Network-layer data.
    Data,
    /// What keeps a session or tunnel alive: sent with [`TC_PRIO_CONTROL`].
    Control,
}

/// Sends `data` to `dest` on `fd` without waiting, with `mark` (0: none) and, for
/// [`Traffic::Control`], network control's priority and the control DSCP.
pub fn send(
    fd: RawFd,
    dest: &SockAddr,
    data: &[u8],
    mark: u32,
    traffic: Traffic,
) -> io::Result<usize> {
    let control = traffic == Traffic::Control;
    let mut marks = Marks {
        mark,
        priority: control && KERNEL_TAKES_PRIORITY.load(Relaxed),
        class: if control && KERNEL_TAKES_CLASS.load(Relaxed) {
            CONTROL_CLASS.load(Relaxed)
        } else {
            0
        },
    };
    let mut sent = send_with(fd, dest, data, marks);
    if marks.priority && refused(&sent) {
        marks.priority = false;
        let again = send_with(fd, dest, data, marks);
        if let (Ok(_), Err(e)) = (&again, &sent) {
            if KERNEL_TAKES_PRIORITY.swap(false, Relaxed) {
                tracing::info!(error = %e,
                    "the kernel takes no per-datagram priority (SO_PRIORITY control messages \
                     need Linux 6.14 and CAP_NET_ADMIN): control frames wait in the same queues \
                     as data");
            }
        }
        sent = again;
    }
    if marks.class != 0 && refused(&sent) {
        marks.class = 0;
        let again = send_with(fd, dest, data, marks);
        if let (Ok(_), Err(e)) = (&again, &sent) {
            if KERNEL_TAKES_CLASS.swap(false, Relaxed) {
                tracing::warn!(error = %e,
                    "the kernel takes no per-datagram DSCP: [server] control_dscp is not applied");
            }
        }
        sent = again;
    }
    sent
}

/// Whether a send failed because the kernel refused one of its control messages.
fn refused(sent: &io::Result<usize>) -> bool {
    matches!(sent, Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::EPERM)))
}

/// What one datagram carries besides its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Marks {
    /// `SO_MARK` (0: none).
    mark: u32,
    /// Network control's priority ([`TC_PRIO_CONTROL`]).
    priority: bool,
    /// The IP traffic class, DSCP << 2 (`IP_TOS` to an IPv4 address, `IPV6_TCLASS` to IPv6;
    /// 0: none).
    class: u8,
}

/// One `sendmsg` of `data` to `dest` with `marks` as its control messages, without waiting.
fn send_with(fd: RawFd, dest: &SockAddr, data: &[u8], marks: Marks) -> io::Result<usize> {
    let class_option = if dest.is_ipv6() {
        (libc::IPPROTO_IPV6, libc::IPV6_TCLASS)
    } else {
        (libc::IPPROTO_IP, libc::IP_TOS)
    };
    // The kernel reads them in order, and a traffic class sets the priority its TOS bits
    // map to (best effort for every class selector): the priority comes after it.
    let options = [
        (libc::SOL_SOCKET, SO_MARK, marks.mark, marks.mark != 0),
        (
            class_option.0,
            class_option.1,
            u32::from(marks.class),
            marks.class != 0,
        ),
        (
            libc::SOL_SOCKET,
            libc::SO_PRIORITY,
            TC_PRIO_CONTROL,
            marks.priority,
        ),
    ];
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: data.as_ptr() as *mut libc::c_void,
        iov_len: data.len(),
    };
    // SAFETY: all-zero is a valid msghdr; every pointer set below points at a live buffer of
    // the stated length, and the three 4-byte control messages (16 bytes each on 64-bit, 12 on
    // 32-bit) fit in the 64 bytes of `control`.
    let n = unsafe {
        let mut msg: libc::msghdr = zeroed();
        msg.msg_name = dest.as_ptr() as *mut libc::c_void;
        msg.msg_namelen = dest.len();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        let used = options.iter().filter(|o| o.3).count() as u32;
        if used > 0 {
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = (libc::CMSG_SPACE(4) * used) as _;
            let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
            for &(level, option, value, _) in options.iter().filter(|o| o.3) {
                (*cmsg).cmsg_level = level;
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
