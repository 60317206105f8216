//! What happened to every session of a run: each one started either came up or failed (with
//! the cause and the stage it failed in); each one that came up either ended during the hold
//! (with the cause) or was torn down at the end, cleanly or not.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Probe traffic counted over the hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Echo requests sent.
    pub sent_packets: u64,
    /// Their IP bytes.
    pub sent_bytes: u64,
    /// Echo replies that came back intact.
    pub received_packets: u64,
    /// Their IP bytes.
    pub received_bytes: u64,
    /// Replies that came back altered (wrong length or payload).
    pub corrupt_packets: u64,
}

impl Traffic {
    /// Adds another session's counts.
    pub fn add(&mut self, other: &Traffic) {
        self.sent_packets += other.sent_packets;
        self.sent_bytes += other.sent_bytes;
        self.received_packets += other.received_packets;
        self.received_bytes += other.received_bytes;
        self.corrupt_packets += other.corrupt_packets;
    }
}

/// The outcome of every session so far.
#[derive(Debug, Default)]
pub struct Tally {
    /// Sessions started (ICRQ sent, or control connection opened).
    pub started: u64,
    /// Sessions that reached the network phase with IPCP up.
    pub up: u64,
    /// Setup latency of each session that came up, in microseconds.
    pub latencies_us: Vec<u32>,
    /// Sessions that never came up, by (stage, cause).
    pub failed: BTreeMap<(String, String), u64>,
    /// Sessions that came up and ended before the teardown, by cause.
    pub dropped: BTreeMap<String, u64>,
    /// Sessions torn down with every step answered (PPP Terminate, CDN or Call-Clear, and the
    /// tunnel's StopCCN or Stop-Control-Connection acknowledged).
    pub clean_teardowns: u64,
    /// Sessions whose teardown went unanswered somewhere, by cause.
    pub unclean_teardowns: BTreeMap<String, u64>,
    /// Probe traffic.
    pub traffic: Traffic,
    /// Datagrams the generator could not send (its socket buffer was full).
    pub send_drops: u64,
    /// When the first session started.
    pub first_start: Option<Instant>,
    /// When the last session came up.
    pub last_up: Option<Instant>,
}

/// Longest cause kept: the rest of a reason is cut.
const MAX_CAUSE: usize = 100;

fn cause(text: &str) -> String {
    match text.char_indices().nth(MAX_CAUSE) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

impl Tally {
    /// A session started.
    pub fn start(&mut self, now: Instant) {
        self.started += 1;
        self.first_start.get_or_insert(now);
    }

    /// A session came up `latency` after it started.
    pub fn came_up(&mut self, now: Instant, latency: Duration) {
        self.up += 1;
        self.latencies_us
            .push(latency.as_micros().min(u128::from(u32::MAX)) as u32);
        self.last_up = Some(now);
    }

    /// A session failed in `stage` ("tunnel", "call", a PPP phase, ...) because of `why`.
    pub fn fail(&mut self, stage: &str, why: &str) {
        *self
            .failed
            .entry((stage.to_string(), cause(why)))
            .or_default() += 1;
    }

    /// A session that was up ended on its own, before the teardown.
    pub fn drop_during_hold(&mut self, why: &str) {
        *self.dropped.entry(cause(why)).or_default() += 1;
    }

    /// A session was torn down at the end; `unanswered` says what went unanswered, if anything.
    pub fn tear_down(&mut self, unanswered: Option<&str>) {
        match unanswered {
            None => self.clean_teardowns += 1,
            Some(why) => *self.unclean_teardowns.entry(cause(why)).or_default() += 1,
        }
    }

    /// Sessions that failed, in all.
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }

    /// Sessions that came up and then ended before the teardown, in all.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.values().sum()
    }

    /// Sessions torn down without every step answered, in all.
    pub fn unclean_total(&self) -> u64 {
        self.unclean_teardowns.values().sum()
    }

    /// Sessions started that neither came up nor failed yet.
    pub fn in_setup(&self) -> usize {
        self.started.saturating_sub(self.up + self.failed_total()) as usize
    }
}

#[cfg(test)]
mod tests;
