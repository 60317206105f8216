use std::time::Instant;

use super::super::config::Role;
use super::super::msg_conn::Sccrp;
use super::super::testutil::*;
use super::*;
use BadControlInput::*;

fn bad(what: BadControlInput) -> ControlEvent {
    ControlEvent::BadInput(what)
}

fn requested(conn: &mut ControlConnection) -> CallRequest {
    match &events(conn)[..] {
        [ControlEvent::CallRequested(req)] => req.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn outgoing_call_accepted() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    assert_eq!(
        (req.peer_call_id, req.peer_recv_window, req.incoming),
        (10, 32, false)
    );
    assert!(sent(&mut conn).is_empty());
    conn.accept_call(req.token, 500);
    let out = sent(&mut conn);
    let [Message::Ocrp(reply)] = &out[..] else {
        panic!("{out:?}")
    };
    assert_eq!(
        (reply.call_id, reply.peer_call_id, reply.result_code),
        (500, 10, OCRP_CONNECTED)
    );
    assert_eq!((reply.connect_speed, reply.recv_window), (1_000_000, 64));
    // Answering twice does nothing more than report the stale token.
    conn.accept_call(req.token, 501);
    assert!(sent(&mut conn).is_empty());
}

#[test]
fn outgoing_call_refused() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    conn.refuse_call(req.token, "pool exhausted");
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
        if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_NO_RESOURCE
            && r.peer_call_id == 10));
    assert!(events(&mut conn).is_empty());
    // The slot is free again.
    feed(&mut conn, t, ocrq(10));
    requested(&mut conn);
}

#[test]
fn max_calls_and_duplicates() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(1));
    let first = requested(&mut conn);
    feed(&mut conn, t, ocrq(1));
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
        if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_BAD_VALUE));
    assert_eq!(
        events(&mut conn),
        [bad(Unexpected(MessageType::OutgoingCallRequest))]
    );
    feed(&mut conn, t, ocrq(2));
    requested(&mut conn);
    feed(&mut conn, t, ocrq(3));
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
        if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_NO_RESOURCE
            && r.peer_call_id == 3));
    assert_eq!(events(&mut conn), [bad(TooManyCalls)]);
    assert_eq!(conn.stats().calls_refused, 1);
    // A call id the driver hands out twice on one connection is refused.
    conn.accept_call(first.token, 7);
    sent(&mut conn);
    feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 2 }));
    feed(&mut conn, t, ocrq(4));
    let fourth = requested(&mut conn);
    conn.accept_call(fourth.token, 7);
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
        if r.error_code == ERROR_BAD_CALL_ID));
    assert!(events(&mut conn).is_empty());
}

#[test]
fn incoming_call() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(
        &mut conn,
        t,
        Message::Icrq(Icrq {
            call_id: 33,
            ..Icrq::default()
        }),
    );
    let req = requested(&mut conn);
    assert_eq!(
        (req.peer_call_id, req.peer_recv_window, req.incoming),
        (33, 0, true)
    );
    conn.accept_call(req.token, 900);
    assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
        if r.result_code == ICRP_CONNECT && r.call_id == 900 && r.peer_call_id == 33));
    let iccn = Iccn {
        peer_call_id: 900,
        recv_window: 16,
        ..Iccn::default()
    };
    feed(&mut conn, t, Message::Iccn(iccn.clone()));
    assert_eq!(
        events(&mut conn),
        vec![ControlEvent::CallEstablished {
            call_id: 900,
            peer_call_id: 33,
            peer_recv_window: 16
        }]
    );
    // Repeated or unknown ICCN is counted and ignored.
    feed(&mut conn, t, Message::Iccn(iccn));
    feed(
        &mut conn,
        t,
        Message::Iccn(Iccn {
            peer_call_id: 1,
            ..Iccn::default()
        }),
    );
    let iccn_kind = MessageType::IncomingCallConnected;
    assert_eq!(
        events(&mut conn),
        [bad(Unexpected(iccn_kind)), bad(UnknownCall(iccn_kind))]
    );
    assert_eq!((conn.stats().unexpected, conn.stats().unknown_call), (1, 1));
    // Refusing an incoming call answers ICRP.
    feed(
        &mut conn,
        t,
        Message::Icrq(Icrq {
            call_id: 34,
            ..Icrq::default()
        }),
    );
    let req = requested(&mut conn);
    conn.refuse_call(req.token, "no");
    assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
        if r.result_code == ICRP_GENERAL_ERROR));
}

