use std::time::Duration;

use super::super::config::{ControlConfig, ControlEvent};
use super::super::connection::STOP_REPLY_TIMEOUT;
use super::super::header::MAGIC_COOKIE;
use super::super::msg_conn::EchoRequest;
use super::super::stats::ControlStats;
use super::super::testutil::*;
use super::*;

#[test]
fn sccrq_accepted() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Server), t);
    assert!(!conn.is_established());
    feed(&mut conn, t, sccrq(PROTOCOL_VERSION));
    let out = sent(&mut conn);
    let [Message::Sccrp(reply)] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(reply.result_code, SCCRP_SUCCESS);
    assert_eq!(reply.protocol_version, PROTOCOL_VERSION);
    assert_eq!(reply.max_channels, 2);
    assert_eq!(reply.hostname, "rasd");
    assert!(conn.is_established());
    assert!(events(&mut conn).is_empty());
}

#[test]
fn wrong_version_refused() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Server), t);
    feed(&mut conn, t, sccrq(0x0200));
    let out = sent(&mut conn);
    assert!(matches!(&out[..], [Message::Sccrp(r)] if r.result_code == SCCRP_BAD_VERSION));
    let ev = events(&mut conn);
    assert!(closed_reason(&ev).unwrap().contains("0x0200"));
    assert!(conn.is_closed());
    assert_eq!(conn.stats().bad_version, 1);
}

#[test]
fn message_before_sccrq() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Server), t);
    feed(&mut conn, t, ocrq(1));
    let out = sent(&mut conn);
    assert!(matches!(&out[..], [Message::Sccrp(r)]
        if r.result_code == SCCRP_GENERAL_ERROR && r.error_code == ERROR_NOT_CONNECTED));
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .contains("OCRQ before"));
    assert_eq!(conn.stats().unexpected, 1);
    // Everything after Closed is ignored.
    feed(&mut conn, t, sccrq(PROTOCOL_VERSION));
    assert!(sent(&mut conn).is_empty() && events(&mut conn).is_empty());
    assert_eq!(conn.poll_timeout(), None);
}

#[test]
fn setup_timeout() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Server), t);
    let deadline = t + ControlConfig::default().setup_timeout;
    assert_eq!(conn.poll_timeout(), Some(deadline));
    conn.handle_timeout(deadline - Duration::from_millis(1));
    assert!(!conn.is_closed());
    conn.handle_timeout(deadline);
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .starts_with("setup timeout"));
}

#[test]
fn echo_when_idle_and_reply_clears() {
    let t = Instant::now();
    let mut conn = established_server(t);
    let cfg = ControlConfig::default();
    assert_eq!(conn.poll_timeout(), Some(t + cfg.echo_interval));
    let t1 = t + cfg.echo_interval;
    conn.handle_timeout(t1);
    let out = sent(&mut conn);
    let [Message::EchoRequest(req)] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(conn.poll_timeout(), Some(t1 + cfg.echo_timeout));
    // A reply with the wrong identifier does not count.
    let wrong = EchoReply {
        identifier: req.identifier + 1,
        result_code: 1,
        error_code: 0,
    };
    feed(&mut conn, t1, Message::EchoReply(wrong));
    assert_eq!(conn.stats().echo_mismatch, 1);
    let t2 = t1 + Duration::from_secs(1);
    let right = EchoReply {
        identifier: req.identifier,
        result_code: 1,
        error_code: 0,
    };
    feed(&mut conn, t2, Message::EchoReply(right));
    assert_eq!(conn.poll_timeout(), Some(t2 + cfg.echo_interval));
    conn.handle_timeout(t1 + cfg.echo_timeout);
    assert!(!conn.is_closed());
}

#[test]
fn echo_timeout_closes() {
    let t = Instant::now();
    let mut conn = established_server(t);
    let cfg = ControlConfig::default();
    conn.handle_timeout(t + cfg.echo_interval);
    assert_eq!(sent(&mut conn).len(), 1);
    conn.handle_timeout(t + cfg.echo_interval + cfg.echo_timeout);
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .starts_with("echo timeout"));
}

#[test]
fn echo_disabled() {
    let t = Instant::now();
    let cfg = ControlConfig {
        echo_interval: Duration::ZERO,
        ..config(Role::Server)
    };
    let mut conn = ControlConnection::new(cfg, t);
    feed(&mut conn, t, sccrq(PROTOCOL_VERSION));
    assert_eq!(conn.poll_timeout(), None);
    conn.handle_timeout(t + Duration::from_secs(3600));
    assert!(!conn.is_closed());
}

#[test]
fn peer_echo_answered() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(
        &mut conn,
        t,
        Message::EchoRequest(EchoRequest { identifier: 77 }),
    );
    let out = sent(&mut conn);
    assert!(matches!(&out[..], [Message::EchoReply(r)]
        if r.identifier == 77 && r.result_code == RESULT_OK));
}

#[test]
fn peer_stop_request() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, Message::StopCcrq(StopCcrq { reason: 1 }));
    assert!(matches!(&sent(&mut conn)[..], [Message::StopCcrp(r)] if r.result_code == RESULT_OK));
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .contains("peer stopped"));
}

