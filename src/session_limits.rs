//! Session-Timeout and Idle-Timeout of one session, checked on its task's timer: the session
//! ends this long after its network came up, or after this long without IP traffic either way
//! (LCP keepalives are not traffic). Idleness is read from the packet counters the link keeps
//! anyway, so the packet paths pay nothing for it.

use std::time::{Duration, Instant};

use crate::grant::Grant;
use crate::link::Counters;

/// The history cause of a session that reached its Session-Timeout.
pub const SESSION_TIMEOUT: &str = "session timeout";
/// The history cause of a session that was idle for its Idle-Timeout.
pub const IDLE_TIMEOUT: &str = "idle timeout";

/// The limits of one session whose network is up.
#[derive(Debug)]
pub struct Limits {
    session_end: Option<Instant>,
    idle: Option<Idle>,
}

#[derive(Debug)]
struct Idle {
    limit: Duration,
    /// Time between looks at the counters: a quarter of the limit, at least a second.
    step: Duration,
    packets: u64,
    last_traffic: Instant,
    next_check: Instant,
}

fn packets(c: &Counters) -> u64 {
    c.packets_in + c.packets_out
}

impl Limits {
    /// The limits `grant` sets, counted from `now` (the network came up).
    pub fn new(now: Instant, grant: &Grant, counters: &Counters) -> Self {
        let idle = grant.idle_timeout.map(|limit| {
            let step = (limit / 4).max(Duration::from_secs(1)).min(limit);
            Idle {
                limit,
                step,
                packets: packets(counters),
                last_traffic: now,
                next_check: now + step,
            }
        });
        Limits {
            session_end: grant.session_timeout.map(|t| now + t),
            idle,
        }
    }

    /// When [`Limits::check`] has work; None without limits.
    pub fn deadline(&self) -> Option<Instant> {
        let idle = self.idle.as_ref().map(|i| i.next_check);
        [self.session_end, idle].into_iter().flatten().min()
    }

    /// The cause when a limit is reached at `now`, given the link's `counters`.
    pub fn check(&mut self, now: Instant, counters: &Counters) -> Option<&'static str> {
        if self.session_end.is_some_and(|end| end <= now) {
            return Some(SESSION_TIMEOUT);
        }
        let idle = self.idle.as_mut()?;
        if idle.next_check > now {
            return None;
        }
        let seen = packets(counters);
        if seen != idle.packets {
            idle.packets = seen;
            idle.last_traffic = now;
        }
        if now.duration_since(idle.last_traffic) >= idle.limit {
            return Some(IDLE_TIMEOUT);
        }
        idle.next_check = (now + idle.step).min(idle.last_traffic + idle.limit);
        None
    }
}

#[cfg(test)]
mod tests;
