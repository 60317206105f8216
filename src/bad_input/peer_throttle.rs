//! A log throttle per peer address, for the kinds of bad input an operator wants to hear about
//! from each peer (a client sending L2TP outside IPsec): each address at most once per
//! [`PEER_INTERVAL`], and all addresses together at most [`LINES_PER_SECOND`] lines a second,
//! so a flood from forged addresses stays a trickle. The table is bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Shortest time between two lines about one address.
pub const PEER_INTERVAL: Duration = Duration::from_secs(10);
/// Most lines a second, all addresses together.
pub const LINES_PER_SECOND: u32 = 10;
/// Addresses remembered; past this the table starts afresh.
const MAX_PEERS: usize = 4096;

/// When each address was last logged, and this second's line budget.
#[derive(Default)]
pub struct PeerThrottle {
    last: HashMap<IpAddr, Instant>,
    second: Option<Instant>,
    lines: u32,
}

impl PeerThrottle {
    /// Whether a line about `ip` may go out at `now` (and if so, it is counted).
    pub fn allow(&mut self, now: Instant, ip: IpAddr) -> bool {
        if self
            .last
            .get(&ip)
            .is_some_and(|at| now.saturating_duration_since(*at) < PEER_INTERVAL)
        {
            return false;
        }
        let new_second = self
            .second
            .is_none_or(|s| now.saturating_duration_since(s) >= Duration::from_secs(1));
        if new_second {
            self.second = Some(now);
            self.lines = 0;
        }
        if self.lines >= LINES_PER_SECOND {
            return false;
        }
        if self.last.len() >= MAX_PEERS {
            self.last.clear();
        }
        self.lines += 1;
        self.last.insert(ip, now);
        true
    }
}

#[cfg(test)]
mod tests;
