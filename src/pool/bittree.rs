//! A hierarchical bitmap: set/clear and "lowest set bit" in O(log64 n).

/// Bits `0..len`; level 0 holds the bits, each upper level has one bit per non-zero
/// word of the level below.
#[derive(Clone, Debug)]
pub(crate) struct BitTree {
    levels: Vec<Vec<u64>>,
}

impl BitTree {
    /// A tree of `len` bits, all clear.
    pub(crate) fn new(len: usize) -> Self {
        let mut levels = Vec::new();
        let mut n = len.max(1);
        loop {
            let words = n.div_ceil(64);
            levels.push(vec![0u64; words]);
            if words == 1 {
                break;
            }
            n = words;
        }
        BitTree { levels }
    }

    /// A tree of `len` bits, all set.
    pub(crate) fn new_full(len: usize) -> Self {
        let mut tree = BitTree::new(len);
        let mut n = len;
        for level in &mut tree.levels {
            for (w, word) in level.iter_mut().enumerate() {
                let bits = n.saturating_sub(w * 64).min(64);
                *word = if bits == 64 {
                    u64::MAX
                } else {
                    (1u64 << bits) - 1
                };
            }
            n = n.div_ceil(64);
        }
        tree
    }

    /// Whether bit `i` is set (false when out of range).
    pub(crate) fn get(&self, i: usize) -> bool {
        self.levels[0]
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Sets bit `i` (ignored when out of range).
    pub(crate) fn set(&mut self, mut i: usize) {
        for level in &mut self.levels {
            let Some(w) = level.get_mut(i / 64) else {
                return;
            };
            let was_zero = *w == 0;
            *w |= 1 << (i % 64);
            if !was_zero {
                return;
            }
            i /= 64;
        }
    }

    /// Clears bit `i` (ignored when out of range).
    pub(crate) fn clear(&mut self, mut i: usize) {
        for level in &mut self.levels {
            let Some(w) = level.get_mut(i / 64) else {
                return;
            };
            *w &= !(1 << (i % 64));
            if *w != 0 {
                return;
            }
            i /= 64;
        }
    }

    /// The lowest set bit, if any.
    pub(crate) fn first_set(&self) -> Option<usize> {
        let mut idx = 0usize;
        for level in self.levels.iter().rev() {
            let w = *level.get(idx)?;
            if w == 0 {
                return None;
            }
            idx = idx * 64 + w.trailing_zeros() as usize;
        }
        Some(idx)
    }
}

#[cfg(test)]
mod tests;
