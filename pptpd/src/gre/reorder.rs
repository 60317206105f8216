//! Receive-side sequencing of one GRE call: in-order delivery, a small fixed reorder buffer,
//! skipping lost packets.
//!
//! A packet slightly ahead of the next expected sequence number (fewer than
//! [`REORDER_WINDOW`] ahead) waits in a slot until the gap fills or [`REORDER_TIMEOUT`] passes;
//! then the gap is declared lost and the waiting frames are released in order. A packet further
//! ahead releases everything before it at once (burst loss: skip forward rather than stall).

use std::time::{Duration, Instant};

/// How far ahead of the expected sequence number a packet may be buffered (slots).
pub const REORDER_WINDOW: usize = 16;
/// How long a buffered packet waits for a missing predecessor.
pub const REORDER_TIMEOUT: Duration = Duration::from_millis(50);
/// Largest frame kept in a reorder slot (bigger out-of-order frames are dropped).
pub const MAX_BUFFERED_FRAME: usize = 4096;

/// Signed distance between two sequence numbers (RFC 1982 style).
pub(crate) fn seq_diff(a: u32, b: u32) -> i32 {
    a.wrapping_sub(b) as i32
}

/// What happened to an offered packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// It is the next one: deliver it directly.
    InOrder,
    /// Stored for later delivery.
    Buffered,
    /// Behind the next expected sequence number.
    Stale,
    /// Already buffered.
    Duplicate,
    /// No free slot (frames waiting to be drained).
    Full,
    /// Too large for a slot.
    TooLarge,
}

#[derive(Default)]
struct Slot {
    /// Sequence number and arrival time while occupied.
    meta: Option<(u32, Instant)>,
    /// Reused storage (allocated once, on first use).
    data: Vec<u8>,
}

/// The reorder state of one call.
pub(crate) struct Reorder {
    /// Next sequence number to deliver; None before the first data packet.
    next: Option<u32>,
    /// Frames below this sequence number are deliverable despite gaps.
    release_to: Option<u32>,
    slots: [Slot; REORDER_WINDOW],
    /// Packets declared lost so far.
    pub(crate) lost: u64,
}

impl Reorder {
    pub(crate) fn new() -> Self {
        Reorder {
            next: None,
            release_to: None,
            slots: Default::default(),
            lost: 0,
        }
    }

    /// Highest sequence number delivered (or skipped) in order: the value to acknowledge.
    pub(crate) fn last_in_order(&self) -> Option<u32> {
        self.next.map(|n| n.wrapping_sub(1))
    }

    fn slot_of(&self, seq: u32) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| matches!(s.meta, Some((q, _)) if q == seq))
    }

    fn any_buffered(&self) -> bool {
        self.slots.iter().any(|s| s.meta.is_some())
    }

    /// Decides the fate of data packet `seq`; buffers `payload` when it must wait.
    pub(crate) fn offer(&mut self, now: Instant, seq: u32, payload: &[u8]) -> Placement {
        let Some(next) = self.next else {
            // The first packet defines the sequence (peers start at 0 or 1).
            self.next = Some(seq.wrapping_add(1));
            return Placement::InOrder;
        };
        let ahead = seq_diff(seq, next);
        if ahead < 0 {
            return Placement::Stale;
        }
        if self.slot_of(seq).is_some() {
            return Placement::Duplicate;
        }
        if ahead == 0 {
            self.next = Some(next.wrapping_add(1));
            return Placement::InOrder;
        }
        let far = ahead as usize >= REORDER_WINDOW;
        if far && !self.any_buffered() {
            // Burst loss with nothing waiting: skip straight to this packet.
            self.lost += ahead as u64;
            self.next = Some(seq.wrapping_add(1));
            return Placement::InOrder;
        }
        if payload.len() > MAX_BUFFERED_FRAME {
            return Placement::TooLarge;
        }
        let Some(slot) = self.slots.iter_mut().find(|s| s.meta.is_none()) else {
            return Placement::Full;
        };
        slot.data.clear();
        slot.data.extend_from_slice(payload);
        slot.meta = Some((seq, now));
        if far {
            self.release(seq.wrapping_add(1));
        }
        Placement::Buffered
    }

    /// Makes every frame below `seq` deliverable (gaps before them count as lost).
    fn release(&mut self, seq: u32) {
        match self.release_to {
            Some(r) if seq_diff(r, seq) >= 0 => {}
            _ => self.release_to = Some(seq),
        }
    }

    /// Releases frames whose wait for a missing predecessor exceeded [`REORDER_TIMEOUT`].
    pub(crate) fn expire(&mut self, now: Instant) {
        let Some(next) = self.next else {
            return;
        };
        let expired = self
            .slots
            .iter()
            .filter_map(|s| s.meta)
            .filter(|&(_, arrived)| now.saturating_duration_since(arrived) >= REORDER_TIMEOUT)
            .map(|(seq, _)| seq)
            .max_by_key(|&seq| seq_diff(seq, next));
        if let Some(seq) = expired {
            self.release(seq.wrapping_add(1));
        }
    }

    /// When the oldest frame still waiting for a gap times out.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.slots
            .iter()
            .filter_map(|s| s.meta)
            .filter(|&(seq, _)| match self.release_to {
                Some(r) => seq_diff(seq, r) >= 0,
                None => true,
            })
            .map(|(_, arrived)| arrived + REORDER_TIMEOUT)
            .min()
    }

    /// Delivers the next deliverable buffered frame into `out`. `Some(Err(len))` means a frame
    /// of `len` bytes did not fit into `out` and was dropped; None means nothing is deliverable.
    pub(crate) fn pop(&mut self, out: &mut [u8]) -> Option<Result<usize, usize>> {
        loop {
            let next = self.next?;
            if let Some(index) = self.slot_of(next) {
                self.next = Some(next.wrapping_add(1));
                let slot = &mut self.slots[index];
                slot.meta = None;
                let len = slot.data.len();
                return Some(match out.get_mut(..len) {
                    Some(dst) => {
                        dst.copy_from_slice(&slot.data);
                        Ok(len)
                    }
                    None => Err(len),
                });
            }
            let release_to = self.release_to?;
            if seq_diff(release_to, next) <= 0 {
                self.release_to = None;
                return None;
            }
            // Jump over the gap to the next waiting frame below `release_to`, or to it.
            let target = self
                .slots
                .iter()
                .filter_map(|s| s.meta)
                .map(|(seq, _)| seq)
                .filter(|&seq| seq_diff(seq, next) > 0 && seq_diff(seq, release_to) < 0)
                .min_by_key(|&seq| seq_diff(seq, next))
                .unwrap_or(release_to);
            self.lost += seq_diff(target, next) as u64;
            self.next = Some(target);
            if target == release_to {
                self.release_to = None;
            }
        }
    }
}

#[cfg(test)]
mod tests;
