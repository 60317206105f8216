use super::*;

fn peer(net: &str, secret: &str, proxy_auth: ProxyAuth) -> L2tpPeer {
    L2tpPeer {
        net: net.parse().unwrap(),
        secret: Some(secret.into()),
        hide_avps: false,
        proxy_auth,
        require_ipsec: false,
    }
}

#[test]
fn the_longest_matching_prefix_wins() {
    let policies = PeerPolicies {
        default_tunnel: TunnelConfig {
            secret: Some(b"global".to_vec()),
            ..TunnelConfig::default()
        },
        default_proxy_auth: ProxyAuth::Renegotiate,
        default_require_ipsec: false,
        peers: vec![
            peer("198.51.100.0/24", "wide", ProxyAuth::Renegotiate),
            peer("198.51.100.7", "lac7", ProxyAuth::Trust),
        ],
    };
    let of = |ip: &str| {
        let p = policies.for_peer(ip.parse().unwrap());
        (p.tunnel.secret.unwrap_or_default(), p.proxy_auth)
    };
    assert_eq!(of("198.51.100.7"), (b"lac7".to_vec(), ProxyAuth::Trust));
    assert_eq!(
        of("::ffff:198.51.100.7"),
        (b"lac7".to_vec(), ProxyAuth::Trust)
    );
    assert_eq!(
        of("198.51.100.8"),
        (b"wide".to_vec(), ProxyAuth::Renegotiate)
    );
    assert_eq!(
        of("203.0.113.1"),
        (b"global".to_vec(), ProxyAuth::Renegotiate)
    );
}
