use super::*;

#[test]
fn prefixes_match_their_addresses_only() {
    let net: PeerNet = "198.51.100.0/24".parse().unwrap();
    assert!(net.contains("198.51.100.7".parse().unwrap()));
    assert!(!net.contains("198.51.101.7".parse().unwrap()));
    assert!(!net.contains("::1".parse().unwrap()));
    let host: PeerNet = "2001:db8::7".parse().unwrap();
    assert_eq!(host.prefix, 128);
    assert!(host.contains("2001:db8::7".parse().unwrap()));
    let all: PeerNet = "0.0.0.0/0".parse().unwrap();
    assert!(all.contains("203.0.113.9".parse().unwrap()));
    assert!("198.51.100.1/24".parse::<PeerNet>().is_err());
    assert!("198.51.100.0/33".parse::<PeerNet>().is_err());
    assert!("lac.example".parse::<PeerNet>().is_err());
}
