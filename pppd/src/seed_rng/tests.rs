use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::SeedRng;

#[test]
fn draws_differ_and_a_seeded_start_repeats() {
    let mut a = SeedRng::from_rng(&mut StdRng::seed_from_u64(7));
    let mut b = SeedRng::from_rng(&mut StdRng::seed_from_u64(7));
    let xs: Vec<u64> = (0..4).map(|_| a.draw(|r| r.gen())).collect();
    let ys: Vec<u64> = (0..4).map(|_| b.draw(|r| r.gen())).collect();
    assert_eq!(xs, ys, "same seed, same sequence");
    let mut sorted = xs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "every draw is new: {xs:?}");
}

#[test]
fn it_is_small() {
    assert_eq!(std::mem::size_of::<SeedRng>(), 32);
}
