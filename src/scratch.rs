//! Per-thread scratch buffers for the packet paths. A session borrows one for the length of one
//! packet or timer (never across an await), so no session keeps buffers of its own: at 100,000
//! sessions, four 2 KiB buffers each would be 800 MB.

use std::cell::RefCell;

/// Length of each buffer: the largest GRE packet a call's channel emits (its frame bound plus
/// header), which also covers every PPP frame and L2TP datagram we build.
pub const SCRATCH_LEN: usize = pptpd::gre::MAX_PACKET_LEN;

/// Which buffer: paths that run inside one another take different ones.
#[derive(Clone, Copy, Debug)]
pub enum Scratch {
    /// A PPP frame on its way out (IP framed and encrypted, or a control frame).
    Frame,
    /// An IP packet PPP took out of a received frame.
    Packet,
    /// A frame the carrier released from its reorder buffer.
    Released,
    /// A datagram the carrier builds around an outgoing frame.
    Datagram,
}

type Buf = RefCell<Box<[u8; SCRATCH_LEN]>>;

thread_local! {
    static FRAME: Buf = RefCell::new(Box::new([0; SCRATCH_LEN]));
    static PACKET: Buf = RefCell::new(Box::new([0; SCRATCH_LEN]));
    static RELEASED: Buf = RefCell::new(Box::new([0; SCRATCH_LEN]));
    static DATAGRAM: Buf = RefCell::new(Box::new([0; SCRATCH_LEN]));
}

/// Runs `f` with this thread's buffer `which`. Should that buffer already be in use further up
/// the stack (a path nesting in a way it should not), `f` gets a fresh one instead of a panic.
pub fn with_scratch<R>(which: Scratch, f: impl FnOnce(&mut [u8]) -> R) -> R {
    let key = match which {
        Scratch::Frame => &FRAME,
        Scratch::Packet => &PACKET,
        Scratch::Released => &RELEASED,
        Scratch::Datagram => &DATAGRAM,
    };
    let mut f = Some(f);
    let got = key.with(|cell| {
        let mut buf = cell.try_borrow_mut().ok()?;
        f.take().map(|f| f(&mut buf[..]))
    });
    match (got, f) {
        (Some(r), _) => r,
        (None, Some(f)) => f(&mut vec![0u8; SCRATCH_LEN]),
        (None, None) => unreachable!("the closure ran or it did not"),
    }
}

#[cfg(test)]
mod tests;
