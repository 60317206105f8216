//! A queue of byte strings (packets or frames) lying back to back in one buffer that keeps its
//! capacity: queueing and taking them allocates nothing once the buffer is warm. The automata
//! queue their control packets here, and the session its outgoing frames.

use std::collections::VecDeque;

/// Packets waiting, oldest first.
#[derive(Debug, Default)]
pub(crate) struct PacketQueue {
    bytes: Vec<u8>,
    /// Length of each queued packet, oldest first; the oldest starts at `head`.
    lens: VecDeque<usize>,
    head: usize,
}

impl PacketQueue {
    /// Queues one packet, which `emit` appends to the buffer it is given.
    pub(crate) fn push_with(&mut self, emit: impl FnOnce(&mut Vec<u8>)) {
        let start = self.bytes.len();
        emit(&mut self.bytes);
        self.lens.push_back(self.bytes.len() - start);
    }

    /// The oldest packet, if any.
    pub(crate) fn front(&self) -> Option<&[u8]> {
        let len = *self.lens.front()?;
        Some(&self.bytes[self.head..self.head + len])
    }

    /// Drops the oldest packet.
    pub(crate) fn pop(&mut self) {
        let Some(len) = self.lens.pop_front() else {
            return;
        };
        self.head += len;
        if self.lens.is_empty() {
            self.clear();
        }
    }

    /// Drops every packet.
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.lens.clear();
        self.head = 0;
    }
}

#[cfg(test)]
mod tests;
