//! Admission of new L2TP tunnels: caps on tunnels in setup (per peer address and in total) and
//! on setups per second, so that a flood of SCCRQs from forged addresses costs a bounded amount
//! of work and never starves established tunnels or real LACs.
//!
//! When the table is full, a new SCCRQ takes the place of the oldest setup whose peer has not
//! answered our SCCRP for [`EVICT_AFTER`]: a forged source never answers, a real LAC answers
//! within a round trip. Plain data, fed the time: the server holds it behind one lock that only
//! the SCCRQ path and setup completion take.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

use super::path::PeerPath;

/// How long a setup may go unanswered before a new SCCRQ may take its place.
pub const EVICT_AFTER: Duration = Duration::from_secs(2);

/// The limits, from `[l2tp]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SetupLimits {
    /// Tunnels in setup from all peers.
    pub max_total: usize,
    /// Tunnels in setup from one address.
    pub max_per_peer: usize,
    /// New tunnels per second (and the burst allowed at once).
    pub per_second: u32,
}

/// Why an SCCRQ did not start a tunnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// More SCCRQs than `max_tunnel_setups_per_second`.
    RateLimited,
    /// This address has `max_tunnels_in_setup_per_peer` tunnels in setup.
    PeerBusy,
    /// `max_tunnels_in_setup` tunnels are in setup and none has gone unanswered long enough to
    /// be replaced.
    Full,
}

impl Refusal {
    /// For logs.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::RateLimited => "max_tunnel_setups_per_second reached",
            Refusal::PeerBusy => "max_tunnels_in_setup_per_peer reached for this address",
            Refusal::Full => "max_tunnels_in_setup reached",
        }
    }
}

/// A tunnel in setup, as the demultiplexer and the tunnel's task see it.
#[derive(Clone, Default)]
pub struct SetupHandle {
    /// Set once the peer sends anything after its SCCRQ (it is real).
    pub answered: Arc<AtomicBool>,
    /// Notified when the setup is dropped to make room: the tunnel's task ends silently.
    pub evicted: Arc<Notify>,
}

/// One tunnel in setup.
struct Pending {
    our_id: u16,
    since: Instant,
    handle: SetupHandle,
}

/// The tunnels in setup, keyed by the peer's path (address, port, SA) and its Assigned Tunnel
/// ID.
pub struct SetupTable {
    limits: SetupLimits,
    pending: HashMap<(PeerPath, u16), Pending>,
    per_ip: HashMap<IpAddr, usize>,
    /// Setup allowance in thousandths of a setup, refilled at `per_second` per second.
    tokens_milli: u64,
    refilled_at: Option<Instant>,
}

impl SetupTable {
    /// An empty table with a full setup allowance.
    pub fn new(limits: SetupLimits) -> Self {
        SetupTable {
            limits,
            pending: HashMap::new(),
            per_ip: HashMap::new(),
            tokens_milli: u64::from(limits.per_second) * 1000,
            refilled_at: None,
        }
    }

    /// Our tunnel ID for a setup already under way (an SCCRQ retransmission).
    pub fn lookup(&self, key: (PeerPath, u16)) -> Option<u16> {
        self.pending.get(&key).map(|p| p.our_id)
    }

    /// Decides whether a new SCCRQ from `peer` may start a tunnel. On success a slot is held
    /// for it (fill it with [`SetupTable::insert`] or give it back with [`SetupTable::release`]);
    /// the returned handles belong to setups dropped to make room, and must be notified.
    pub fn admit(&mut self, now: Instant, peer: IpAddr) -> Result<Vec<SetupHandle>, Refusal> {
        self.refill(now);
        if self.per_ip.get(&peer).copied().unwrap_or(0) >= self.limits.max_per_peer {
            return Err(Refusal::PeerBusy);
        }
        let victim = if self.pending.len() >= self.limits.max_total {
            Some(self.oldest_unanswered(now).ok_or(Refusal::Full)?)
        } else {
            None
        };
        if self.tokens_milli < 1000 {
            return Err(Refusal::RateLimited);
        }
        self.tokens_milli -= 1000;
        let evicted = victim
            .and_then(|key| self.remove(key))
            .map(|p| p.handle)
            .into_iter()
            .collect();
        *self.per_ip.entry(peer).or_insert(0) += 1;
        Ok(evicted)
    }

    /// Records the tunnel an admitted SCCRQ started.
    pub fn insert(&mut self, now: Instant, key: (PeerPath, u16), our_id: u16, handle: SetupHandle) {
        let pending = Pending {
            our_id,
            since: now,
            handle,
        };
        if let Some(old) = self.pending.insert(key, pending) {
            self.release(key.0.addr.ip()); // cannot happen: `lookup` comes first
            old.handle.evicted.notify_one();
        }
    }

    /// Gives back a slot held by `admit` that no tunnel filled.
    pub fn release(&mut self, peer: IpAddr) {
        if let Some(n) = self.per_ip.get_mut(&peer) {
            *n -= 1;
            if *n == 0 {
                self.per_ip.remove(&peer);
            }
        }
    }

    /// Tunnel `our_id` finished its setup (established, failed or evicted).
    pub fn done(&mut self, key: (PeerPath, u16), our_id: u16) {
        if self.pending.get(&key).is_some_and(|p| p.our_id == our_id) {
            self.remove(key);
        }
    }

    /// Tunnels in setup now.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether no tunnel is in setup.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    fn remove(&mut self, key: (PeerPath, u16)) -> Option<Pending> {
        let pending = self.pending.remove(&key)?;
        self.release(key.0.addr.ip());
        Some(pending)
    }

    fn oldest_unanswered(&self, now: Instant) -> Option<(PeerPath, u16)> {
        self.pending
            .iter()
            .filter(|(_, p)| !p.handle.answered.load(Ordering::Relaxed))
            .filter(|(_, p)| now.saturating_duration_since(p.since) >= EVICT_AFTER)
            .min_by_key(|(_, p)| p.since)
            .map(|(key, _)| *key)
    }

    fn refill(&mut self, now: Instant) {
        let cap = u64::from(self.limits.per_second) * 1000;
        if let Some(at) = self.refilled_at {
            let ms = now.saturating_duration_since(at).as_millis() as u64;
            let gained = ms.saturating_mul(u64::from(self.limits.per_second));
            self.tokens_milli = self.tokens_milli.saturating_add(gained).min(cap);
        }
        self.refilled_at = Some(now);
    }
}

#[cfg(test)]
mod tests;
