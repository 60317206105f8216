//! Authenticator (server) against AuthPeer (client) for every method, retries, timers,
//! duplicates and garbage.

use pppd::auth::{
    verify_local, AuthOutput, AuthPeer, AuthVerdict, Authenticator, Credential, Method, MppeKeys,
};
use pppd::frame::{PROTO_CHAP, PROTO_PAP};
use pppd::mschap;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::time::{Duration, Instant};

const ALL: [Method; 4] = [
    Method::Pap,
    Method::ChapMd5,
    Method::MsChapV1,
    Method::MsChapV2,
];

/// Outcome of one side.
#[derive(Debug, Default)]
struct Side {
    success: Option<(String, Option<MppeKeys>)>,
    failure: Option<(String, String)>,
}

/// Runs the exchange until both sides are quiet; the backend is `verify_local` with `cred`.
fn exchange(method: Method, user: &str, password: &str, cred: &Credential) -> (Side, Side) {
    let mut rng = StdRng::seed_from_u64(7);
    let now = Instant::now();
    let mut server = Authenticator::new(method, "rasd", 3, &mut rng);
    let mut client = AuthPeer::new(method, user, password, &mut rng);
    let (mut s_side, mut c_side) = (Side::default(), Side::default());
    let mut to_client = Vec::new();
    let mut to_server = Vec::new();
    let mut out = Vec::new();
    server.start(now, &mut out);
    collect(
        &mut out,
        &mut to_client,
        &mut s_side,
        Some((&mut server, cred)),
    );
    client.start(now, &mut out);
    collect(&mut out, &mut to_server, &mut c_side, None);
    for _ in 0..20 {
        for (proto, pkt) in std::mem::take(&mut to_server) {
            assert_eq!(proto, expected_proto(method));
            server.handle_packet(&pkt, &mut out);
            collect(
                &mut out,
                &mut to_client,
                &mut s_side,
                Some((&mut server, cred)),
            );
        }
        for (proto, pkt) in std::mem::take(&mut to_client) {
            assert_eq!(proto, expected_proto(method));
            client.handle_packet(&pkt, &mut out);
            collect(&mut out, &mut to_server, &mut c_side, None);
        }
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
    }
    (s_side, c_side)
}

fn expected_proto(method: Method) -> u16 {
    if method == Method::Pap {
        PROTO_PAP
    } else {
        PROTO_CHAP
    }
}

/// Sorts outputs; backend requests are answered at once when a server is given.
fn collect(
    out: &mut Vec<AuthOutput>,
    sends: &mut Vec<(u16, Vec<u8>)>,
    side: &mut Side,
    mut server: Option<(&mut Authenticator, &Credential)>,
) {
    let mut i = 0;
    while i < out.len() {
        match std::mem::replace(
            &mut out[i],
            AuthOutput::Failure {
                user: String::new(),
                message: String::new(),
            },
        ) {
            AuthOutput::Send { protocol, data } => sends.push((protocol, data)),
            AuthOutput::Request(req) => {
                let (srv, cred) = server.as_mut().expect("request from the client side");
                let verdict = verify_local(&req, cred);
                srv.verdict(Instant::now(), verdict, out);
            }
            AuthOutput::Success { user, keys } => side.success = Some((user, keys)),
            AuthOutput::Failure { user, message } => side.failure = Some((user, message)),
        }
        i += 1;
    }
    out.clear();
}

#[test]
fn every_method_succeeds() {
    for method in ALL {
        let cred = Credential::Password("s3cret".into());
        let (server, client) = exchange(method, "alice", "s3cret", &cred);
        assert!(server.success.is_some(), "{method}: server {server:?}");
        assert!(client.success.is_some(), "{method}: client {client:?}");
        assert!(server.failure.is_none() && client.failure.is_none());
        let (su, sk) = server.success.unwrap();
        let (cu, ck) = client.success.unwrap();
        assert_eq!((su.as_str(), cu.as_str()), ("alice", "alice"));
        match method {
            Method::MsChapV1 | Method::MsChapV2 => {
                let (sk, ck) = (sk.unwrap(), ck.unwrap());
                assert_eq!(sk.send, ck.recv, "{method}");
                assert_eq!(sk.recv, ck.send, "{method}");
            }
            _ => assert!(sk.is_none() && ck.is_none()),
        }
    }
}

#[test]
fn mschap_with_nt_hash_and_domain() {
    let cred = Credential::NtHash(mschap::nt_password_hash("pässword"));
    for method in [Method::MsChapV1, Method::MsChapV2, Method::Pap] {
        let (server, client) = exchange(method, "CORP\\bob", "pässword", &cred);
        assert_eq!(server.success.unwrap().0, "CORP\\bob", "{method}");
        assert!(client.success.is_some());
    }
    // CHAP-MD5 cannot work from a hash.
    let (server, client) = exchange(Method::ChapMd5, "bob", "pässword", &cred);
    assert!(server.failure.is_some() && client.failure.is_some());
}

