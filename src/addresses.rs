//! Client addresses: the pool, the named pools a login server may pick (`[[ip.pool]]`,
//! Framed-Pool), and the addresses a login server gives outside them, each routed to the TUN
//! device on its own while a session holds it, and the networks behind clients (Framed-Route).

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::sync::{Mutex, MutexGuard};

use crate::dataplane::host_route;
use crate::pool::{AddrRange, Pool};

/// Every address a session may hold, and who holds which.
pub struct Addresses {
    pool: Mutex<Pool>,
    named: Vec<(String, Mutex<Pool>)>,
    local: Ipv4Addr,
    outside: Mutex<HashSet<Ipv4Addr>>,
    routes: Mutex<Vec<AddrRange>>,
    tun: String,
}

/// The addresses of `net`/`len`.
pub fn prefix_range(net: Ipv4Addr, len: u8) -> AddrRange {
    let host_bits = u32::MAX.checked_shr(u32::from(len)).unwrap_or(0);
    AddrRange {
        first: net,
        last: Ipv4Addr::from(u32::from(net) | host_bits),
    }
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
            routes: Mutex::default(),
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
        host_route::add(&self.tun, addr, 32).map_err(|e| {
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
        } else if let Err(e) = host_route::remove(&self.tun, addr, 32) {
            tracing::warn!(%addr, "removing the host route: {e:#}");
        }
    }

    /// Takes `addr` for one session when it is a free pool address (a client's own choice:
    /// never an address outside the pools, which could be anyone's on the server's networks).
    pub fn claim_pooled(&self, addr: Ipv4Addr) -> Result<(), String> {
        let Some(mut pool) = self.pool_of(addr) else {
            return Err(format!("{addr} is in no pool"));
        };
        if pool.claim(addr) {
            Ok(())
        } else {
            Err(format!("{addr} is held by another session or reserved"))
        }
    }

    /// Routes the network `net`/`len` behind a client to the TUN device. Err when it touches
    /// a pool, our address or another client's network.
    pub fn claim_route(&self, net: Ipv4Addr, len: u8) -> Result<(), String> {
        let range = prefix_range(net, len);
        let pools = std::iter::once(&self.pool).chain(self.named.iter().map(|(_, p)| p));
        if range.contains(self.local) || pools.map(lock).any(|p| p.overlaps(&range)) {
            return Err(format!("{net}/{len} overlaps a pool or our own address"));
        }
        let mut routes = lock(&self.routes);
        if routes.iter().any(|r| r.overlaps(&range)) {
            return Err(format!("{net}/{len} overlaps another client's network"));
        }
        host_route::add(&self.tun, net, len).map_err(|e| format!("{e:#}"))?;
        routes.push(range);
        Ok(())
    }

    /// Removes a route [`Addresses::claim_route`] installed.
    pub fn release_route(&self, net: Ipv4Addr, len: u8) {
        let range = prefix_range(net, len);
        lock(&self.routes).retain(|r| *r != range);
        if let Err(e) = host_route::remove(&self.tun, net, len) {
            tracing::warn!(route = %format!("{net}/{len}"), "removing a Framed-Route: {e:#}");
        }
    }

    /// Number of addresses in the pool.
    pub fn pool_capacity(&self) -> usize {
        lock(&self.pool).capacity()
    }
}
