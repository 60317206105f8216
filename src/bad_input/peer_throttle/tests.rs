use super::*;

fn ip(i: u32) -> IpAddr {
    IpAddr::V4((0xc633_6400 + i).into()) // 198.51.100.x and on
}

#[test]
fn each_peer_is_heard_once_per_interval() {
    let mut t = PeerThrottle::default();
    let now = Instant::now();
    assert!(t.allow(now, ip(2)));
    assert!(!t.allow(now + Duration::from_secs(5), ip(2)));
    assert!(
        t.allow(now + Duration::from_secs(5), ip(3)),
        "another peer is heard"
    );
    assert!(t.allow(now + PEER_INTERVAL, ip(2)));
}

#[test]
fn a_flood_from_many_addresses_is_capped_per_second() {
    let mut t = PeerThrottle::default();
    let now = Instant::now();
    let heard = (0..1000).filter(|i| t.allow(now, ip(*i))).count();
    assert_eq!(heard, LINES_PER_SECOND as usize);
    let later = now + Duration::from_secs(1);
    let heard = (1000..2000).filter(|i| t.allow(later, ip(*i))).count();
    assert_eq!(heard, LINES_PER_SECOND as usize);
}

#[test]
fn the_table_stays_bounded() {
    let mut t = PeerThrottle::default();
    let start = Instant::now();
    for i in 0..(MAX_PEERS as u32 * 2) {
        t.allow(start + Duration::from_secs(u64::from(i)), ip(i));
    }
    assert!(t.last.len() <= MAX_PEERS);
}
