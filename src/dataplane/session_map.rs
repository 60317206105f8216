//! Client address → session, read by the TUN path for every packet.

use std::net::Ipv4Addr;
use std::sync::Arc;

use dashmap::DashMap;

use crate::link::IpSink;

/// Sessions by the address they were given. Sharded, so no lock is shared by all sessions.
#[derive(Default)]
pub struct SessionMap {
    by_addr: DashMap<Ipv4Addr, Arc<dyn IpSink>>,
}

impl SessionMap {
    /// Routes packets for `addr` to `sink` (the session's network layer is up).
    pub fn insert(&self, addr: Ipv4Addr, sink: Arc<dyn IpSink>) {
        self.by_addr.insert(addr, sink);
    }

    /// Stops routing packets for `addr`.
    pub fn remove(&self, addr: Ipv4Addr) {
        self.by_addr.remove(&addr);
    }

    /// The session that owns `addr`.
    pub fn get(&self, addr: Ipv4Addr) -> Option<Arc<dyn IpSink>> {
        self.by_addr.get(&addr).map(|s| Arc::clone(s.value()))
    }
}
