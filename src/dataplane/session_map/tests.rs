use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use super::*;

#[derive(Default)]
struct Count(AtomicUsize);

impl IpSink for Count {
    fn send_ip(&self, _now: Instant, _packet: &mut [u8]) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fn a(s: &str) -> Ipv4Addr {
    s.parse().unwrap()
}

#[test]
fn a_network_behind_a_client_finds_its_session_until_removed() {
    let map = SessionMap::default();
    let (client, router) = (Arc::new(Count::default()), Arc::new(Count::default()));
    map.insert(a("192.0.2.10"), client.clone());
    let net = AddrRange {
        first: a("10.1.0.0"),
        last: a("10.1.0.255"),
    };
    assert!(map.get(a("10.1.0.7")).is_none());
    map.insert_route(net, router.clone());
    map.get(a("10.1.0.7"))
        .unwrap()
        .send_ip(Instant::now(), &mut []);
    map.get(a("192.0.2.10"))
        .unwrap()
        .send_ip(Instant::now(), &mut []);
    assert_eq!(router.0.load(Ordering::Relaxed), 1);
    assert_eq!(client.0.load(Ordering::Relaxed), 1);
    assert!(map.get(a("10.1.1.7")).is_none());
    map.remove_route(net);
    assert!(map.get(a("10.1.0.7")).is_none());
}
