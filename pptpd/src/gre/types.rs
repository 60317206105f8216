//! What a GRE channel hands back: receive outcomes, drop reasons, send errors and counters.

use super::packet::GreError;

/// Result of [`super::GreChannel::handle_packet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreReceive<'a> {
    /// The next in-order PPP frame (borrowed from the packet). Drain `poll_frame` afterwards.
    Frame(&'a [u8]),
    /// An early packet was stored; it comes out of `poll_frame` later.
    Buffered,
    /// An acknowledgment without data.
    AckOnly,
    /// Dropped, and why; nothing the call's genuine packets depend on moved.
    Dropped(GreDrop),
}

/// Why a received GRE packet was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GreDrop {
    /// The header did not parse.
    Malformed(GreError),
    /// The sequence number is far from the expected one (more than `MAX_SKIP` either way).
    OutOfWindow,
    /// Behind the next expected sequence number (late or repeated).
    Stale,
    /// Already waiting in the reorder buffer.
    Duplicate,
    /// The reorder buffer has no free slot.
    ReorderFull,
    /// Too large to wait in the reorder buffer.
    TooLarge,
}

impl GreDrop {
    /// A short reason for logs.
    pub fn reason(&self) -> &'static str {
        match self {
            GreDrop::Malformed(e) => e.reason(),
            GreDrop::OutOfWindow => "sequence number far outside the window",
            GreDrop::Stale => "stale or duplicate sequence number",
            GreDrop::Duplicate => "duplicate sequence number",
            GreDrop::ReorderFull => "reorder buffer full",
            GreDrop::TooLarge => "frame too large to reorder",
        }
    }
}

/// Why [`super::GreChannel::send_frame`] refused a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendError {
    /// [`super::MAX_WAITING`] frames already wait for the peer's window.
    QueueFull,
    /// Longer than [`super::MAX_FRAME`].
    TooLong,
}

/// Counters of one GRE channel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GreStats {
    /// Frames delivered in order.
    pub rx_frames: u64,
    /// Packets stored in the reorder buffer.
    pub rx_buffered: u64,
    /// Sequence numbers skipped as lost.
    pub rx_lost: u64,
    /// Packets dropped (every reason, including the two below).
    pub rx_dropped: u64,
    /// Packets dropped because the header did not parse.
    pub rx_malformed: u64,
    /// Packets dropped because their sequence number was far outside the window.
    pub rx_out_of_window: u64,
    /// Ack-only packets received.
    pub rx_acks: u64,
    /// Data packets sent.
    pub tx_frames: u64,
    /// Frames that had to wait for the peer's window.
    pub tx_window_full: u64,
    /// Frames refused by `send_frame` (queue full, too long).
    pub tx_refused: u64,
    /// Ack-only packets sent.
    pub tx_acks: u64,
}
