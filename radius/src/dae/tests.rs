use super::*;
use crate::crypto::verify_reply;

const SECRET: &[u8] = b"dae-secret";

fn client() -> SocketAddr {
    "192.0.2.9:40000".parse().unwrap()
}

fn server() -> DaeServer {
    DaeServer::new(vec![DaeClient {
        addr: client().ip(),
        secret: Secret::new(SECRET),
    }])
}

/// A Disconnect-Request (or CoA-Request) for user `user`, signed with `secret`.
fn request(
    code: Code,
    id: u8,
    user: &str,
    secret: &[u8],
    signed: bool,
    extra: &[(AttrType, &[u8])],
) -> Vec<u8> {
    let mut buf = [0u8; 4096];
    let mut b = Builder::new(&mut buf, code, id).unwrap();
    if signed {
        b.message_authenticator().unwrap();
    }
    b.attribute(attr::USER_NAME.code, user.as_bytes()).unwrap();
    for (typ, v) in extra {
        b.attribute(typ.code, v).unwrap();
    }
    let n = b.finish_hashed_request(secret);
    buf[..n].to_vec()
}

#[test]
fn a_signed_disconnect_names_its_sessions_and_gets_a_signed_ack() {
    let mut s = server();
    let now = Instant::now();
    let ip = [192, 0, 2, 10];
    let datagram = request(
        Code::DisconnectRequest,
        7,
        "alice",
        SECRET,
        true,
        &[(attr::FRAMED_IP_ADDRESS, &ip)],
    );
    let DaeDecision::Act(req) = s.handle_request(now, client(), &datagram) else {
        panic!("not acted on");
    };
    assert_eq!(req.code, Code::DisconnectRequest);
    assert_eq!(req.selector.user_name.as_deref(), Some("alice"));
    assert_eq!(req.selector.framed_ip, Some(Ipv4Addr::from(ip)));
    assert!(req.changes.is_empty(), "{:?}", req.changes);
    let mut out = [0u8; 4096];
    let n = s.answer(now, &req, Outcome::Done, &mut out);
    let ack = Packet::new_checked(&out[..n]).unwrap();
    assert_eq!((ack.code(), ack.identifier()), (Code::DisconnectAck, 7));
    let request_auth = Packet::new_checked(&datagram[..]).unwrap().authenticator();
    assert!(verify_reply(&ack, &request_auth, SECRET, true).is_ok());
}

#[test]
fn a_replay_is_answered_from_the_cache_not_acted_on_again() {
    let mut s = server();
    let now = Instant::now();
    let datagram = request(Code::DisconnectRequest, 1, "nobody", SECRET, true, &[]);
    let DaeDecision::Act(req) = s.handle_request(now, client(), &datagram) else {
        panic!("not acted on");
    };
    let mut out = [0u8; 4096];
    let n = s.answer(now, &req, Outcome::Refused(NOT_FOUND), &mut out);
    let nak = Packet::new_checked(&out[..n]).unwrap();
    assert_eq!(nak.code(), Code::DisconnectNak);
    let cause: Attributes = nak.attributes().map(Attribute::from_raw).collect();
    assert_eq!(cause.error_cause(), Some(503));
    match s.handle_request(now + Duration::from_secs(1), client(), &datagram) {
        DaeDecision::Resend { answer, to } => {
            assert_eq!(answer, out[..n].to_vec());
            assert_eq!(to, client());
        }
        other => panic!("acted on a replay: {other:?}"),
    }
    // Past the window it is a new request again.
    let later = now + REPLAY_WINDOW + Duration::from_secs(1);
    assert!(matches!(
        s.handle_request(later, client(), &datagram),
        DaeDecision::Act(_)
    ));
}

#[test]
fn forged_unsigned_or_foreign_requests_are_ignored() {
    let mut s = server();
    let now = Instant::now();
    let wrong = request(Code::DisconnectRequest, 1, "alice", b"guess", true, &[]);
    assert!(matches!(
        s.handle_request(now, client(), &wrong),
        DaeDecision::Ignore(DaeDrop::BadAuthenticator)
    ));
    let unsigned = request(Code::DisconnectRequest, 1, "alice", SECRET, false, &[]);
    assert!(matches!(
        s.handle_request(now, client(), &unsigned),
        DaeDecision::Ignore(DaeDrop::MissingMessageAuthenticator)
    ));
    let good = request(Code::DisconnectRequest, 1, "alice", SECRET, true, &[]);
    let stranger: SocketAddr = "198.51.100.66:3799".parse().unwrap();
    assert!(matches!(
        s.handle_request(now, stranger, &good),
        DaeDecision::Ignore(DaeDrop::UnknownClient)
    ));
    let access = request(Code::AccessRequest, 1, "alice", SECRET, true, &[]);
    assert!(matches!(
        s.handle_request(now, client(), &access),
        DaeDecision::Ignore(DaeDrop::UnexpectedCode)
    ));
    assert!(matches!(
        s.handle_request(now, client(), &[1, 2, 3]),
        DaeDecision::Ignore(DaeDrop::Malformed)
    ));
}

#[test]
fn a_coa_hands_over_what_to_change() {
    let mut s = server();
    let timeout = 600u32.to_be_bytes();
    let datagram = request(
        Code::CoaRequest,
        3,
        "alice",
        SECRET,
        true,
        &[(attr::SESSION_TIMEOUT, &timeout)],
    );
    let DaeDecision::Act(req) = s.handle_request(Instant::now(), client(), &datagram) else {
        panic!("not acted on");
    };
    assert_eq!(req.changes.session_timeout(), Some(600));
    let mut out = [0u8; 4096];
    let n = s.answer(
        Instant::now(),
        &req,
        Outcome::Refused(UNSUPPORTED),
        &mut out,
    );
    assert_eq!(Packet::new_checked(&out[..n]).unwrap().code(), Code::CoaNak);
}
