//! LCP Echo keepalive: an Echo-Request every interval; a peer that leaves `failures`
//! consecutive requests unanswered is dead (checked when the next one is due, as pppd does).
//!
//! Traffic from the peer is as good as an Echo-Reply (pppd's `lcp-echo-adaptive`): an interval
//! in which the peer sent anything needs no Echo-Request, and clears the unanswered count. A
//! session saturated with data, whose echoes and replies may be lost behind it, is alive.

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
    /// The peer sent something since the timer last fired.
    heard: bool,
}

impl Keepalive {
    /// `interval` None disables it; `failures` 0 sends echoes but never declares death.
    pub fn new(interval: Option<Duration>, failures: u32) -> Self {
        Self {
            interval: interval.filter(|d| !d.is_zero()),
            failures,
            pending: 0,
            next: None,
            heard: false,
        }
    }

    /// Starts the timer (LCP Opened).
    pub fn start(&mut self, now: Instant) {
        self.pending = 0;
        self.heard = false;
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

    /// The peer sent traffic: it is alive.
    pub fn traffic_received(&mut self) {
        self.heard = true;
    }

    /// Fires the timer if due.
    pub fn handle_timeout(&mut self, now: Instant) -> Option<Tick> {
        let (next, interval) = (self.next?, self.interval?);
        if next > now {
            return None;
        }
        if std::mem::take(&mut self.heard) {
            self.pending = 0;
            self.next = Some(now + interval);
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
mod tests;
