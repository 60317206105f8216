//! Giving memory back after sessions end. The allocator (jemalloc, whose background thread
//! returns freed pages to the kernel within a second; see `main.rs`) can only give back what is
//! freed, and hash tables keep the capacity of their busiest moment: when the number of
//! sessions has moved a lot and settled, the per-session maps are shrunk to what they hold.
//! (glibc's allocator with `malloc_trim` kept 142 MB of 200,000 ended sessions; jemalloc 35 MB.)

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::shared::Shared;

/// How often the session count is looked at: unchanged across two looks, it has settled, so
/// the maps are shrunk 2 to 4 s after the last sessions ended.
const CHECK_EVERY: Duration = Duration::from_secs(2);
/// Smallest change in sessions worth shrinking for: below that there is little to give back.
const MIN_CHANGE: usize = 256;

/// When to shrink: once the session count has moved by a tenth (and at least [`MIN_CHANGE`])
/// since the last time and then held still for a check; and once every session has ended,
/// however few ended since the last time (the threads' allocator caches still hold what the
/// last of a big drop freed).
#[derive(Debug, Default)]
pub struct TrimPolicy {
    at_last_trim: usize,
    at_last_check: usize,
}

impl TrimPolicy {
    /// Looks at the current count; true when the maps should be shrunk now.
    pub fn should_trim(&mut self, active: usize) -> bool {
        let settled = active == self.at_last_check;
        self.at_last_check = active;
        let moved = active.abs_diff(self.at_last_trim);
        let worth_it = moved >= MIN_CHANGE && moved >= self.at_last_trim / 10;
        let all_ended = active == 0 && moved > 0;
        if settled && (worth_it || all_ended) {
            self.at_last_trim = active;
            return true;
        }
        false
    }
}

/// Times the maps were shrunk, see [`trims`].
static TRIMS: AtomicU64 = AtomicU64::new(0);

/// How many times the maps have been shrunk. A thread that last saw another count may give
/// its allocator's cache back too (the binary's allocator does, when a worker thread parks):
/// freed objects a thread keeps for reuse are scattered over pages they then keep resident.
pub fn trims() -> u64 {
    TRIMS.load(Ordering::Relaxed)
}

/// Something holding per-session maps: hash tables keep the capacity of their busiest
/// moment, so they are shrunk to what they hold before the allocator is trimmed.
pub trait ShrinkMaps: Send + Sync {
    /// Shrinks every per-session map to its contents.
    fn shrink_maps(&self);
}

/// Shrinks the daemon's and `maps`' per-session maps whenever the policy says so, until the
/// daemon stops.
pub async fn shrink_when_settled(shared: Arc<Shared>, maps: Vec<Arc<dyn ShrinkMaps>>) {
    let mut policy = TrimPolicy::default();
    let mut tick = tokio::time::interval(CHECK_EVERY);
    loop {
        tick.tick().await;
        if policy.should_trim(shared.active_sessions()) {
            shared.shrink_maps();
            for m in &maps {
                m.shrink_maps();
            }
            TRIMS.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                sessions = shared.active_sessions(),
                "per-session maps shrunk"
            );
        }
    }
}

#[cfg(test)]
mod tests;
