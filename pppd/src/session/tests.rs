//! Session-level behaviour against a hand-driven peer: timeouts, Protocol-Reject, phases.

use std::time::Duration;

use super::*;
use crate::frame::{
    build_packet, emit_frame, ControlPacket, FramePacket, PROTO_IPCP, PROTO_IPV6, PROTO_IPV6CP,
    PROTO_LCP,
};
use crate::fsm::code as fc;

fn server() -> (Session, Instant) {
    let now = Instant::now();
    let mut s = Session::new(Config::default(), StdRng::seed_from_u64(3));
    s.lower_up(now);
    (s, now)
}

/// Sent frames as (protocol, code, id, data).
fn sent(s: &mut Session) -> Vec<(u16, u8, u8, Vec<u8>)> {
    let mut buf = [0u8; 1504];
    let now = Instant::now();
    std::iter::from_fn(|| {
        let n = s.poll_transmit(now, &mut buf)?;
        let f = FramePacket::new_checked(&buf[..n]).unwrap();
        let p = ControlPacket::new_checked(f.info()).unwrap();
        Some((f.protocol(), p.code(), p.id(), p.data().to_vec()))
    })
    .collect()
}

fn frame(protocol: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    emit_frame(protocol, payload, &mut v);
    v
}

fn feed(s: &mut Session, now: Instant, protocol: u16, code: u8, id: u8, data: &[u8]) -> Received {
    let mut out = vec![0u8; 1500];
    s.handle_frame(
        now,
        &frame(protocol, &build_packet(code, id, data)),
        &mut out,
    )
}

/// Brings the server's LCP to Opened (the authenticator then sends its challenge).
fn lcp_opened() -> (Session, Instant) {
    let (mut s, now) = server();
    let ours = sent(&mut s).remove(0);
    feed(&mut s, now, PROTO_LCP, fc::CONFIGURE_ACK, ours.2, &ours.3);
    feed(
        &mut s,
        now,
        PROTO_LCP,
        fc::CONFIGURE_REQUEST,
        1,
        &[5, 6, 1, 2, 3, 4],
    );
    assert!(s.lcp.is_opened());
    (s, now)
}

#[test]
fn max_configure_without_answer_goes_down() {
    let (mut s, _) = server();
    let mut requests = sent(&mut s).len();
    while let Some(now) = s.poll_timeout() {
        s.handle_timeout(now);
        requests += sent(&mut s).len();
    }
    assert_eq!(requests, 10);
    assert!(s.is_down());
    let Some(Event::Down { reason }) = s.poll_event() else {
        panic!()
    };
    assert!(reason.contains("LCP negotiation timed out"), "{reason}");
}

#[test]
fn windows_lcp_options_are_rejected_through_the_session() {
    let (mut s, now) = server();
    sent(&mut s);
    let req = [
        1, 4, 5, 0x78, 5, 6, 1, 2, 3, 4, 7, 2, 8, 2, 13, 3, 6, 17, 4, 6, 0x4e, 19, 3, 0,
    ];
    feed(&mut s, now, PROTO_LCP, fc::CONFIGURE_REQUEST, 4, &req);
    let reply = sent(&mut s);
    assert_eq!(
        reply,
        vec![(
            PROTO_LCP,
            fc::CONFIGURE_REJECT,
            4,
            vec![13, 3, 6, 17, 4, 6, 0x4e, 19, 3, 0]
        )]
    );
}

#[test]
fn unknown_protocols_rejected_only_when_lcp_opened() {
    let (mut s, now) = server();
    sent(&mut s);
    let mut out = vec![0u8; 1500];
    s.handle_frame(now, &[0xff, 0x03, 0x80, 0x2b, 1, 1, 0, 4], &mut out);
    assert!(sent(&mut s).is_empty());
    assert_eq!(s.stats().unknown_protocol, 1);
    let (mut s, now) = lcp_opened();
    sent(&mut s);
    s.handle_frame(now, &[0xff, 0x03, 0x80, 0x2b, 1, 1, 0, 4], &mut out);
    assert_eq!(
        sent(&mut s),
        vec![(
            PROTO_LCP,
            8,
            s.lcp.fsm.new_id() - 1,
            vec![0x80, 0x2b, 1, 1, 0, 4]
        )]
    );
    // IPV6CP and IPv6 are Protocol-Rejected when IPv6 is off.
    feed(
        &mut s,
        now,
        PROTO_IPV6CP,
        fc::CONFIGURE_REQUEST,
        1,
        &[1, 10, 1, 2, 3, 4, 5, 6, 7, 8],
    );
    s.handle_frame(now, &frame(PROTO_IPV6, &[0x60, 0, 0, 0]), &mut out);
    let r = sent(&mut s);
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|f| f.0 == PROTO_LCP && f.1 == 8));
    assert_eq!(r[0].3[..2], [0x80, 0x57]);
    assert_eq!(r[1].3[..2], [0x00, 0x57]);
}

