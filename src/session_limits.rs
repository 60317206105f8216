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

/// New limits for a live session (a RADIUS CoA-Request): each given one replaces the old,
/// counted from when it arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LimitChange {
    /// Session-Timeout: the session ends this long from now.
    pub session_timeout: Option<Duration>,
    /// Idle-Timeout: the session ends after this long without traffic.
    pub idle_timeout: Option<Duration>,
}

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

impl Idle {
    fn new(now: Instant, limit: Duration, counters: &Counters) -> Self {
        let step = (limit / 4).max(Duration::from_secs(1)).min(limit);
        Idle {
            limit,
            step,
            packets: packets(counters),
            last_traffic: now,
            next_check: now + step,
        }
    }
}

impl Limits {
    /// The limits `grant` sets, counted from `now` (the network came up).
    pub fn new(now: Instant, grant: &Grant, counters: &Counters) -> Self {
        Limits {
            session_end: grant.session_timeout.map(|t| now + t),
            idle: grant
                .idle_timeout
                .map(|limit| Idle::new(now, limit, counters)),
        }
    }

    /// Applies a CoA's new limits at `now`. An Idle-Timeout keeps the time of the last traffic
    /// seen, so a session idle longer than the new limit ends at its next check.
    pub fn change(&mut self, now: Instant, change: LimitChange, counters: &Counters) {
        if let Some(t) = change.session_timeout {
            self.session_end = Some(now + t);
        }
        if let Some(limit) = change.idle_timeout {
            let last = self.idle.as_ref().map_or(now, |i| i.last_traffic);
            let mut idle = Idle::new(now, limit, counters);
            idle.last_traffic = last;
            idle.next_check = now;
            self.idle = Some(idle);
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