#[test]
fn peer_clears_calls() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    conn.accept_call(req.token, 500);
    sent(&mut conn);
    feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
    assert!(matches!(&sent(&mut conn)[..], [Message::Cdn(c)]
        if c.call_id == 500 && c.result_code == CDN_REQUEST));
    assert!(matches!(
        &events(&mut conn)[..],
        [ControlEvent::CallCleared { call_id: 500, .. }]
    ));
    feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
    assert_eq!(conn.stats().unknown_call, 1);
    assert_eq!(
        events(&mut conn),
        [bad(UnknownCall(MessageType::CallClearRequest))]
    );

    // CDN from the peer.
    feed(&mut conn, t, ocrq(11));
    let req = requested(&mut conn);
    conn.accept_call(req.token, 501);
    sent(&mut conn);
    let cdn = Cdn {
        call_id: 11,
        result_code: CDN_LOST_CARRIER,
        call_statistics: "stats".into(),
        ..Cdn::default()
    };
    feed(&mut conn, t, Message::Cdn(cdn.clone()));
    assert!(sent(&mut conn).is_empty());
    assert_eq!(
        events(&mut conn),
        vec![ControlEvent::CallCleared {
            call_id: 501,
            reason: "peer disconnected the call: lost carrier (stats)".into()
        }]
    );
    feed(&mut conn, t, Message::Cdn(cdn));
    assert_eq!(conn.stats().unknown_call, 2);
}

#[test]
fn request_withdrawn_before_answer() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
    assert!(sent(&mut conn).is_empty());
    conn.accept_call(req.token, 500);
    assert!(sent(&mut conn).is_empty());
    assert!(matches!(
        &events(&mut conn)[..],
        [ControlEvent::CallCleared { call_id: 500, .. }]
    ));
}

#[test]
fn server_clears_call() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    conn.accept_call(req.token, 500);
    sent(&mut conn);
    conn.clear_call(500, "idle timeout");
    assert!(matches!(&sent(&mut conn)[..], [Message::Cdn(c)]
        if c.call_id == 500 && c.result_code == CDN_ADMIN_SHUTDOWN
            && c.call_statistics == "idle timeout"));
    conn.clear_call(500, "again");
    assert!(sent(&mut conn).is_empty());
    assert!(events(&mut conn).is_empty());
}

#[test]
fn sli_and_wen() {
    let t = Instant::now();
    let mut conn = established_server(t);
    feed(&mut conn, t, ocrq(10));
    let req = requested(&mut conn);
    conn.accept_call(req.token, 500);
    sent(&mut conn);
    let sli = Sli {
        peer_call_id: 500,
        send_accm: u32::MAX,
        recv_accm: u32::MAX,
    };
    feed(&mut conn, t, Message::Sli(sli));
    feed(
        &mut conn,
        t,
        Message::Wen(Wen {
            peer_call_id: 500,
            crc_errors: 1,
            ..Wen::default()
        }),
    );
    assert_eq!(conn.stats(), &Default::default());
    feed(
        &mut conn,
        t,
        Message::Sli(Sli {
            peer_call_id: 1,
            ..Sli::default()
        }),
    );
    assert_eq!(conn.stats().unknown_call, 1);
    assert!(sent(&mut conn).is_empty());
    assert_eq!(
        events(&mut conn),
        [bad(UnknownCall(MessageType::SetLinkInfo))]
    );
    assert!(conn.is_established());
}

