//! Giving memory back after sessions end. The allocator (jemalloc, whose background thread
//! returns freed pages to the kernel within a second; see `main.rs`) can only give back what is
//! freed, and hash tables keep the capacity of their busiest moment: when the number of
//! sessions has moved a lot and settled, the per-session maps are shrunk to what they hold.
//! (glibc's allocator with `malloc_trim` kept 142 MB of 200,000 ended sessions; jemalloc 35 MB.)

use std::sync::Arc;
use std::time::Duration;

use crate::shared::Shared;

/// How often the session count is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(5);
/// Smallest change in sessions worth shrinking for: below that there is little to give back.
const MIN_CHANGE: usize = 256;

/// When to shrink: once the session count has moved by a tenth (and at least [`MIN_CHANGE`])
/// since the last time and then held still for a check.
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
        if settled && moved >= MIN_CHANGE && moved >= self.at_last_trim / 10 {
            self.at_last_trim = active;
            return true;
        }
        false
    }
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
            tracing::debug!(
                sessions = shared.active_sessions(),
                "per-session maps shrunk"
            );
        }
    }
}

#[cfg(test)]
mod tests;
