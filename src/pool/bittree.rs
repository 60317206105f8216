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
mod tests {
    use super::*;

    #[test]
    fn first_set_follows_set_and_clear() {
        let mut t = BitTree::new(300_000);
        assert_eq!(t.first_set(), None);
        t.set(299_999);
        t.set(70_000);
        assert_eq!(t.first_set(), Some(70_000));
        t.clear(70_000);
        assert_eq!(t.first_set(), Some(299_999));
        assert!(t.get(299_999) && !t.get(70_000) && !t.get(1 << 30));
        t.set(1 << 30);
        t.clear(1 << 30);
        t.clear(299_999);
        assert_eq!(t.first_set(), None);
    }

    #[test]
    fn new_full_matches_setting_every_bit() {
        for n in [0usize, 1, 63, 64, 65, 4096, 4097, 300_000] {
            let mut t = BitTree::new(n);
            for i in 0..n {
                t.set(i);
            }
            assert_eq!(t.levels, BitTree::new_full(n).levels, "{n}");
        }
    }

    #[test]
    fn sizes_one_and_64() {
        for n in [1usize, 63, 64, 65, 4096, 4097] {
            let mut t = BitTree::new(n);
            for i in (0..n).rev() {
                t.set(i);
                assert_eq!(t.first_set(), Some(i));
            }
            for i in 0..n {
                assert_eq!(t.first_set(), Some(i));
                t.clear(i);
            }
            assert_eq!(t.first_set(), None);
        }
    }
}
