//! Client addresses: the pool, the named pools a login server may pick (`[[ip.pool]]`,
//! Framed-Pool), and the addresses a login server gives outside them, each routed to the TUN
//! device on its own while a session holds it.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::{Mutex, MutexGuard};

use crate::dataplane::host_route;
use crate::pool::Pool;

/// Every address a session may hold, and who holds which.
pub struct Addresses {
    pool: Mutex<Pool>,
    named: Vec<(String, Mutex<Pool>)>,
    local: Ipv4Addr,
    outside: Mutex<HashSet<Ipv4Addr>>,
    tun: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Addresses {
    /// `pool`, the `named` pools, our tunnel end `local` (never a client's), and the TUN
    /// device `tun` that addresses outside every pool are routed to.
    pub fn new(pool: Pool, named: Vec<(String, Pool)>, local: Ipv4Addr, tun: &str) -> Self {
        Addresses {
            pool: Mutex::new(pool),
            named: named.into_iter().map(|(n, p)| (n, Mutex::new(p))).collect(),
            local,
            outside: Mutex::default(),
            tun: tun.to_string(),
        }
    }

    /// An address for `user` from the pool, or from the pool named `name`. Err says why none.
    pub fn allocate(&self, user: &str, name: Option<&str>) -> Result<Ipv4Addr, String> {
        let pool = match name {
            None => &self.pool,
            Some(name) => match self.named.iter().find(|(n, _)| n == name) {
                Some((_, pool)) => pool,
                None => return Err(format!("no pool is named `{name}` ([[ip.pool]])")),
            },
        };
        lock(pool)
            .allocate(user)
            .ok_or_else(|| format!("address pool {} exhausted", name.unwrap_or("[ip] pools")))
    }

    /// The pool `addr` belongs to, if any.
    fn pool_of(&self, addr: Ipv4Addr) -> Option<MutexGuard<'_, Pool>> {
        std::iter::once(&self.pool)
            .chain(self.named.iter().map(|(_, p)| p))
            .map(lock)
            .find(|p| p.contains(addr))
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
        if let Some(mut pool) = self.pool_of(addr) {
            let taken = !pool.claim(addr);
            return if taken {
                Err(format!("{addr} is held by another session"))
            } else {
                Ok(())
            };
        }
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
        if let Some(mut pool) = self.pool_of(addr) {
            if !pool.release(addr) {
                tracing::error!(%addr, "released an address the pool did not hand out");
            }
            return;
        }
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
