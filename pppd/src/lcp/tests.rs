//! LCP option handling, loop-back detection and the LCP-only codes.

use std::time::{Duration, Instant};

use rand::SeedableRng;

use super::*;
use crate::auth::Method;
use crate::config::Role;
use crate::frame::{build_packet, ControlPacket};
use crate::fsm::code as fc;
use crate::fsm::testing::Out;

fn lcp(cfg: &Config) -> Lcp {
    Lcp::new(cfg, StdRng::seed_from_u64(7))
}

/// Sent packets as (code, id, data).
fn sent(l: &mut Lcp) -> Vec<(u8, u8, Vec<u8>)> {
    std::iter::from_fn(|| l.fsm.poll_out())
        .filter_map(|a| match a {
            Out::Send(p) => {
                let v = ControlPacket::new_checked(&p[..]).unwrap();
                Some((v.code(), v.id(), v.data().to_vec()))
            }
            _ => None,
        })
        .collect()
}

/// Opens + ups; returns our first Configure-Request (id, options).
fn start(l: &mut Lcp, now: Instant) -> (u8, Vec<u8>) {
    l.fsm.open(now);
    l.fsm.up(now);
    let s = sent(l);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].0, fc::CONFIGURE_REQUEST);
    (s[0].1, s[0].2.clone())
}

fn opened(cfg: &Config, now: Instant) -> Lcp {
    let mut l = lcp(cfg);
    let (id, req) = start(&mut l, now);
    l.receive(now, &build_packet(fc::CONFIGURE_ACK, id, &req));
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REQUEST, 1, &[5, 6, 1, 2, 3, 4]),
    );
    assert!(l.is_opened());
    sent(&mut l);
    l
}

fn magic_of(req: &[u8]) -> [u8; 4] {
    let opts = crate::fsm::Options::new_checked(req).unwrap();
    opts.iter()
        .find(|o| o.kind == opt::MAGIC)
        .unwrap()
        .data
        .try_into()
        .unwrap()
}

#[test]
fn server_request_has_mru_auth_and_magic() {
    let mut l = lcp(&Config::default());
    let (_, req) = start(&mut l, Instant::now());
    assert_eq!(req[..9], [1, 4, 0x05, 0x78, 3, 5, 0xc2, 0x23, 0x81]);
    assert_eq!(req[9..11], [5, 6]);
    assert_ne!(magic_of(&req), [0; 4]);
}

#[test]
fn windows_request_gets_exactly_callback_mrru_endpoint_rejected() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    start(&mut l, now);
    let mut endpoint = vec![19, 23, 1];
    endpoint.extend_from_slice(&[0xab; 20]);
    let mut req = vec![
        1, 4, 0x05, 0x78, 5, 6, 0x11, 0x22, 0x33, 0x44, 7, 2, 8, 2, 13, 3, 6,
    ];
    req.extend_from_slice(&[17, 4, 0x06, 0x4e]);
    req.extend_from_slice(&endpoint);
    l.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 1, &req));
    let mut expected = vec![13, 3, 6, 17, 4, 0x06, 0x4e];
    expected.extend_from_slice(&endpoint);
    assert_eq!(sent(&mut l), vec![(fc::CONFIGURE_REJECT, 1, expected)]);
    // The retry without them is acknowledged.
    let req2 = [
        1, 4, 0x05, 0x78, 5, 6, 0x11, 0x22, 0x33, 0x44, 7, 2, 8, 2, 2, 6, 0, 0, 0, 0,
    ];
    l.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 2, &req2));
    assert_eq!(sent(&mut l), vec![(fc::CONFIGURE_ACK, 2, req2.to_vec())]);
    let p = l.fsm.handler.peer();
    assert_eq!(
        (p.mru, p.magic, p.pfc, p.acfc),
        (1400, 0x11223344, true, true)
    );
}

#[test]
fn short_sequence_quality_and_unknown_options_rejected() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    start(&mut l, now);
    let req = [18, 2, 4, 4, 0xc0, 0x25, 99, 3, 1, 1, 3, 0];
    l.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 3, &req));
    assert_eq!(sent(&mut l), vec![(fc::CONFIGURE_REJECT, 3, req.to_vec())]);
}