#[test]
fn every_method_rejects_wrong_password() {
    for method in ALL {
        let cred = Credential::Password("right".into());
        let (server, client) = exchange(method, "eve", "wrong", &cred);
        assert!(
            server.success.is_none() && client.success.is_none(),
            "{method}"
        );
        assert!(client.failure.is_some(), "{method}");
        // MS-CHAP servers wait for a retry (R=1); PAP/CHAP-MD5 fail at once.
        let final_now = matches!(method, Method::Pap | Method::ChapMd5);
        assert_eq!(server.failure.is_some(), final_now, "{method}");
    }
}

// ---- hand-driven server tests ----

fn server(method: Method, attempts: u32) -> (Authenticator, Instant, Vec<u8>) {
    let mut rng = StdRng::seed_from_u64(1);
    let now = Instant::now();
    let mut s = Authenticator::new(method, "rasd", attempts, &mut rng);
    let mut out = Vec::new();
    s.start(now, &mut out);
    let challenge = match out.as_slice() {
        [AuthOutput::Send { protocol, data }] if method != Method::Pap => {
            assert_eq!(*protocol, PROTO_CHAP);
            data.clone()
        }
        [] if method == Method::Pap => Vec::new(),
        other => panic!("unexpected {other:?}"),
    };
    (s, now, challenge)
}

/// (id, challenge value) of a CHAP Challenge packet.
fn challenge_of(pkt: &[u8]) -> (u8, Vec<u8>) {
    assert_eq!(pkt[0], 1);
    let n = pkt[4] as usize;
    (pkt[1], pkt[5..5 + n].to_vec())
}

fn v2_response(id: u8, challenge: &[u8], user: &str, password: &str) -> Vec<u8> {
    let ac: [u8; 16] = challenge.try_into().unwrap();
    let pc = [0x5a; 16];
    let nt = mschap::generate_nt_response(&ac, &pc, user, &mschap::nt_password_hash(password));
    let mut v = pc.to_vec();
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(&nt);
    v.push(0);
    let len = 4 + 1 + 49 + user.len();
    let mut p = vec![2, id, (len >> 8) as u8, len as u8, 49];
    p.extend_from_slice(&v);
    p.extend_from_slice(user.as_bytes());
    p
}

fn take_request(out: &mut Vec<AuthOutput>) -> pppd::auth::AuthRequest {
    match out.pop() {
        Some(AuthOutput::Request(r)) if out.is_empty() => r,
        other => panic!("expected a request, got {other:?} / {out:?}"),
    }
}

fn sent(out: &[AuthOutput]) -> Vec<&[u8]> {
    out.iter()
        .filter_map(|o| match o {
            AuthOutput::Send { data, .. } => Some(data.as_slice()),
            _ => None,
        })
        .collect()
}

fn message(pkt: &[u8]) -> String {
    String::from_utf8(pkt[4..].to_vec()).unwrap()
}

