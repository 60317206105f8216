use super::*;

#[test]
fn a_path_shows_its_sa_mark_only_when_it_has_one() {
    let addr: SocketAddr = "198.51.100.2:1701".parse().unwrap();
    assert_eq!(PeerPath::cleartext(addr).to_string(), "198.51.100.2:1701");
    assert!(!PeerPath::cleartext(addr).is_ipsec());
    let sa = PeerPath { addr, mark: 10 };
    assert_eq!(sa.to_string(), "198.51.100.2:1701 (SA mark 0xa)");
    assert!(sa.is_ipsec());
    assert_ne!(sa, PeerPath { addr, mark: 11 });
}
