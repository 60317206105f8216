//! The client address pool: several ranges, lowest-free allocation, optional stickiness.

mod bittree;
mod range;

pub use range::AddrRange;

use bittree::BitTree;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Largest number of addresses a pool may hold (bounds the bitmap memory to ~2.1 MiB).
pub const MAX_POOL_ADDRESSES: u64 = 1 << 24;

/// IPv4 address pool. Not thread-safe on its own: wrap it in a `Mutex`.
#[derive(Debug)]
pub struct Pool {
    /// Disjoint sorted ranges with the pool index of their first address.
    ranges: Vec<(AddrRange, u32)>,
    /// Bit set = address free.
    free: BitTree,
    /// Sticky pools only: bit set = free and no user remembers it.
    unclaimed: Option<BitTree>,
    /// Sticky pools only: user -> index of the address last given to them, and back.
    by_user: HashMap<String, u32>,
    by_index: HashMap<u32, String>,
    /// Sorted indices of reserved addresses (never free, not counted in use).
    reserved: Vec<u32>,
    capacity: usize,
    free_count: usize,
}

impl Pool {
    /// Builds a pool from `ranges` (overlaps are merged), never handing out an address of
    /// `reserved` (e.g. the local tunnel address). At most [`MAX_POOL_ADDRESSES`] addresses
    /// are used. With `sticky`, a returning user gets their previous address while it is free,
    /// and new users get addresses nobody remembers first.
    pub fn new(ranges: &[AddrRange], reserved: &[Ipv4Addr], sticky: bool) -> Self {
        let merged = merge(ranges);
        let mut table = Vec::with_capacity(merged.len());
        let mut total: u64 = 0;
        for r in merged {
            if total >= MAX_POOL_ADDRESSES {
                break;
            }
            let len = r.len().min(MAX_POOL_ADDRESSES - total);
            let last = Ipv4Addr::from(u32::from(r.first) + (len - 1) as u32);
            table.push((
                AddrRange {
                    first: r.first,
                    last,
                },
                total as u32,
            ));
            total += len;
        }
        let len = total as usize;
        let free = BitTree::new_full(len);
        let mut pool = Pool {
            ranges: table,
            unclaimed: sticky.then(|| free.clone()),
            free,
            by_user: HashMap::new(),
            by_index: HashMap::new(),
            reserved: Vec::new(),
            capacity: len,
            free_count: len,
        };
        for &addr in reserved {
            if let Some(i) = pool.index_of(addr) {
                if pool.free.get(i as usize) {
                    pool.take(i);
                    pool.capacity -= 1;
                    pool.reserved.push(i);
                }
            }
        }
        pool.reserved.sort_unstable();
        pool
    }

    /// Gives `user` an address: their previous one when sticky and still free, otherwise the
    /// lowest free address. `None` when the pool is exhausted.
    pub fn allocate(&mut self, user: &str) -> Option<Ipv4Addr> {
        let index = match self.unclaimed {
            None => self.free.first_set()?,
            Some(ref unclaimed) => {
                let previous = self
                    .by_user
                    .get(user)
                    .map(|&i| i as usize)
                    .filter(|&i| self.free.get(i));
                previous
                    .or_else(|| unclaimed.first_set())
                    .or_else(|| self.free.first_set())?
            }
        } as u32;
        self.take(index);
        if self.unclaimed.is_some() {
            self.remember(user, index);
        }
        Some(self.addr_of(index))
    }

    /// Takes `addr` out of the pool for one session (an address a login server gave). False
    /// (and nothing changes) when it is not a pool address, is reserved or is taken.
    pub fn claim(&mut self, addr: Ipv4Addr) -> bool {
        match self.index_of(addr) {
            Some(i) if self.free.get(i as usize) => {
                self.take(i);
                true
            }
            _ => false,
        }
    }

    /// Whether any of the pool's addresses is inside `range`.
    pub fn overlaps(&self, range: &AddrRange) -> bool {
        self.ranges.iter().any(|(r, _)| r.overlaps(range))
    }

    /// Whether `addr` is one of the pool's addresses (free, taken or reserved).
    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        self.index_of(addr).is_some()
    }

    /// Returns `addr` to the pool. False (and nothing changes) when it is not a pool
    /// address or is not allocated.
    pub fn release(&mut self, addr: Ipv4Addr) -> bool {
        let Some(i) = self.index_of(addr) else {
            return false;
        };
        let i_usize = i as usize;
        if self.free.get(i_usize) || self.is_reserved(i) {
            return false;
        }
        self.free.set(i_usize);
        if let Some(unclaimed) = &mut self.unclaimed {
            if !self.by_index.contains_key(&i) {
                unclaimed.set(i_usize);
            }
        }
        self.free_count += 1;
        true
    }

    /// Whether `addr` is a pool address currently allocated.
    pub fn is_allocated(&self, addr: Ipv4Addr) -> bool {
        self.index_of(addr)
            .is_some_and(|i| !self.free.get(i as usize) && !self.is_reserved(i))
    }

    /// Number of addresses the pool can hand out (reserved ones excluded).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Number of addresses currently allocated.
    pub fn in_use(&self) -> usize {
        self.capacity - self.free_count
    }

    /// Number of addresses currently free.
    pub fn free(&self) -> usize {
        self.free_count
    }

    fn take(&mut self, i: u32) {
        self.free.clear(i as usize);
        if let Some(unclaimed) = &mut self.unclaimed {
            unclaimed.clear(i as usize);
        }
        self.free_count -= 1;
    }

    fn remember(&mut self, user: &str, i: u32) {
        if let Some(old_user) = self.by_index.remove(&i) {
            self.by_user.remove(&old_user);
        }
        if let Some(old_i) = self.by_user.remove(user) {
            self.by_index.remove(&old_i);
            if self.free.get(old_i as usize) {
                if let Some(unclaimed) = &mut self.unclaimed {
                    unclaimed.set(old_i as usize);
                }
            }
        }
        self.by_user.insert(user.to_owned(), i);
        self.by_index.insert(i, user.to_owned());
    }

    fn is_reserved(&self, i: u32) -> bool {
        self.reserved.binary_search(&i).is_ok()
    }

    fn index_of(&self, addr: Ipv4Addr) -> Option<u32> {
        let pos = self.ranges.partition_point(|(r, _)| r.last < addr);
        let (r, base) = self.ranges.get(pos)?;
        r.contains(addr)
            .then(|| base + (u32::from(addr) - u32::from(r.first)))
    }

    fn addr_of(&self, i: u32) -> Ipv4Addr {
        let pos = self.ranges.partition_point(|&(_, base)| base <= i) - 1;
        let (r, base) = self.ranges[pos];
        Ipv4Addr::from(u32::from(r.first) + (i - base))
    }
}

/// Sorts and merges overlapping or adjacent ranges.
fn merge(ranges: &[AddrRange]) -> Vec<AddrRange> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    let mut out: Vec<AddrRange> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(prev) if u64::from(u32::from(r.first)) <= u64::from(u32::from(prev.last)) + 1 => {
                prev.last = prev.last.max(r.last);
            }
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests;
