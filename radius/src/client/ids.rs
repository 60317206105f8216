//! One identifier space (256 values) per socket slot and server: an identifier is never handed
//! out while outstanding, and allocation rotates so a freed one is reused as late as possible.

/// The identifiers in use on one (socket, server) pair.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdSpace {
    used: [u64; 4],
    next: u8,
    in_use: u16,
}

impl IdSpace {
    fn is_used(&self, id: u8) -> bool {
        self.used[usize::from(id / 64)] & (1 << (id % 64)) != 0
    }

    /// A free identifier, now marked used; `None` when all 256 are outstanding.
    pub(crate) fn alloc(&mut self) -> Option<u8> {
        if self.in_use == 256 {
            return None;
        }
        let mut id = self.next;
        while self.is_used(id) {
            id = id.wrapping_add(1);
        }
        self.used[usize::from(id / 64)] |= 1 << (id % 64);
        self.in_use += 1;
        self.next = id.wrapping_add(1);
        Some(id)
    }

    /// Frees `id` (after its answer or its timeout).
    pub(crate) fn free(&mut self, id: u8) {
        if self.is_used(id) {
            self.used[usize::from(id / 64)] &= !(1 << (id % 64));
            self.in_use -= 1;
        }
    }
}

#[cfg(test)]
mod tests;
