//! Client address → session, read by the TUN path for every packet; and the networks behind
//! clients (Framed-Route), looked up only for a destination no client holds.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use dashmap::DashMap;

use crate::link::IpSink;
use crate::pool::AddrRange;

/// Sessions by the address they were given. Sharded, so no lock is shared by all sessions.
#[derive(Default)]
pub struct SessionMap {
    by_addr: DashMap<Ipv4Addr, Arc<dyn IpSink>>,
    /// Networks behind clients; `any_routed` spares the lock when there is none.
    routed: RwLock<Vec<(AddrRange, Arc<dyn IpSink>)>>,
    any_routed: AtomicBool,
}

impl SessionMap {
    /// Shrinks the address map to what it holds.
    pub fn shrink_to_fit(&self) {
        self.by_addr.shrink_to_fit();
    }

    /// Routes packets for `addr` to `sink` (the session's network layer is up).
    pub fn insert(&self, addr: Ipv4Addr, sink: Arc<dyn IpSink>) {
        self.by_addr.insert(addr, sink);
    }

    /// Stops routing packets for `addr`.
    pub fn remove(&self, addr: Ipv4Addr) {
        self.by_addr.remove(&addr);
    }

    /// Routes packets for the network `range` behind a client to its session.
    pub fn insert_route(&self, range: AddrRange, sink: Arc<dyn IpSink>) {
        let mut routed = self.routed.write().unwrap_or_else(|p| p.into_inner());
        routed.push((range, sink));
        self.any_routed.store(true, Ordering::Release);
    }

    /// Stops routing packets for `range`.
    pub fn remove_route(&self, range: AddrRange) {
        let mut routed = self.routed.write().unwrap_or_else(|p| p.into_inner());
        routed.retain(|(r, _)| *r != range);
        self.any_routed.store(!routed.is_empty(), Ordering::Release);
    }

    /// The session that owns `addr`, or the network it is in.
    pub fn get(&self, addr: Ipv4Addr) -> Option<Arc<dyn IpSink>> {
        if let Some(s) = self.by_addr.get(&addr) {
            return Some(Arc::clone(s.value()));
        }
        if !self.any_routed.load(Ordering::Acquire) {
            return None;
        }
        let routed = self.routed.read().unwrap_or_else(|p| p.into_inner());
        routed
            .iter()
            .find(|(r, _)| r.contains(addr))
            .map(|(_, s)| Arc::clone(s))
    }
}

#[cfg(test)]
mod tests;
