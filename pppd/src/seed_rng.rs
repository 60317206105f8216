//! A random generator that keeps only its 32-byte seed between draws: `StdRng` (ChaCha12) is
//! 320 bytes, and a session holds several generators (LCP magic numbers, IPV6CP interface
//! identifiers, authentication challenges) that each draw a handful of times in its life. At
//! every draw the seed becomes a ChaCha12 generator, serves the draw, and is replaced by fresh
//! output of that generator; the sequence stays unpredictable and, from a seeded start,
//! reproducible.

use std::fmt;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

/// A seed standing for a ChaCha12 generator.
#[derive(Clone)]
pub struct SeedRng {
    seed: [u8; 32],
}

impl SeedRng {
    /// A generator seeded from `rng`.
    pub fn from_rng(rng: &mut impl RngCore) -> Self {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        SeedRng { seed }
    }

    /// Runs `f` with the generator the seed stands for, then moves the seed on.
    pub fn draw<R>(&mut self, f: impl FnOnce(&mut StdRng) -> R) -> R {
        let mut rng = StdRng::from_seed(self.seed);
        let out = f(&mut rng);
        rng.fill_bytes(&mut self.seed);
        out
    }
}

impl fmt::Debug for SeedRng {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SeedRng(..)")
    }
}

#[cfg(test)]
mod tests;