#[test]
fn small_mru_is_naked_and_server_rejects_auth_request() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    start(&mut l, now);
    l.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 3, &[1, 4, 0, 64]));
    assert_eq!(
        sent(&mut l),
        vec![(fc::CONFIGURE_NAK, 3, vec![1, 4, 0, 128])]
    );
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REQUEST, 4, &[3, 4, 0xc0, 0x23]),
    );
    assert_eq!(
        sent(&mut l),
        vec![(fc::CONFIGURE_REJECT, 4, vec![3, 4, 0xc0, 0x23])]
    );
}

#[test]
fn loopback_detection_naks_and_changes_magic_then_gives_up() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    let (_, req) = start(&mut l, now);
    // A zero magic is Nak'ed.
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REQUEST, 9, &[5, 6, 0, 0, 0, 0]),
    );
    assert_eq!(sent(&mut l)[0].0, fc::CONFIGURE_NAK);
    let mut magic = magic_of(&req);
    for i in 0..3 {
        let looped = [5, 6, magic[0], magic[1], magic[2], magic[3]];
        l.receive(now, &build_packet(fc::CONFIGURE_REQUEST, i, &looped));
        let s = sent(&mut l);
        assert_eq!(s[0].0, fc::CONFIGURE_NAK);
        assert_eq!(s[0].2[..2], [5, 6]);
        assert_ne!(s[0].2[2..], magic);
        let now_ours = l.fsm.handler.magic().to_be_bytes();
        assert_ne!(now_ours, magic, "our magic changes after a collision");
        magic = now_ours;
        let failure = l.fsm.handler.take_failure();
        assert_eq!(failure.is_some(), i == 2);
    }
}

#[test]
fn server_auth_nak_follows_acceptable_suggestion_only() {
    let now = Instant::now();
    let cfg = Config {
        auth_methods: vec![Method::MsChapV2, Method::ChapMd5],
        ..Config::default()
    };
    let mut l = lcp(&cfg);
    let (id, _) = start(&mut l, now);
    // Suggestion in our list: taken.
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_NAK, id, &[3, 5, 0xc2, 0x23, 0x05]),
    );
    let s = sent(&mut l);
    assert_eq!(s[0].2[4..9], [3, 5, 0xc2, 0x23, 0x05]);
    // PAP is not acceptable: we move on to an untried method (MS-CHAPv2 again is tried... none left).
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_NAK, s[0].1, &[3, 4, 0xc0, 0x23]),
    );
    let s = sent(&mut l);
    assert_eq!(s[0].2[4..9], [3, 5, 0xc2, 0x23, 0x81]);
    assert!(l.fsm.handler.take_failure().is_none());
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_NAK, s[0].1, &[3, 4, 0xc0, 0x23]),
    );
    assert!(l.fsm.handler.take_failure().unwrap().contains("refuses"));
}

#[test]
fn server_fails_when_auth_rejected_and_records_acked_method() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    let (id, req) = start(&mut l, now);
    l.receive(now, &build_packet(fc::CONFIGURE_ACK, id, &req));
    assert_eq!(l.fsm.handler.auth_method(), Some(Method::MsChapV2));
    let mut l = lcp(&Config::default());
    let (id, _) = start(&mut l, now);
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REJECT, id, &[3, 5, 0xc2, 0x23, 0x81]),
    );
    assert!(l.fsm.handler.take_failure().unwrap().contains("refused"));
}

