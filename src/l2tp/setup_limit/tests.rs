use super::*;

const LIMITS: SetupLimits = SetupLimits {
    max_total: 4,
    max_per_peer: 2,
    per_second: 100,
};

use std::net::SocketAddr;

fn addr(i: u8) -> PeerPath {
    PeerPath::cleartext(SocketAddr::from(([203, 0, 113, i], 1701)))
}

/// Admits and inserts a setup from `addr(i)` with the peer's tunnel ID `tid`.
fn start(t: &mut SetupTable, now: Instant, i: u8, tid: u16) -> Result<Vec<SetupHandle>, Refusal> {
    let evicted = t.admit(now, addr(i).addr.ip())?;
    t.insert(
        now,
        (addr(i), tid),
        u16::from(i) << 8 | tid,
        SetupHandle::default(),
    );
    Ok(evicted)
}

#[test]
fn retransmitted_sccrq_finds_its_tunnel() {
    let mut t = SetupTable::new(LIMITS);
    let now = Instant::now();
    start(&mut t, now, 1, 7).unwrap();
    assert_eq!(t.lookup((addr(1), 7)), Some(0x107));
    assert_eq!(t.lookup((addr(1), 8)), None);
}

#[test]
fn one_address_gets_its_share_only() {
    let mut t = SetupTable::new(LIMITS);
    let now = Instant::now();
    start(&mut t, now, 1, 1).unwrap();
    start(&mut t, now, 1, 2).unwrap();
    assert_eq!(start(&mut t, now, 1, 3).err(), Some(Refusal::PeerBusy));
    assert!(
        start(&mut t, now, 2, 1).is_ok(),
        "another address still gets in"
    );
    t.done((addr(1), 1), 0x101);
    assert!(
        start(&mut t, now, 1, 3).is_ok(),
        "a finished setup frees its slot"
    );
}

#[test]
fn a_full_table_replaces_the_oldest_unanswered_setup() {
    let mut t = SetupTable::new(LIMITS);
    let t0 = Instant::now();
    for i in 1..=4 {
        start(&mut t, t0 + Duration::from_millis(u64::from(i)), i, 1).unwrap();
    }
    // The oldest one answered: it is real and stays.
    t.pending[&(addr(1), 1)]
        .handle
        .answered
        .store(true, Ordering::Relaxed);
    assert_eq!(
        start(&mut t, t0 + Duration::from_millis(500), 5, 1).err(),
        Some(Refusal::Full),
        "nothing is old enough to be replaced yet"
    );
    let later = t0 + EVICT_AFTER + Duration::from_millis(10);
    let evicted = start(&mut t, later, 5, 1).unwrap();
    assert_eq!(evicted.len(), 1);
    assert_eq!(
        t.lookup((addr(2), 1)),
        None,
        "the oldest unanswered one went"
    );
    assert_eq!(
        t.lookup((addr(1), 1)),
        Some(0x101),
        "the answered one stayed"
    );
    assert_eq!(t.lookup((addr(5), 1)), Some(0x501));
    assert_eq!(t.len(), 4);
}

#[test]
fn setups_per_second_are_bounded_and_refilled() {
    let limits = SetupLimits {
        max_total: 1000,
        max_per_peer: 1000,
        per_second: 10,
    };
    let mut t = SetupTable::new(limits);
    let t0 = Instant::now();
    let admitted = (0..50).filter(|n| start(&mut t, t0, 1, *n).is_ok()).count();
    assert_eq!(admitted, 10, "one second's worth at once");
    assert_eq!(start(&mut t, t0, 1, 99).err(), Some(Refusal::RateLimited));
    let later = t0 + Duration::from_millis(500);
    let admitted = (100..150)
        .filter(|n| start(&mut t, later, 1, *n).is_ok())
        .count();
    assert_eq!(admitted, 5, "half a second later, half as many");
}

#[test]
fn finishing_an_old_setup_does_not_touch_a_new_one_with_the_same_key() {
    let mut t = SetupTable::new(LIMITS);
    let now = Instant::now();
    t.admit(now, addr(1).addr.ip()).unwrap();
    t.insert(now, (addr(1), 1), 10, SetupHandle::default());
    t.done((addr(1), 1), 10);
    t.admit(now, addr(1).addr.ip()).unwrap();
    t.insert(now, (addr(1), 1), 11, SetupHandle::default());
    t.done((addr(1), 1), 10);
    assert_eq!(t.lookup((addr(1), 1)), Some(11));
}
