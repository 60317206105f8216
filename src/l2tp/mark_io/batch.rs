//! Reading many datagrams with one system call (`recvmmsg`), each with its sender and mark: a
//! busy L2TP socket costs one call per [`BATCH`] datagrams, not one each.

use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsRawFd, RawFd};

use socket2::SockAddr;
use tokio::io::Interest;
use tokio::net::UdpSocket;

use super::{mark_of, CONTROL_LEN};
use crate::l2tp::path::PeerPath;

/// Datagrams one read takes at most.
pub const BATCH: usize = 32;
/// Room for each datagram (a jumbo frame's L2TP fits); a longer one is cut, and said to be.
pub const SLOT: usize = 16 * 1024;

/// One datagram of a batch: its bytes, or its length when it did not fit its slot.
pub type Datagram<'a> = Result<&'a [u8], usize>;

/// Buffers for reading up to [`BATCH`] datagrams at once, allocated once. Untouched slots cost
/// no memory: the kernel writes only what arrives.
pub struct RecvBatch {
    data: Box<[u8]>,
    names: Box<[libc::sockaddr_storage]>,
    controls: Box<[[u64; CONTROL_LEN / 8]]>,
    /// The last read's datagrams: length, cut short, sender.
    got: Vec<(usize, bool, Option<PeerPath>)>,
}

impl Default for RecvBatch {
    fn default() -> Self {
        RecvBatch {
            data: vec![0u8; BATCH * SLOT].into_boxed_slice(),
            // SAFETY: all-zero is a valid sockaddr_storage.
            names: (0..BATCH).map(|_| unsafe { zeroed() }).collect(),
            controls: vec![[0u64; CONTROL_LEN / 8]; BATCH].into_boxed_slice(),
            got: Vec::with_capacity(BATCH),
        }
    }
}

impl RecvBatch {
    /// The datagrams the last read got, in order, with their senders (one whose sender is not
    /// an IP address is left out).
    pub fn datagrams(&self) -> impl Iterator<Item = (Datagram<'_>, PeerPath)> {
        self.got
            .iter()
            .enumerate()
            .filter_map(|(i, &(len, cut, from))| {
                let bytes = &self.data[i * SLOT..i * SLOT + len.min(SLOT)];
                Some((if cut { Err(len) } else { Ok(bytes) }, from?))
            })
    }

    /// One `recvmmsg` on `fd` without waiting: how many datagrams it got. (Any datagram or raw
    /// socket: PPTP's raw GRE sockets read their packets, IP header included, the same way.)
    pub fn fill(&mut self, fd: RawFd) -> io::Result<usize> {
        // SAFETY: all-zero is a valid iovec and mmsghdr.
        let mut iovs: [libc::iovec; BATCH] = unsafe { zeroed() };
        let mut msgs: [libc::mmsghdr; BATCH] = unsafe { zeroed() };
        let slots = self.data.chunks_exact_mut(SLOT);
        let names = self.names.iter_mut();
        let controls = self.controls.iter_mut();
        for (((slot, name), control), (iov, msg)) in slots
            .zip(names)
            .zip(controls)
            .zip(iovs.iter_mut().zip(msgs.iter_mut()))
        {
            *iov = libc::iovec {
                iov_base: slot.as_mut_ptr().cast(),
                iov_len: SLOT,
            };
            let hdr = &mut msg.msg_hdr;
            hdr.msg_name = (name as *mut libc::sockaddr_storage).cast();
            hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            hdr.msg_iov = iov;
            hdr.msg_iovlen = 1;
            hdr.msg_control = control.as_mut_ptr().cast();
            hdr.msg_controllen = CONTROL_LEN as _;
        }
        // SAFETY: every header points at live buffers of the lengths it states, all of which
        // outlive the call.
        let n = unsafe {
            libc::recvmmsg(
                fd,
                msgs.as_mut_ptr(),
                BATCH as libc::c_uint,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        self.got.clear();
        for (msg, name) in msgs.iter().zip(self.names.iter()).take(n as usize) {
            let hdr = &msg.msg_hdr;
            // SAFETY: the kernel wrote a socket address of `msg_namelen` bytes into `name`.
            let from = unsafe { SockAddr::new(*name, hdr.msg_namelen) }
                .as_socket()
                .map(|addr| PeerPath {
                    addr,
                    mark: mark_of(hdr),
                });
            let cut = hdr.msg_flags & libc::MSG_TRUNC != 0;
            self.got.push((msg.msg_len as usize, cut, from));
        }
        Ok(n as usize)
    }
}

/// Waits for datagrams on `socket` and reads as many as are there, up to [`BATCH`], into
/// `batch`; returns how many.
pub async fn recv_batch(socket: &UdpSocket, batch: &mut RecvBatch) -> io::Result<usize> {
    let fd = socket.as_raw_fd();
    socket.async_io(Interest::READABLE, || batch.fill(fd)).await
}