#[test]
fn client_naks_unacceptable_method_and_accepts_good_one() {
    let now = Instant::now();
    let cfg = Config {
        role: Role::Client,
        ..Config::default()
    };
    let mut l = lcp(&cfg);
    let (_, req) = start(&mut l, now);
    assert!(
        !req.windows(2).any(|w| w == [3, 5]),
        "client asks no authentication"
    );
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REQUEST, 1, &[3, 4, 0xc0, 0x23]),
    );
    assert_eq!(
        sent(&mut l),
        vec![(fc::CONFIGURE_NAK, 1, vec![3, 5, 0xc2, 0x23, 0x81])]
    );
    l.receive(
        now,
        &build_packet(fc::CONFIGURE_REQUEST, 2, &[3, 5, 0xc2, 0x23, 0x81]),
    );
    assert_eq!(sent(&mut l)[0].0, fc::CONFIGURE_ACK);
    assert_eq!(l.fsm.handler.auth_method(), Some(Method::MsChapV2));
}

#[test]
fn echo_request_answered_with_our_magic_only_when_opened() {
    let now = Instant::now();
    let mut l = lcp(&Config::default());
    start(&mut l, now);
    l.receive(now, &build_packet(code::ECHO_REQUEST, 5, &[0, 0, 0, 1, 9]));
    assert!(sent(&mut l).is_empty());
    let mut l = opened(&Config::default(), now);
    l.receive(
        now,
        &build_packet(code::ECHO_REQUEST, 5, &[1, 2, 3, 4, 9, 8]),
    );
    let mut data = l.fsm.handler.magic().to_be_bytes().to_vec();
    data.extend_from_slice(&[9, 8]);
    assert_eq!(sent(&mut l), vec![(code::ECHO_REPLY, 5, data)]);
    // Short Echo-Request, and one with our own magic (loop), are dropped.
    assert!(matches!(
        l.receive(now, &build_packet(code::ECHO_REQUEST, 6, &[1])),
        LcpInput::Invalid(_)
    ));
    let ours = l.fsm.handler.magic().to_be_bytes();
    assert!(matches!(
        l.receive(now, &build_packet(code::ECHO_REQUEST, 7, &ours)),
        LcpInput::Invalid(_)
    ));
    assert!(sent(&mut l).is_empty());
}

#[test]
fn silent_codes_unknown_codes_and_protocol_reject() {
    let now = Instant::now();
    let mut l = opened(&Config::default(), now);
    for c in [
        code::DISCARD_REQUEST,
        code::IDENTIFICATION,
        code::TIME_REMAINING,
    ] {
        assert_eq!(
            l.receive(now, &build_packet(c, 1, &[0, 0, 0, 0, b'x'])),
            LcpInput::Consumed
        );
    }
    assert!(sent(&mut l).is_empty());
    let unknown = build_packet(77, 3, &[1]);
    l.receive(now, &unknown);
    let s = sent(&mut l);
    assert_eq!((s[0].0, &s[0].2), (fc::CODE_REJECT, &unknown));
    assert_eq!(
        l.receive(
            now,
            &build_packet(code::PROTOCOL_REJECT, 2, &[0x80, 0xfd, 1, 1])
        ),
        LcpInput::ProtocolRejected(0x80fd)
    );
    l.protocol_reject(0x1234, &[1, 2, 3]);
    let s = sent(&mut l);
    assert_eq!(
        (s[0].0, &s[0].2[..]),
        (code::PROTOCOL_REJECT, &[0x12, 0x34, 1, 2, 3][..])
    );
}

#[test]
fn keepalive_sends_echoes_and_detects_death() {
    let now = Instant::now();
    let mut l = opened(&Config::default(), now);
    l.start_keepalive(now);
    let ten = Duration::from_secs(10);
    assert_eq!(l.keepalive_deadline(), Some(now + ten));
    assert!(l.handle_keepalive(now + ten));
    let s = sent(&mut l);
    assert_eq!(
        (s[0].0, s[0].2.clone()),
        (
            code::ECHO_REQUEST,
            l.fsm.handler.magic().to_be_bytes().to_vec()
        )
    );
    l.receive(now, &build_packet(code::ECHO_REPLY, s[0].1, &[9, 9, 9, 9]));
    assert!(l.handle_keepalive(now + ten * 2));
    assert!(l.handle_keepalive(now + ten * 3));
    assert!(l.handle_keepalive(now + ten * 4));
    assert!(!l.handle_keepalive(now + ten * 5));
}