#[test]
fn network_packets_before_authentication_are_dropped() {
    let (mut s, now) = lcp_opened();
    let challenge = sent(&mut s);
    assert_eq!(challenge.last().unwrap().0, crate::frame::PROTO_CHAP);
    feed(
        &mut s,
        now,
        PROTO_IPCP,
        fc::CONFIGURE_REQUEST,
        1,
        &[3, 6, 0, 0, 0, 0],
    );
    feed(
        &mut s,
        now,
        crate::frame::PROTO_CCP,
        fc::CONFIGURE_REQUEST,
        1,
        &[],
    );
    assert!(sent(&mut s).is_empty());
    assert_eq!(s.stats().wrong_phase, 2);
    let mut out = vec![0u8; 100];
    assert_eq!(s.send_ip(&[0x45, 0, 0, 0], &mut out), None);
}

#[test]
fn silent_authentication_times_out_and_goes_down() {
    let (mut s, _) = lcp_opened();
    let mut guard = 0;
    while let Some(now) = s.poll_timeout() {
        s.handle_timeout(now);
        // Keep answering echoes would need a peer: the peer here stays silent on everything.
        sent(&mut s);
        guard += 1;
        assert!(guard < 100);
    }
    let events: Vec<_> = std::iter::from_fn(|| s.poll_event()).collect();
    assert!(
        matches!(events.first(), Some(Event::AuthFailed { .. })),
        "{events:?}"
    );
    assert!(
        matches!(events.last(), Some(Event::Down { .. })),
        "{events:?}"
    );
}

#[test]
fn peer_terminate_request_brings_session_down_after_restart_timer() {
    let (mut s, now) = lcp_opened();
    sent(&mut s);
    feed(
        &mut s,
        now,
        PROTO_LCP,
        fc::TERMINATE_REQUEST,
        9,
        b"User request",
    );
    assert_eq!(
        sent(&mut s),
        vec![(PROTO_LCP, fc::TERMINATE_ACK, 9, vec![])]
    );
    assert!(!s.is_down());
    s.handle_timeout(now + Duration::from_secs(3));
    assert!(s.is_down());
    let last = std::iter::from_fn(|| s.poll_event()).last();
    let Some(Event::Down { reason }) = last else {
        panic!()
    };
    assert!(reason.contains("User request"), "{reason}");
}

#[test]
fn lcp_renegotiation_before_up_starts_over() {
    let (mut s, now) = lcp_opened();
    sent(&mut s);
    feed(
        &mut s,
        now,
        PROTO_LCP,
        fc::CONFIGURE_REQUEST,
        2,
        &[5, 6, 1, 2, 3, 4],
    );
    let r = sent(&mut s);
    let codes: Vec<u8> = r.iter().filter(|f| f.0 == PROTO_LCP).map(|f| f.1).collect();
    assert_eq!(codes, [fc::CONFIGURE_REQUEST, fc::CONFIGURE_ACK], "{r:?}");
    assert!(!s.is_down());
    // LCP opens again and authentication starts over with a fresh challenge.
    let ours = r
        .iter()
        .find(|f| f.1 == fc::CONFIGURE_REQUEST)
        .unwrap()
        .clone();
    feed(&mut s, now, PROTO_LCP, fc::CONFIGURE_ACK, ours.2, &ours.3);
    assert!(s.lcp.is_opened());
    let challenge = sent(&mut s);
    assert!(
        challenge
            .iter()
            .any(|f| f.0 == crate::frame::PROTO_CHAP && f.1 == 1),
        "{challenge:?}"
    );
}

#[test]
fn a_frame_too_big_for_the_callers_buffer_is_dropped_without_blocking_the_queue() {
    let (mut s, now) = server();
    // The LCP Configure-Request does not fit in 4 bytes.
    assert_eq!(s.poll_transmit(now, &mut [0u8; 4]), None);
    assert!(sent(&mut s).is_empty(), "the frame was dropped, not kept");
    let later = s.poll_timeout().expect("restart timer");
    s.handle_timeout(later);
    let again = sent(&mut s);
    assert_eq!(
        (again.len(), again[0].0, again[0].1),
        (1, PROTO_LCP, fc::CONFIGURE_REQUEST)
    );
}
