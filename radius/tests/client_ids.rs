//! Identifier spaces per (socket, server), and the bound on requests in flight.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use radius::client::{Event, FailReason, Purpose, Request, RequestError};
use radius::wire::Code;

#[test]
fn identifiers_are_never_reused_while_outstanding() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    for i in 0..256 {
        h.login(&format!("user{i}"));
    }
    let sent = h.transmit();
    let ids: HashSet<u8> = sent.iter().map(Sent::identifier).collect();
    assert_eq!((sent.len(), ids.len()), (256, 256));

    let waiting = h.login("waiting");
    assert!(
        h.transmit().is_empty(),
        "no identifier left: the request waits"
    );
    assert_eq!((h.client.in_flight(), h.client.queued()), (256, 1));

    h.deliver(&sent[41], &accept(&sent[41]));
    let next = h.transmit();
    assert_eq!(next.len(), 1);
    assert_eq!(
        next[0].identifier(),
        sent[41].identifier(),
        "freed by its answer, and only then"
    );
    h.deliver(&next[0], &accept(&next[0]));
    assert!(replies(&h.events()).iter().any(|&(id, _)| id == waiting));
}

#[test]
fn a_timeout_frees_the_identifier() {
    let mut cfg = config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]);
    cfg.retries = 0;
    cfg.dead_time = Duration::ZERO;
    let mut h = Harness::new(cfg);
    for i in 0..256 {
        h.login(&format!("user{i}"));
    }
    h.transmit();
    h.login("waiting");
    assert!(h.transmit().is_empty());
    h.run_to_deadline();
    let failed = h
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Failed {
                    reason: FailReason::Timeout,
                    ..
                }
            )
        })
        .count();
    assert_eq!(failed, 256);
    assert_eq!(
        h.transmit().len(),
        1,
        "the waiting request took a freed identifier"
    );
}

#[test]
fn each_socket_slot_has_its_own_identifier_space() {
    let mut cfg = config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]);
    cfg.sockets = 2;
    let mut h = Harness::new(cfg);
    for i in 0..512 {
        h.login(&format!("user{i}"));
    }
    let sent = h.transmit();
    assert_eq!(sent.len(), 512);
    let pairs: HashSet<(usize, u8)> = sent.iter().map(|s| (s.socket, s.identifier())).collect();
    assert_eq!(pairs.len(), 512);
    assert_eq!(sent.iter().filter(|s| s.socket == 1).count(), 256);
    h.login("waiting");
    assert!(h.transmit().is_empty());
}

#[test]
fn the_in_flight_bound_queues_then_refuses() {
    let mut cfg = config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]);
    cfg.max_in_flight = 2;
    cfg.max_queued = 1;
    let mut h = Harness::new(cfg);
    h.login("a");
    h.login("b");
    let c = h.login("c");
    let request = Request {
        code: Code::AccessRequest,
        attributes: radius::login::pap("d", b"pw"),
    };
    assert_eq!(
        h.client.handle_request(h.now, Purpose::Auth, request),
        Err(RequestError::Busy)
    );
    assert_eq!(h.client.stats().busy, 1);
    let sent = h.transmit();
    assert_eq!((sent.len(), h.client.queued()), (2, 1));

    h.deliver(&sent[0], &accept(&sent[0]));
    let next = h.transmit();
    assert_eq!(next.len(), 1);
    h.deliver(&next[0], &accept(&next[0]));
    assert!(replies(&h.events()).iter().any(|&(id, _)| id == c));
}

#[test]
fn requests_without_a_server_or_too_long_are_refused() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    let acct = Request {
        code: Code::AccountingRequest,
        attributes: accounting("s1"),
    };
    assert_eq!(
        h.client.handle_request(h.now, Purpose::Accounting, acct),
        Err(RequestError::NoServer)
    );
    let long = Request {
        code: Code::AccessRequest,
        attributes: radius::login::pap("u", &[b'x'; 129]),
    };
    assert_eq!(
        h.client.handle_request(h.now, Purpose::Auth, long),
        Err(RequestError::TooLong)
    );
}
