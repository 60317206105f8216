//! Receiving side: the expected Ns, out-of-order holding within our window and the
//! in-order delivery queue.

use std::collections::VecDeque;

use super::seq::{ahead, is_before};

/// Largest receive window that keeps "ahead" and "behind" unambiguous.
const MAX_WINDOW: u16 = 0x7fff;

/// What became of an arriving (non-ZLB) message.
pub(crate) enum Arrival {
    /// In order; queued for delivery.
    Accepted,
    /// Ahead of the expected Ns, within the window; kept.
    Held,
    /// Already received (delivered or held).
    Duplicate,
    /// Beyond the window; dropped.
    OutOfWindow,
}

/// The peer's messages we have taken but the caller has not consumed yet.
pub(crate) struct RecvWindow {
    expected: u16,
    window: u16,
    /// Slot i holds the message with Ns == `expected + 1 + i`, if it has arrived.
    held: VecDeque<Option<Vec<u8>>>,
    deliver: VecDeque<Vec<u8>>,
}

impl RecvWindow {
    /// Expects Ns 0 first; `window` is our Receive Window Size (0 is treated as 1).
    pub(crate) fn new(window: u16) -> Self {
        Self {
            expected: 0,
            window: window.clamp(1, MAX_WINDOW),
            held: VecDeque::new(),
            deliver: VecDeque::new(),
        }
    }

    /// Nr to send: the Ns of the next message we expect.
    pub(crate) fn expected(&self) -> u16 {
        self.expected
    }

    /// Takes a message. Undelivered messages count against our window, so memory stays
    /// bounded by it even if the caller is slow to consume.
    pub(crate) fn arrive(&mut self, ns: u16, body: &[u8]) -> Arrival {
        if is_before(ns, self.expected) {
            return Arrival::Duplicate;
        }
        let offset = usize::from(ahead(ns, self.expected));
        let room = usize::from(self.window).saturating_sub(self.deliver.len());
        if offset >= room {
            return Arrival::OutOfWindow;
        }
        if offset == 0 {
            self.deliver.push_back(body.to_vec());
            self.advance();
            return Arrival::Accepted;
        }
        let slot = offset - 1;
        if self.held.len() <= slot {
            self.held.resize(slot + 1, None);
        }
        match &mut self.held[slot] {
            Some(_) => Arrival::Duplicate,
            free => {
                *free = Some(body.to_vec());
                Arrival::Held
            }
        }
    }

    /// Moves past the message just accepted and releases held ones that are now in order.
    fn advance(&mut self) {
        self.expected = self.expected.wrapping_add(1);
        while let Some(Some(body)) = self.held.pop_front() {
            self.deliver.push_back(body);
            self.expected = self.expected.wrapping_add(1);
        }
    }

    /// The next in-order message for the caller.
    pub(crate) fn pop(&mut self) -> Option<Vec<u8>> {
        self.deliver.pop_front()
    }
}