#[test]
fn mschapv2_retry_with_new_challenge_then_success() {
    let (mut s, now, ch) = server(Method::MsChapV2, 3);
    let cred = Credential::Password("good".into());
    let (id, value) = challenge_of(&ch);
    let mut out = Vec::new();
    s.handle_packet(&v2_response(id, &value, "u", "bad"), &mut out);
    let req = take_request(&mut out);
    s.verdict(now, verify_local(&req, &cred), &mut out);
    let failure = sent(&out)[0].to_vec();
    assert_eq!(out.len(), 1, "no final failure yet");
    assert_eq!((failure[0], failure[1]), (4, id));
    let text = message(&failure);
    assert!(text.starts_with("E=691 R=1 C="), "{text}");
    assert!(text.contains(" V=3 M="), "{text}");
    let new_challenge: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&text[12 + 2 * i..14 + 2 * i], 16).unwrap())
        .collect();
    assert_ne!(new_challenge, value);
    out.clear();
    // The old Response again: the same Failure is repeated.
    s.handle_packet(&v2_response(id, &value, "u", "bad"), &mut out);
    assert_eq!(sent(&out), vec![failure.as_slice()]);
    out.clear();
    // Retry with the new challenge and the right password (some peers keep the identifier).
    let retry = v2_response(id, &new_challenge, "u", "good");
    s.handle_packet(&retry, &mut out);
    let req = take_request(&mut out);
    s.verdict(now, verify_local(&req, &cred), &mut out);
    let success = sent(&out)[0].to_vec();
    assert_eq!((success[0], success[1]), (3, id));
    let text = message(&success);
    assert!(text.starts_with("S=") && text[2..42].chars().all(|c| c.is_ascii_hexdigit()));
    assert!(text[42..].starts_with(" M="));
    assert!(matches!(
        out.last(),
        Some(AuthOutput::Success { keys: Some(_), .. })
    ));
    out.clear();
    // Windows repeats its Response: the same Success again, no second Success output.
    s.handle_packet(&retry, &mut out);
    assert_eq!(sent(&out), vec![success.as_slice()]);
    assert_eq!(out.len(), 1);
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn mschapv2_last_attempt_has_r0_and_fails() {
    let (mut s, now, ch) = server(Method::MsChapV2, 2);
    let cred = Credential::Password("good".into());
    let (mut id, mut value) = challenge_of(&ch);
    let mut out = Vec::new();
    for attempt in 1..=2 {
        s.handle_packet(&v2_response(id, &value, "u", "bad"), &mut out);
        let req = take_request(&mut out);
        s.verdict(now, verify_local(&req, &cred), &mut out);
        let text = message(sent(&out)[0]);
        if attempt == 1 {
            assert!(text.starts_with("E=691 R=1 C="));
            assert_eq!(out.len(), 1);
            value = (0..16)
                .map(|i| u8::from_str_radix(&text[12 + 2 * i..14 + 2 * i], 16).unwrap())
                .collect();
            id = id.wrapping_add(1);
        } else {
            assert!(text.starts_with("E=691 R=0 C="), "{text}");
            assert!(matches!(out.last(), Some(AuthOutput::Failure { user, .. }) if user == "u"));
        }
        out.clear();
    }
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn challenge_retransmission_then_give_up() {
    for method in [Method::ChapMd5, Method::MsChapV1, Method::MsChapV2] {
        let (mut s, now, ch) = server(method, 3);
        let mut out = Vec::new();
        let mut t = now;
        for _ in 0..4 {
            let deadline = s.poll_timeout().unwrap();
            assert_eq!(deadline, t + Duration::from_secs(3));
            s.handle_timeout(deadline - Duration::from_millis(1), &mut out);
            assert!(out.is_empty(), "early timeout does nothing");
            t = deadline;
            s.handle_timeout(t, &mut out);
            assert_eq!(sent(&out), vec![ch.as_slice()], "same id and challenge");
            out.clear();
        }
        let deadline = s.poll_timeout().unwrap();
        s.handle_timeout(deadline, &mut out);
        assert!(matches!(out.as_slice(), [AuthOutput::Failure { .. }]));
        assert_eq!(s.poll_timeout(), None);
    }
}

#[test]
fn pap_waits_then_gives_up() {
    let (mut s, now, _) = server(Method::Pap, 3);
    let mut out = Vec::new();
    let deadline = s.poll_timeout().unwrap();
    assert_eq!(deadline, now + Duration::from_secs(15));
    s.handle_timeout(deadline, &mut out);
    assert!(matches!(out.as_slice(), [AuthOutput::Failure { .. }]));
}

#[test]
fn duplicates_while_pending_are_ignored() {
    let (mut s, now, ch) = server(Method::MsChapV2, 3);
    let (id, value) = challenge_of(&ch);
    let resp = v2_response(id, &value, "u", "pw");
    let mut out = Vec::new();
    s.handle_packet(&resp, &mut out);
    let req = take_request(&mut out);
    assert_eq!(
        s.poll_timeout(),
        None,
        "no retransmission while the backend works"
    );
    s.handle_packet(&resp, &mut out);
    s.handle_packet(
        &v2_response(id.wrapping_add(9), &value, "u", "pw"),
        &mut out,
    );
    assert!(out.is_empty());
    // Wrong identifier before any response is ignored too.
    let (mut s2, _, _) = server(Method::MsChapV2, 3);
    s2.handle_packet(
        &v2_response(id.wrapping_add(1), &value, "u", "pw"),
        &mut out,
    );
    assert!(out.is_empty());
    // The verdict arrives: success; a verdict without a pending request is ignored.
    s.verdict(
        now,
        verify_local(&req, &Credential::Password("pw".into())),
        &mut out,
    );
    assert_eq!(out.len(), 2);
    out.clear();
    s.verdict(
        now,
        AuthVerdict::Reject {
            message: "x".into(),
        },
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn v2_accept_without_authenticator_response_is_refused() {
    let (mut s, now, ch) = server(Method::MsChapV2, 1);
    let (id, value) = challenge_of(&ch);
    let mut out = Vec::new();
    s.handle_packet(&v2_response(id, &value, "u", "pw"), &mut out);
    take_request(&mut out);
    let accept = AuthVerdict::Accept(pppd::auth::AuthSuccess {
        authenticator_response: None,
        mppe_keys: None,
    });
    s.verdict(now, accept, &mut out);
    assert_eq!(sent(&out)[0][0], 4);
    assert!(matches!(out.last(), Some(AuthOutput::Failure { .. })));
}

#[test]
fn peer_rejects_a_wrong_authenticator_response() {
    let mut rng = StdRng::seed_from_u64(3);
    let now = Instant::now();
    let mut p = AuthPeer::new(Method::MsChapV2, "u", "pw", &mut rng);
    let mut out = Vec::new();
    p.start(now, &mut out);
    assert!(out.is_empty());
    let mut ch = vec![1, 42, 0, 0, 16];
    ch.extend_from_slice(&[9; 16]);
    ch.extend_from_slice(b"srv");
    ch[3] = ch.len() as u8;
    p.handle_packet(&ch, &mut out);
    let resp = sent(&out)[0].to_vec();
    assert_eq!((resp[0], resp[1], resp[4]), (2, 42, 49));
    out.clear();
    // A retransmitted challenge gets the identical response (same peer challenge).
    p.handle_packet(&ch, &mut out);
    assert_eq!(sent(&out), vec![resp.as_slice()]);
    out.clear();
    let text = format!("S={} M=ok", "00".repeat(20));
    let mut succ = vec![3, 42, 0, (4 + text.len()) as u8];
    succ.extend_from_slice(text.as_bytes());
    p.handle_packet(&succ, &mut out);
    assert!(
        matches!(out.as_slice(), [AuthOutput::Failure { message, .. }] if message.contains("authenticator"))
    );
}

#[test]
fn peer_pap_retransmits_and_reports_nak() {
    let mut rng = StdRng::seed_from_u64(4);
    let now = Instant::now();
    let mut p = AuthPeer::new(Method::Pap, "u", "pw", &mut rng);
    let mut out = Vec::new();
    p.start(now, &mut out);
    let req = sent(&out)[0].to_vec();
    out.clear();
    let t = p.poll_timeout().unwrap();
    p.handle_timeout(t, &mut out);
    assert_eq!(sent(&out), vec![req.as_slice()]);
    out.clear();
    p.handle_packet(&[3, req[1], 0, 8, 3, b'b', b'a', b'd'], &mut out);
    assert!(matches!(out.as_slice(), [AuthOutput::Failure { message, .. }] if message == "bad"));
    assert_eq!(p.poll_timeout(), None);
}

#[test]
fn garbage_never_panics() {
    let mut x: u64 = 0x1234_5678;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for method in ALL {
        let mut rng = StdRng::seed_from_u64(5);
        let now = Instant::now();
        let mut s = Authenticator::new(method, "rasd", 3, &mut rng);
        let mut p = AuthPeer::new(method, "u", "pw", &mut rng);
        let mut out = Vec::new();
        s.start(now, &mut out);
        p.start(now, &mut out);
        for _ in 0..5000 {
            let len = (next() % 80) as usize;
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if len >= 4 {
                // Mostly plausible codes and lengths, to get past the header checks.
                data[0] = (data[0] % 5) + 1;
                if next() % 2 == 0 {
                    data[2] = 0;
                    data[3] = len as u8;
                }
            }
            s.handle_packet(&data, &mut out);
            p.handle_packet(&data, &mut out);
            if let Some(AuthOutput::Request(_)) = out.last() {
                s.verdict(
                    now,
                    AuthVerdict::Reject {
                        message: "no".into(),
                    },
                    &mut out,
                );
            }
            out.clear();
        }
    }
}

#[test]
fn pap_repeated_request_after_ack_gets_ack_with_its_identifier() {
    let (mut s, now, _) = server(Method::Pap, 3);
    let mut out = Vec::new();
    let req = [1, 7, 0, 9, 1, b'u', 2, b'p', b'w'];
    s.handle_packet(&req, &mut out);
    let r = take_request(&mut out);
    s.verdict(
        now,
        verify_local(&r, &Credential::Password("pw".into())),
        &mut out,
    );
    assert_eq!(sent(&out)[0][..2], [2, 7]);
    assert!(matches!(
        out.last(),
        Some(AuthOutput::Success { keys: None, .. })
    ));
    out.clear();
    let mut again = req;
    again[1] = 8;
    s.handle_packet(&again, &mut out);
    assert_eq!(sent(&out)[0][..2], [2, 8]);
    assert_eq!(out.len(), 1);
}