#[test]
fn our_shutdown() {
    let t = Instant::now();
    let mut conn = established_server(t);
    conn.shutdown(t, "admin");
    assert!(matches!(&sent(&mut conn)[..], [Message::StopCcrq(r)]
        if r.reason == STOP_REASON_LOCAL_SHUTDOWN));
    assert_eq!(conn.poll_timeout(), Some(t + STOP_REPLY_TIMEOUT));
    conn.shutdown(t, "again");
    assert!(sent(&mut conn).is_empty());
    feed(
        &mut conn,
        t,
        Message::StopCcrp(StopCcrp {
            result_code: 1,
            error_code: 0,
        }),
    );
    assert_eq!(
        events(&mut conn),
        vec![ControlEvent::Closed {
            reason: "admin".into()
        }]
    );

    // Without a reply the stop timer closes.
    let mut conn = established_server(t);
    conn.shutdown(t, "admin");
    conn.handle_timeout(t + STOP_REPLY_TIMEOUT);
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .contains("no Stop-Control-Connection-Reply"));

    // Before SCCRQ there is nothing to stop.
    let mut conn = ControlConnection::new(config(Role::Server), t);
    conn.shutdown(t, "bye");
    assert!(sent(&mut conn).is_empty());
    assert!(conn.is_closed());
}

#[test]
fn crossing_stop_requests() {
    let t = Instant::now();
    let mut conn = established_server(t);
    conn.shutdown(t, "admin");
    sent(&mut conn);
    feed(&mut conn, t, Message::StopCcrq(StopCcrq { reason: 1 }));
    assert!(matches!(&sent(&mut conn)[..], [Message::StopCcrp(_)]));
    assert!(conn.is_closed());
}

#[test]
fn second_sccrq_and_unexpected_messages() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, sccrq(PROTOCOL_VERSION));
    assert!(matches!(&sent(&mut conn)[..], [Message::Sccrp(r)]
        if r.result_code == SCCRP_CHANNEL_EXISTS));
    feed(&mut conn, t, Message::Sccrp(Sccrp::default()));
    feed(&mut conn, t, Message::StopCcrp(StopCcrp::default()));
    assert!(sent(&mut conn).is_empty());
    assert!(conn.is_established());
    assert_eq!(conn.stats().unexpected, 3);
}

fn raw(len: u16, pptp_type: u16, magic: u32, kind: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&len.to_be_bytes());
    v.extend_from_slice(&pptp_type.to_be_bytes());
    v.extend_from_slice(&magic.to_be_bytes());
    v.extend_from_slice(&kind.to_be_bytes());
    v.extend_from_slice(&[0; 2]);
    v
}

#[test]
fn bad_input_closes_with_reason() {
    type Counter = fn(&ControlStats) -> u64;
    let cases: [(Vec<u8>, Counter, &str); 6] = [
        (raw(16, 1, 0x1111_1111, 5), |s| s.bad_magic, "magic"),
        (raw(0x400, 1, MAGIC_COOKIE, 5), |s| s.oversized, "too large"),
        (raw(8, 1, MAGIC_COOKIE, 5), |s| s.too_short, "shorter"),
        (raw(16, 1, MAGIC_COOKIE, 99), |s| s.unknown_type, "unknown"),
        (
            raw(24, 1, MAGIC_COOKIE, 5),
            |s| s.wrong_length,
            "must be 16",
        ),
        (
            raw(16, 2, MAGIC_COOKIE, 5),
            |s| s.not_control,
            "not a control",
        ),
    ];
    for (bytes, counter, reason) in cases {
        let t = Instant::now();
        let mut conn = established_server(t);
        conn.handle_bytes(t, &bytes);
        let ev = events(&mut conn);
        assert!(closed_reason(&ev).unwrap().contains(reason), "{ev:?}");
        assert_eq!(counter(conn.stats()), 1);
        assert!(sent(&mut conn).is_empty());
    }
}

#[test]
fn idle_client_rejects_input() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Client), t);
    assert_eq!(conn.poll_timeout(), None);
    feed(&mut conn, t, Message::Sccrp(Sccrp::default()));
    assert!(conn.is_closed());
    assert_eq!(conn.stats().unexpected, 1);
}

#[test]
fn client_setup() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Client), t);
    conn.start(t);
    assert!(matches!(&sent(&mut conn)[..], [Message::Sccrq(r)]
        if r.protocol_version == PROTOCOL_VERSION && r.max_channels == 0));
    // Echo before SCCRP is answered.
    feed(
        &mut conn,
        t,
        Message::EchoRequest(EchoRequest { identifier: 3 }),
    );
    assert!(matches!(&sent(&mut conn)[..], [Message::EchoReply(_)]));
    // Refused.
    feed(
        &mut conn,
        t,
        Message::Sccrp(Sccrp {
            result_code: SCCRP_NOT_AUTHORIZED,
            ..Sccrp::default()
        }),
    );
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .contains("requester not authorized"));

    // Wrong version: StopCCRQ (protocol) and close.
    let mut conn = ControlConnection::new(config(Role::Client), t);
    conn.start(t);
    sent(&mut conn);
    feed(
        &mut conn,
        t,
        Message::Sccrp(Sccrp {
            protocol_version: 0x0101,
            result_code: SCCRP_SUCCESS,
            ..Sccrp::default()
        }),
    );
    assert!(matches!(&sent(&mut conn)[..], [Message::StopCcrq(r)]
        if r.reason == STOP_REASON_PROTOCOL));
    assert!(conn.is_closed());

    // No answer at all.
    let mut conn = ControlConnection::new(config(Role::Client), t);
    conn.start(t);
    let deadline = conn.poll_timeout().unwrap();
    conn.handle_timeout(deadline);
    assert!(closed_reason(&events(&mut conn))
        .unwrap()
        .contains("no Start-Control-Connection-Reply"));
}
