//! When the next sessions may start: a target rate (a token bucket holding at most a tenth of
//! a second's worth, so a stall is not made up in one burst) and a bound on sessions in setup.

use std::time::{Duration, Instant};

/// Paces session starts.
#[derive(Debug)]
pub struct Pacer {
    /// Starts per second; 0 means no rate limit (only the setup bound).
    rate: u32,
    max_in_setup: usize,
    /// Starts owed by the rate but not yet taken.
    tokens: f64,
    last: Instant,
}

impl Pacer {
    /// A pacer starting at `now` with one start available.
    pub fn new(rate: u32, max_in_setup: usize, now: Instant) -> Self {
        Pacer {
            rate,
            max_in_setup,
            tokens: 1.0,
            last: now,
        }
    }

    /// How many sessions may start now, `in_setup` being in setup already and `remaining`
    /// still to start; the caller starts exactly that many.
    pub fn take(&mut self, now: Instant, in_setup: usize, remaining: usize) -> usize {
        let room = self.max_in_setup.saturating_sub(in_setup).min(remaining);
        if self.rate == 0 {
            return room;
        }
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        let burst = (f64::from(self.rate) / 10.0).max(1.0);
        self.tokens = (self.tokens + elapsed * f64::from(self.rate)).min(burst);
        let n = (self.tokens.floor() as usize).min(room);
        self.tokens -= n as f64;
        n
    }

    /// When to ask again if [`Pacer::take`] gave nothing for lack of rate (a session ending
    /// its setup is the other reason to ask again).
    pub fn next_check(&self, now: Instant) -> Instant {
        if self.rate == 0 {
            return now + Duration::from_millis(100);
        }
        let missing = (1.0 - self.tokens).max(0.0);
        let wait = Duration::from_secs_f64(missing / f64::from(self.rate));
        now + wait.clamp(Duration::from_micros(200), Duration::from_millis(100))
    }
}

#[cfg(test)]
mod tests;
