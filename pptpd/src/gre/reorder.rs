//! Receive-side sequencing of one GRE call: in-order delivery, a small fixed reorder buffer,
//! skipping lost packets.
//!
//! A packet slightly ahead of the next expected sequence number (fewer than
//! [`REORDER_WINDOW`] ahead) waits in a slot until the gap fills or [`REORDER_TIMEOUT`] passes;
//! then the gap is declared lost and the waiting frames are released in order. A packet further
//! ahead releases everything before it at once (burst loss: skip forward rather than stall).
//!
//! A packet more than [`MAX_SKIP`] away from the expected sequence number, either way, is not
//! believed: it is dropped without moving anything a genuine packet depends on (the next
//! expected number, the buffered frames, the acknowledgment we owe). One forged packet with a
//! sequence number far ahead therefore cannot make every genuine packet after it look stale.
//! Only a run of [`RESYNC_RUN`] such packets, each a little after the one before, moves the
//! sequence there: a peer that kept sending through a long outage.

use std::time::{Duration, Instant};

/// How far ahead of the expected sequence number a packet may be buffered (slots).
pub const REORDER_WINDOW: usize = 16;
/// How long a buffered packet waits for a missing predecessor.
pub const REORDER_TIMEOUT: Duration = Duration::from_millis(50);
/// Largest frame kept in a reorder slot (bigger out-of-order frames are dropped).
pub const MAX_BUFFERED_FRAME: usize = 4096;
/// How far from the expected sequence number a packet may be and still be believed: 64 reorder
/// windows, and 16 times the receive window of 64 we announce. A sender honouring our window
/// is never more than one window ahead of what we acknowledged; one that does not (the Linux
/// driver) only gets further ahead by packets lost on the way, and 1024 lost packets in a row
/// (1.5 MB of full frames) is an outage, not a burst. Genuine burst loss of a few hundred
/// packets still skips forward at once.
pub const MAX_SKIP: u32 = 64 * REORDER_WINDOW as u32;
/// Packets beyond [`MAX_SKIP`] that must arrive in sequence (each at most [`REORDER_WINDOW`]
/// after the previous one, with no believed packet between them) before we resynchronise to
/// them. A forger who can send such a run can as well send packets inside the window.
pub const RESYNC_RUN: u32 = 4;

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
    /// More than [`MAX_SKIP`] away from the expected sequence number: not believed.
    OutOfWindow,
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
    /// The latest out-of-window packet and how many came in sequence up to it.
    far_run: Option<(u32, u32)>,
}

impl Reorder {
    pub(crate) fn new() -> Self {
        Reorder {
            next: None,
            release_to: None,
            slots: Default::default(),
            lost: 0,
            far_run: None,
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
        if ahead.unsigned_abs() > MAX_SKIP {
            if !self.resync_run(seq) {
                return Placement::OutOfWindow;
            }
            // The peer moved on: frames still waiting from before are lost with the gap.
            for slot in &mut self.slots {
                slot.meta = None;
            }
            self.release_to = None;
            self.lost += u64::from(ahead.max(0).unsigned_abs());
            self.next = Some(seq.wrapping_add(1));
            return Placement::InOrder;
        }
        if ahead < 0 {
            return Placement::Stale;
        }
        self.far_run = None;
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

    /// Counts out-of-window packet `seq` towards a run; true when the run is long enough to
    /// believe (the run starts over).
    fn resync_run(&mut self, seq: u32) -> bool {
        let run = match self.far_run {
            Some((last, n)) if (1..=REORDER_WINDOW as i32).contains(&seq_diff(seq, last)) => n + 1,
            _ => 1,
        };
        self.far_run = (run < RESYNC_RUN).then_some((seq, run));
        run >= RESYNC_RUN
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
