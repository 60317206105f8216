//! Client addresses: the pool, and the addresses a login server gives outside it, each routed
//! to the TUN device on its own while a session holds it.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::{Mutex, MutexGuard};

use crate::dataplane::host_route;
use crate::pool::Pool;

/// Every address a session may hold, and who holds which.
pub struct Addresses {
    pool: Mutex<Pool>,
    local: Ipv4Addr,
    outside: Mutex<HashSet<Ipv4Addr>>,
    tun: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Addresses {
    /// `pool`, our tunnel end `local` (never a client's), and the TUN device `tun` that
    /// addresses outside the pool are routed to.
    pub fn new(pool: Pool, local: Ipv4Addr, tun: &str) -> Self {
        Addresses {
            pool: Mutex::new(pool),
            local,
            outside: Mutex::default(),
            tun: tun.to_string(),
        }
    }

    /// An address from the pool for `user`.
    pub fn allocate(&self, user: &str) -> Option<Ipv4Addr> {
        lock(&self.pool).allocate(user)
    }

    /// Takes `addr` for one session: out of the pool when it is a pool address, otherwise with a
    /// host route to the TUN device. Err says why it cannot be had.
    pub fn claim(&self, addr: Ipv4Addr) -> Result<(), String> {
        if addr == self.local {
            return Err(format!("{addr} is our own tunnel address ([ip] local)"));
        }
        if addr.is_unspecified() || addr.is_loopback() || addr.is_multicast() {
            return Err(format!("{addr} is not a unicast address"));
        }
        let mut pool = lock(&self.pool);
        if pool.contains(addr) {
            let taken = !pool.claim(addr);
            return if taken {
                Err(format!("{addr} is held by another session"))
            } else {
                Ok(())
            };
        }
        drop(pool);
        if !lock(&self.outside).insert(addr) {
            return Err(format!("{addr} is held by another session"));
        }
        host_route::add(&self.tun, addr).map_err(|e| {
            lock(&self.outside).remove(&addr);
            format!("{addr} cannot be routed: {e:#}")
        })
    }

    /// Gives `addr` back (to the pool, or its host route is removed).
    pub fn release(&self, addr: Ipv4Addr) {
        let mut pool = lock(&self.pool);
        if pool.contains(addr) {
            if !pool.release(addr) {
                tracing::error!(%addr, "released an address the pool did not hand out");
            }
            return;
        }
        drop(pool);
        if !lock(&self.outside).remove(&addr) {
            tracing::error!(%addr, "released an address nobody held");
        } else if let Err(e) = host_route::remove(&self.tun, addr) {
            tracing::warn!(%addr, "removing the host route: {e:#}");
        }
    }

    /// Number of addresses in the pool.
    pub fn pool_capacity(&self) -> usize {
        lock(&self.pool).capacity()
    }
}
