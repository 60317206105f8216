use super::*;

fn cfg() -> RadiusConfig {
    RadiusConfig {
        servers: Vec::new(),
        nas_identifier: "rasd-test".into(),
        nas_ip_address: Some("192.0.2.1".parse().unwrap()),
        timeout: std::time::Duration::from_secs(3),
        retries: 2,
        dead_time: std::time::Duration::from_secs(60),
        require_message_authenticator: true,
        max_in_flight: 16,
        dae_listen: None,
        dae_clients: Vec::new(),
        interim_interval: std::time::Duration::ZERO,
        spool_dir: "spool".into(),
        spool_limit: 1 << 20,
    }
}

fn origin() -> LoginOrigin {
    LoginOrigin {
        session: 0x1234,
        peer: "203.0.113.7:1701".parse().unwrap(),
        carrier: Carrier::L2tp {
            tunnel_id: 2,
            l2tp_session_id: 3,
        },
        numbers: CallNumbers::default(),
    }
}

fn mschapv2() -> AuthRequest {
    AuthRequest::MsChapV2 {
        user: "alice".into(),
        authenticator_challenge: [1; 16],
        peer_challenge: [2; 16],
        nt_response: [3; 24],
    }
}

#[test]
fn an_mschapv2_request_carries_the_exchange_and_who_asks() {
    let req = access_request(&mschapv2(), &origin(), &cfg());
    assert_eq!(req.code, Code::AccessRequest);
    let a = &req.attributes;
    assert_eq!(a.text(attr::USER_NAME).as_deref(), Some("alice"));
    assert_eq!(a.bytes(attr::MS_CHAP_CHALLENGE), Some(&[1u8; 16][..]));
    let response = a.bytes(attr::MS_CHAP2_RESPONSE).unwrap();
    assert_eq!((response.len(), &response[2..18]), (50, &[2u8; 16][..]));
    assert_eq!(&response[26..], &[3u8; 24][..]);
    assert_eq!(a.text(attr::NAS_IDENTIFIER).as_deref(), Some("rasd-test"));
    assert_eq!(
        a.ipv4(attr::NAS_IP_ADDRESS),
        Some("192.0.2.1".parse().unwrap())
    );
    assert_eq!(a.integer(attr::NAS_PORT), Some(2 << 16 | 3));
    assert_eq!(a.integer(attr::NAS_PORT_TYPE), Some(NAS_PORT_TYPE_VIRTUAL));
    assert_eq!(a.integer(attr::SERVICE_TYPE), Some(SERVICE_TYPE_FRAMED));
    assert_eq!(
        a.text(attr::CALLING_STATION_ID).as_deref(),
        Some("203.0.113.7")
    );
    assert_eq!(
        a.text(attr::ACCT_SESSION_ID).as_deref(),
        Some("0000000000001234")
    );
    assert_eq!(a.bytes(attr::TUNNEL_TYPE), Some(&[0, 0, 0, 3][..]));
}

#[test]
fn an_accept_gives_the_servers_proof_and_keys() {
    let mut success = vec![0u8];
    success.extend_from_slice(b"S=");
    success.extend_from_slice(b"00112233445566778899AABBCCDDEEFF00112233");
    let reply = Attributes::new()
        .with(Attribute::octets(attr::MS_CHAP2_SUCCESS, &success))
        .with(Attribute::octets(attr::MS_MPPE_SEND_KEY, &[7; 16]))
        .with(Attribute::octets(attr::MS_MPPE_RECV_KEY, &[8; 16]));
    let AuthVerdict::Accept(ok) = verdict(&mschapv2(), Code::AccessAccept, &reply, 1) else {
        panic!("not accepted");
    };
    let proof = ok.authenticator_response.unwrap();
    assert_eq!(&proof[..4], &[0x00, 0x11, 0x22, 0x33]);
    assert_eq!(proof[19], 0x33);
    let keys = ok.mppe_keys.unwrap();
    assert_eq!((keys.send, keys.recv), ([7; 16], [8; 16]));
}

#[test]
fn an_mschapv2_accept_without_proof_is_refused() {
    let reply = Attributes::new();
    let v = verdict(&mschapv2(), Code::AccessAccept, &reply, 1);
    assert!(matches!(v, AuthVerdict::Reject { .. }));
    let broken = Attributes::new().with(Attribute::octets(attr::MS_CHAP2_SUCCESS, b"\x00S=12"));
    let v = verdict(&mschapv2(), Code::AccessAccept, &broken, 1);
    assert!(matches!(v, AuthVerdict::Reject { .. }));
}

#[test]
fn a_reject_relays_the_servers_message() {
    let error = b"\x00E=691 R=1 C=00000000000000000000000000000000 V=3 M=Wrong password";
    let reply = Attributes::new().with(Attribute::octets(attr::MS_CHAP_ERROR, error));
    let AuthVerdict::Reject { message } = verdict(&mschapv2(), Code::AccessReject, &reply, 1)
    else {
        panic!("not rejected");
    };
    assert_eq!(message, "Wrong password");
    let reply = Attributes::new().with(Attribute::string(attr::REPLY_MESSAGE, "Account locked"));
    let pap = AuthRequest::Pap {
        user: "bob".into(),
        password: b"x".to_vec(),
    };
    let AuthVerdict::Reject { message } = verdict(&pap, Code::AccessReject, &reply, 1) else {
        panic!("not rejected");
    };
    assert_eq!(message, "Account locked");
}

#[test]
fn an_access_challenge_is_refused() {
    let pap = AuthRequest::Pap {
        user: "bob".into(),
        password: b"x".to_vec(),
    };
    let v = verdict(&pap, Code::AccessChallenge, &Attributes::new(), 1);
    assert!(matches!(v, AuthVerdict::Reject { .. }));
}

#[test]
fn a_lacs_numbers_become_the_station_ids() {
    let mut o = origin();
    o.numbers = CallNumbers {
        calling: Some("5551234".into()),
        called: Some("vpn".into()),
    };
    let req = access_request(&mschapv2(), &o, &cfg());
    let a = &req.attributes;
    assert_eq!(a.text(attr::CALLING_STATION_ID).as_deref(), Some("5551234"));
    assert_eq!(a.text(attr::CALLED_STATION_ID).as_deref(), Some("vpn"));
}
