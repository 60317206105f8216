//! Values the reliable channel hands to and takes from its caller.

/// A control message to put on the wire with these Ns and Nr; the body is borrowed from the
/// channel's queue (no copy until the caller writes its datagram).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transmit<'a> {
    /// Ns for the header (for a ZLB, the Ns of our next new message).
    pub ns: u16,
    /// Nr for the header: the Ns of the next message we expect from the peer.
    pub nr: u16,
    /// The message body; empty means a ZLB acknowledgement.
    pub body: &'a [u8],
}

/// What `receive` did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receive {
    /// In order: queued for `poll_deliver` (with any held messages it unblocked).
    Accepted,
    /// Ahead of the next expected Ns but within our window: kept until the gap fills.
    Held,
    /// Already received: dropped, and a ZLB re-acknowledgement is queued.
    Duplicate,
    /// Too far ahead (or our window is full of undelivered messages): dropped.
    OutOfWindow,
    /// A ZLB: only its Nr was used.
    AckOnly,
}

/// Something the tunnel state machine must act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReliableEvent {
    /// The peer stopped acknowledging: retransmissions exhausted — tear the tunnel down.
    PeerDead,
}

/// Why `send` refused a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// `max_queue` messages are already unacknowledged or waiting for the peer's window.
    QueueFull,
    /// An empty body cannot be told apart from a ZLB.
    EmptyBody,
    /// The peer was declared dead; nothing more will be sent.
    PeerDead,
}

/// Counters for monitoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReliableStats {
    /// Messages received again after acceptance (each answered by a ZLB).
    pub duplicates: u64,
    /// Messages dropped for being beyond our receive window.
    pub out_of_window: u64,
    /// Retransmissions of our messages.
    pub retransmissions: u64,
    /// Received Nr values acknowledging messages we never sent (ignored).
    pub bad_acks: u64,
}
