//! Giving memory back after sessions end. glibc's allocator keeps freed memory in its arenas
//! (only the top of each heap goes back by itself), so after 100,000 sessions close the
//! process would keep what they used. When many sessions have ended since the busiest moment,
//! `malloc_trim` returns the free pages inside the heaps to the kernel.

use std::sync::Arc;
use std::time::Duration;

use crate::shared::Shared;

/// How often the session count is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(5);
/// Fewest ended sessions worth a trim: below that there is little to give back.
const MIN_ENDED: usize = 256;

/// When to trim: after the session count fell by a tenth of its peak (and at least
/// [`MIN_ENDED`]) since the last trim.
#[derive(Debug, Default)]
pub struct TrimPolicy {
    peak: usize,
}

impl TrimPolicy {
    /// Looks at the current count; true when memory should be trimmed now.
    pub fn should_trim(&mut self, active: usize) -> bool {
        self.peak = self.peak.max(active);
        let ended = self.peak - active;
        if ended >= MIN_ENDED && ended >= self.peak / 10 {
            self.peak = active;
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

/// Trims the allocator's free memory whenever the policy says so, until the daemon stops;
/// `maps` are shrunk first.
pub async fn trim_after_sessions_end(shared: Arc<Shared>, maps: Vec<Arc<dyn ShrinkMaps>>) {
    let mut policy = TrimPolicy::default();
    let mut tick = tokio::time::interval(CHECK_EVERY);
    loop {
        tick.tick().await;
        if policy.should_trim(shared.active_sessions()) {
            shared.shrink_maps();
            for m in &maps {
                m.shrink_maps();
            }
            let freed = tokio::task::spawn_blocking(trim).await.unwrap_or(false);
            tracing::debug!(freed, "returned free allocator memory to the kernel");
        }
    }
}

/// `malloc_trim(0)`: true when memory went back to the kernel.
fn trim() -> bool {
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(test)]
mod tests;
