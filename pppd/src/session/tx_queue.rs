//! The session's queue of outgoing control frames: frames lie back to back in one buffer that
//! keeps its capacity, so queueing and sending them allocates nothing once the buffer is warm.

use std::collections::VecDeque;

use crate::frame;

/// Control frames (`FF 03` + protocol + packet) waiting to be sent, in order.
#[derive(Debug, Default)]
pub(super) struct TxQueue {
    bytes: Vec<u8>,
    /// Length of each queued frame, oldest first; the oldest starts at `head`.
    lens: VecDeque<usize>,
    head: usize,
}

impl TxQueue {
    /// Queues one frame of `protocol` carrying `packet`.
    pub(super) fn push(&mut self, protocol: u16, packet: &[u8]) {
        let start = self.bytes.len();
        frame::emit_frame(protocol, packet, &mut self.bytes);
        self.lens.push_back(self.bytes.len() - start);
    }

    /// The oldest frame, if any.
    pub(super) fn front(&self) -> Option<&[u8]> {
        let len = *self.lens.front()?;
        Some(&self.bytes[self.head..self.head + len])
    }

    /// Drops the oldest frame.
    pub(super) fn pop(&mut self) {
        let Some(len) = self.lens.pop_front() else {
            return;
        };
        self.head += len;
        if self.lens.is_empty() {
            self.clear();
        }
    }

    /// Drops every frame.
    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.lens.clear();
        self.head = 0;
    }
}

#[cfg(test)]
mod tests;
