//! The periodic summary line: under load an operator reads one line a minute (sessions up,
//! how many came up and ended, failures by cause) rather than one per event.
//!
//! Causes are grouped by their text up to the first `:` (so "authentication failed: E=691"
//! and "authentication failed: E=649" are one cause), and at most [`MAX_CAUSES`] distinct ones
//! are kept per interval; the rest count as "other".

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Distinct failure causes kept per interval.
pub const MAX_CAUSES: usize = 16;

/// Counts since the last summary.
#[derive(Default)]
pub struct SessionSummary {
    came_up: AtomicU64,
    ended: AtomicU64,
    failed: Mutex<BTreeMap<String, u64>>,
}

/// One interval's counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Interval {
    /// Sessions that reached the network phase.
    pub came_up: u64,
    /// Sessions that had come up and ended.
    pub ended: u64,
    /// Sessions that ended before coming up, by cause.
    pub failed: BTreeMap<String, u64>,
}

impl SessionSummary {
    /// A session came up.
    pub fn came_up(&self) {
        self.came_up.fetch_add(1, Ordering::Relaxed);
    }

    /// A session that had come up ended.
    pub fn ended(&self) {
        self.ended.fetch_add(1, Ordering::Relaxed);
    }

    /// A session ended before it came up, for `cause`.
    pub fn failed(&self, cause: &str) {
        let cause = cause.split(':').next().unwrap_or(cause).trim();
        let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        let key = if failed.contains_key(cause) || failed.len() < MAX_CAUSES {
            cause
        } else {
            "other"
        };
        *failed.entry(key.to_owned()).or_insert(0) += 1;
    }

    /// The counts since the last call, which start again from zero.
    pub fn take(&self) -> Interval {
        Interval {
            came_up: self.came_up.swap(0, Ordering::Relaxed),
            ended: self.ended.swap(0, Ordering::Relaxed),
            failed: std::mem::take(&mut *self.failed.lock().unwrap_or_else(|p| p.into_inner())),
        }
    }
}

impl Interval {
    /// Whether anything happened.
    pub fn is_quiet(&self) -> bool {
        self.came_up == 0 && self.ended == 0 && self.failed.is_empty()
    }

    /// The summary line, with `up` sessions up now.
    pub fn line(&self, up: usize) -> String {
        let failed: u64 = self.failed.values().sum();
        let mut line = format!(
            "sessions: {up} up, {} came up, {} ended, {failed} failed",
            self.came_up, self.ended
        );
        if !self.failed.is_empty() {
            let causes: Vec<String> = self
                .failed
                .iter()
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            let _ = write!(line, " ({})", causes.join(", "));
        }
        line
    }
}

#[cfg(test)]
mod tests;