fn established_client(t: Instant) -> ControlConnection {
    let mut conn = ControlConnection::new(config(Role::Client), t);
    conn.start(t);
    sent(&mut conn);
    feed(
        &mut conn,
        t,
        Message::Sccrp(Sccrp {
            protocol_version: PROTOCOL_VERSION,
            result_code: SCCRP_SUCCESS,
            ..Sccrp::default()
        }),
    );
    conn
}

#[test]
fn client_calls() {
    let t = Instant::now();
    let mut conn = ControlConnection::new(config(Role::Client), t);
    conn.start(t);
    sent(&mut conn);
    // Placed before SCCRP: sent once the connection is up.
    conn.place_call(100);
    assert!(sent(&mut conn).is_empty());
    feed(
        &mut conn,
        t,
        Message::Sccrp(Sccrp {
            protocol_version: PROTOCOL_VERSION,
            result_code: SCCRP_SUCCESS,
            ..Sccrp::default()
        }),
    );
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrq(r)]
        if r.call_id == 100 && r.recv_window == 64));
    conn.place_call(101);
    sent(&mut conn);
    conn.place_call(102);
    assert!(matches!(
        &events(&mut conn)[..],
        [ControlEvent::CallCleared { call_id: 102, .. }]
    ));
    let ok = Ocrp {
        call_id: 7000,
        peer_call_id: 100,
        result_code: OCRP_CONNECTED,
        recv_window: 16,
        ..Ocrp::default()
    };
    feed(&mut conn, t, Message::Ocrp(ok));
    assert_eq!(
        events(&mut conn),
        vec![ControlEvent::CallEstablished {
            call_id: 100,
            peer_call_id: 7000,
            peer_recv_window: 16
        }]
    );
    let busy = Ocrp {
        peer_call_id: 101,
        result_code: OCRP_BUSY,
        ..Ocrp::default()
    };
    feed(&mut conn, t, Message::Ocrp(busy));
    assert_eq!(
        events(&mut conn),
        vec![ControlEvent::CallCleared {
            call_id: 101,
            reason: "call refused: busy (error 0)".into()
        }]
    );
    // We clear: CCRQ with our id; the CDN that follows is quiet.
    conn.clear_call(100, "user hung up");
    assert!(matches!(&sent(&mut conn)[..], [Message::Ccrq(c)] if c.call_id == 100));
    feed(
        &mut conn,
        t,
        Message::Cdn(Cdn {
            call_id: 7000,
            result_code: CDN_REQUEST,
            ..Cdn::default()
        }),
    );
    assert!(events(&mut conn).is_empty());
    assert_eq!(conn.stats(), &Default::default());
}

#[test]
fn client_refuses_call_requests() {
    let t = Instant::now();
    let mut conn = established_client(t);
    feed(&mut conn, t, ocrq(5));
    assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
        if r.result_code == OCRP_DO_NOT_ACCEPT && r.peer_call_id == 5));
    feed(
        &mut conn,
        t,
        Message::Icrq(Icrq {
            call_id: 6,
            ..Icrq::default()
        }),
    );
    assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
        if r.result_code == ICRP_DO_NOT_ACCEPT));
    assert_eq!(conn.stats().unexpected, 2);
    assert_eq!(
        events(&mut conn),
        [
            bad(Unexpected(MessageType::OutgoingCallRequest)),
            bad(Unexpected(MessageType::IncomingCallRequest))
        ]
    );
}

#[test]
fn place_call_refusals() {
    let t = Instant::now();
    let mut server = established_server(t);
    server.place_call(1);
    assert!(matches!(
        &events(&mut server)[..],
        [ControlEvent::CallCleared { call_id: 1, .. }]
    ));
    let mut client = established_client(t);
    client.place_call(1);
    client.place_call(1);
    assert!(
        matches!(&events(&mut client)[..], [ControlEvent::CallCleared { call_id: 1, reason }]
        if reason.contains("in use"))
    );
    client.shutdown(t, "bye");
    client.place_call(2);
    assert!(matches!(
        &events(&mut client)[..],
        [ControlEvent::CallCleared { call_id: 2, .. }]
    ));
}
