use super::*;

fn pap() -> ProxyInfo {
    ProxyInfo {
        last_sent_lcp: Some(vec![3, 4, 0xc0, 0x23]),
        last_received_lcp: Some(vec![1, 4, 5, 0x78]),
        authen_type: Some(3),
        authen_name: Some("alice".into()),
        authen_response: Some(b"secret123".to_vec()),
        ..ProxyInfo::default()
    }
}

#[test]
fn pap_chap_and_mschapv1_become_requests() {
    let login = proxied_login(&pap()).unwrap();
    assert!(matches!(&login.request, AuthRequest::Pap { user, password }
        if user == "alice" && password == b"secret123"));
    assert_eq!(login.our_request, vec![3, 4, 0xc0, 0x23]);
    let chap = ProxyInfo {
        authen_type: Some(2),
        authen_id: Some(9),
        authen_challenge: Some(vec![1; 16]),
        authen_response: Some(vec![2; 16]),
        ..pap()
    };
    assert!(matches!(proxied_login(&chap).unwrap().request,
        AuthRequest::ChapMd5 { id: 9, response, .. } if response == [2; 16]));
    let v1 = ProxyInfo {
        authen_type: Some(5),
        authen_challenge: Some(vec![1; 8]),
        authen_response: Some([vec![0; 24], vec![7; 24], vec![1]].concat()),
        ..pap()
    };
    assert!(matches!(proxied_login(&v1).unwrap().request,
        AuthRequest::MsChapV1 { nt_response, .. } if nt_response == [7; 24]));
}

#[test]
fn incomplete_or_unverifiable_proxies_are_refused() {
    for info in [
        ProxyInfo {
            last_sent_lcp: None,
            ..pap()
        },
        ProxyInfo {
            authen_name: None,
            ..pap()
        },
        ProxyInfo {
            authen_response: None,
            ..pap()
        },
        ProxyInfo {
            authen_type: Some(4),
            ..pap()
        },
        ProxyInfo {
            authen_type: Some(2),
            ..pap()
        },
        ProxyInfo {
            authen_type: Some(5),
            authen_challenge: Some(vec![1; 8]),
            ..pap()
        },
    ] {
        assert!(proxied_login(&info).is_err(), "{info:?}");
    }
}
