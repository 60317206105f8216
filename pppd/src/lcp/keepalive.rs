//! LCP Echo keepalive: an Echo-Request every interval; a peer that leaves `failures`
//! consecutive requests unanswered is dead (checked when the next one is due, as pppd does).

use std::time::{Duration, Instant};

/// What to do when the keepalive timer fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// Send an Echo-Request.
    Send,
    /// Too many unanswered requests: the peer is gone.
    Dead,
}

/// Echo keepalive state.
#[derive(Debug)]
pub struct Keepalive {
    interval: Option<Duration>,
    failures: u32,
    pending: u32,
    next: Option<Instant>,
}

impl Keepalive {
    /// `interval` None disables it; `failures` 0 sends echoes but never declares death.
    pub fn new(interval: Option<Duration>, failures: u32) -> Self {
        Self {
            interval: interval.filter(|d| !d.is_zero()),
            failures,
            pending: 0,
            next: None,
        }
    }

    /// Starts the timer (LCP Opened).
    pub fn start(&mut self, now: Instant) {
        self.pending = 0;
        self.next = self.interval.map(|i| now + i);
    }

    /// Stops the timer (LCP left Opened).
    pub fn stop(&mut self) {
        self.next = None;
    }

    /// When the timer fires.
    pub fn deadline(&self) -> Option<Instant> {
        self.next
    }

    /// An Echo-Reply arrived: the peer is alive.
    pub fn reply_received(&mut self) {
        self.pending = 0;
    }

    /// Fires the timer if due.
    pub fn handle_timeout(&mut self, now: Instant) -> Option<Tick> {
        let (next, interval) = (self.next?, self.interval?);
        if next > now {
            return None;
        }
        if self.failures > 0 && self.pending >= self.failures {
            self.next = None;
            return Some(Tick::Dead);
        }
        self.pending += 1;
        self.next = Some(now + interval);
        Some(Tick::Send)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dies_after_failures_unanswered() {
        let t0 = Instant::now();
        let s = Duration::from_secs(10);
        let mut k = Keepalive::new(Some(s), 3);
        k.start(t0);
        assert_eq!(k.handle_timeout(t0 + Duration::from_secs(9)), None);
        for i in 1..=3 {
            assert_eq!(k.handle_timeout(t0 + s * i), Some(Tick::Send));
        }
        assert_eq!(k.handle_timeout(t0 + s * 4), Some(Tick::Dead));
        assert_eq!(k.deadline(), None);
    }

    #[test]
    fn replies_keep_it_alive_and_disabled_does_nothing() {
        let t0 = Instant::now();
        let s = Duration::from_secs(1);
        let mut k = Keepalive::new(Some(s), 2);
        k.start(t0);
        for i in 1..10 {
            assert_eq!(k.handle_timeout(t0 + s * i), Some(Tick::Send));
            k.reply_received();
        }
        let mut off = Keepalive::new(None, 3);
        off.start(t0);
        assert_eq!(off.deadline(), None);
        assert_eq!(off.handle_timeout(t0 + s * 100), None);
    }
}
