//! Retransmission with back-off, failover by priority, and failure after every server.

mod common;

use std::time::Duration;

use common::*;
use radius::client::{Event, FailReason, Purpose};
use radius::wire::Code;

#[test]
fn access_request_is_retransmitted_identically_with_doubling_waits() {
    let mut cfg = config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]);
    cfg.retries = 3;
    let mut h = Harness::new(cfg);
    let id = h.login("alice");
    let first = h.transmit();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].to, addr("192.0.2.1:1812"));

    let mut waits = Vec::new();
    for _ in 0..3 {
        waits.push(h.run_to_deadline());
        let again = h.transmit();
        assert_eq!(again.len(), 1);
        assert_eq!(
            again[0].bytes, first[0].bytes,
            "a retransmission is the same datagram"
        );
    }
    waits.push(h.run_to_deadline());
    assert_eq!(
        waits,
        [3, 6, 8, 8].map(Duration::from_secs),
        "doubling, capped at max_timeout"
    );
    assert!(h.transmit().is_empty());
    let events = h.events();
    assert!(events.contains(&Event::ServerDead {
        server: 0,
        addr: addr("192.0.2.1:1812")
    }));
    assert!(events.contains(&Event::Failed {
        id,
        reason: FailReason::Timeout
    }));
    let stats = h.client.stats();
    assert_eq!((stats.sent, stats.retransmitted, stats.failed), (4, 3, 1));
    assert_eq!(h.client.in_flight(), 0);
    assert_eq!(h.client.poll_timeout(), None);
}

#[test]
fn fails_over_to_the_next_server_by_priority() {
    let mut h = Harness::new(config(vec![
        server("192.0.2.2:1812", Purpose::Auth, 5),
        server("192.0.2.1:1812", Purpose::Auth, 1),
        server("192.0.2.9:1813", Purpose::Accounting, 0),
    ]));
    let id = h.login("bob");
    let to_first = h.transmit();
    assert_eq!(
        to_first[0].to,
        addr("192.0.2.1:1812"),
        "lowest priority number first"
    );
    for _ in 0..2 {
        h.run_to_deadline();
        assert_eq!(h.transmit()[0].to, addr("192.0.2.1:1812"));
    }
    h.run_to_deadline();
    let to_second = h.transmit();
    assert_eq!(to_second.len(), 1);
    assert_eq!(to_second[0].to, addr("192.0.2.2:1812"));
    assert_ne!(
        to_second[0].authenticator(),
        to_first[0].authenticator(),
        "new server, new authenticator"
    );
    assert!(h.events().contains(&Event::ServerDead {
        server: 1,
        addr: addr("192.0.2.1:1812")
    }));

    h.deliver(&to_second[0], &accept(&to_second[0]));
    assert_eq!(replies(&h.events()), [(id, Code::AccessAccept)]);
    assert_eq!(h.client.stats().replies, 1);
}

#[test]
fn a_late_answer_from_the_first_server_is_not_believed_after_failover() {
    let mut h = Harness::new(config(vec![
        server("192.0.2.1:1812", Purpose::Auth, 1),
        server("192.0.2.2:1812", Purpose::Auth, 2),
    ]));
    h.login("carol");
    let first = h.transmit();
    let mut second = Vec::new();
    for _ in 0..3 {
        h.run_to_deadline();
        second = h.transmit();
    }
    assert_eq!(second.last().unwrap().to, addr("192.0.2.2:1812"));
    h.events();
    h.deliver(&first[0], &accept(&first[0]));
    assert!(matches!(h.events()[..], [Event::Dropped { .. }]));
    assert_eq!(h.client.stats().dropped_unknown_identifier, 1);
}

#[test]
fn a_deadline_before_the_first_send_does_not_duplicate_it() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    h.login("slow-driver");
    h.advance(Duration::from_secs(10));
    assert_eq!(h.transmit().len(), 1);
    assert_eq!(h.client.stats().retransmitted, 0);
    assert_eq!(
        h.client.poll_timeout(),
        Some(h.now + Duration::from_secs(3))
    );
}
