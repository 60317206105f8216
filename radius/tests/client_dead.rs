//! Dead servers: marked when they stop answering, skipped for the dead time, tried again after
//! it, and announced alive when they answer.

mod common;

use std::time::Duration;

use common::*;
use radius::client::{Event, FailReason, Purpose};
use radius::wire::Code;

/// Runs the retransmissions out; returns what was sent after the last deadline.
fn fail_over(h: &mut Harness) -> Sent {
    let mut last = Vec::new();
    for _ in 0..3 {
        h.run_to_deadline();
        last = h.transmit();
    }
    last.pop().unwrap()
}

#[test]
fn dead_server_is_skipped_then_tried_again_after_dead_time() {
    let a = addr("192.0.2.1:1812");
    let b = addr("192.0.2.2:1812");
    let mut h = Harness::new(config(vec![
        server("192.0.2.1:1812", Purpose::Auth, 1),
        server("192.0.2.2:1812", Purpose::Auth, 2),
    ]));
    h.login("one");
    assert_eq!(h.transmit()[0].to, a);
    let to_b = fail_over(&mut h);
    assert_eq!(to_b.to, b);
    h.deliver(&to_b, &accept(&to_b));
    assert!(h.client.is_dead(0));
    assert!(h
        .events()
        .contains(&Event::ServerDead { server: 0, addr: a }));

    h.advance(Duration::from_secs(30));
    h.login("two");
    let sent = h.transmit();
    assert_eq!(sent[0].to, b, "A is skipped during its dead time");
    h.deliver(&sent[0], &accept(&sent[0]));
    h.events();

    h.advance(Duration::from_secs(60));
    let id = h.login("three");
    let sent = h.transmit();
    assert_eq!(sent[0].to, a, "A is tried again once the dead time is over");
    h.deliver(&sent[0], &accept(&sent[0]));
    let events = h.events();
    assert!(events.contains(&Event::ServerAlive { server: 0, addr: a }));
    assert_eq!(replies(&events), [(id, Code::AccessAccept)]);
    assert!(!h.client.is_dead(0));
}

#[test]
fn when_every_server_is_dead_a_new_request_still_tries_one() {
    let a = addr("192.0.2.1:1812");
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    let first = h.login("one");
    h.transmit();
    for _ in 0..3 {
        h.run_to_deadline();
        h.transmit();
    }
    let events = h.events();
    assert!(events.contains(&Event::ServerDead { server: 0, addr: a }));
    assert!(events.contains(&Event::Failed {
        id: first,
        reason: FailReason::Timeout
    }));
    // One lost answer must not refuse every login for the dead time: the next one is sent.
    let id = h.login("two");
    let sent = h.transmit();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, a);
    h.deliver(&sent[0], &accept(&sent[0]));
    let events = h.events();
    assert!(events.contains(&Event::ServerAlive { server: 0, addr: a }));
    assert_eq!(replies(&events), [(id, Code::AccessAccept)]);
}

#[test]
fn a_server_that_answers_other_requests_is_not_marked_dead() {
    let mut h = Harness::new(config(vec![
        server("192.0.2.1:1812", Purpose::Auth, 1),
        server("192.0.2.2:1812", Purpose::Auth, 2),
    ]));
    h.login("ignored");
    let ignored = h.transmit();
    h.advance(Duration::from_secs(1));
    h.login("answered");
    let answered = h.transmit();
    h.deliver(&answered[0], &accept(&answered[0]));
    let to_b = fail_over(&mut h);
    assert_eq!(
        to_b.to,
        addr("192.0.2.2:1812"),
        "the ignored request still fails over"
    );
    assert_ne!(ignored[0].to, to_b.to);
    assert!(!h.client.is_dead(0));
    assert!(!h
        .events()
        .iter()
        .any(|e| matches!(e, Event::ServerDead { .. })));
}
