//! Accounting-Requests: hashed Request Authenticator, Acct-Delay-Time written by the core and
//! updated on every resend (so a resend has a new identifier and authenticator).

mod common;

use std::time::Duration;

use common::*;
use radius::attr::{self, Attribute};
use radius::client::Purpose;
use radius::crypto::verify_request;
use radius::wire::Code;

#[test]
fn resend_updates_acct_delay_time_identifier_and_authenticator() {
    let mut h = Harness::new(config(vec![server(
        "192.0.2.1:1813",
        Purpose::Accounting,
        1,
    )]));
    let spooled = accounting("sess-1").with(Attribute::integer(attr::ACCT_DELAY_TIME, 5));
    let id = h.request(Purpose::Accounting, Code::AccountingRequest, spooled);
    let first = h.transmit().pop().unwrap();
    assert_eq!(verify_request(&first.packet(), SECRET, true), Ok(()));
    assert_eq!(first.attributes().integer(attr::ACCT_DELAY_TIME), Some(5));
    assert_eq!(first.attributes().all(attr::ACCT_DELAY_TIME).count(), 1);

    h.advance(Duration::from_secs(3));
    let second = h.transmit().pop().unwrap();
    assert_eq!(verify_request(&second.packet(), SECRET, true), Ok(()));
    assert_eq!(second.attributes().integer(attr::ACCT_DELAY_TIME), Some(8));
    assert_ne!(second.identifier(), first.identifier());
    assert_ne!(second.authenticator(), first.authenticator());
    assert_eq!(
        second.attributes().text(attr::ACCT_SESSION_ID).as_deref(),
        Some("sess-1")
    );

    let late = answer(
        &first,
        Reply {
            code: Code::AccountingResponse,
            ..Reply::default()
        },
    );
    h.deliver(&first, &late);
    assert_eq!(
        h.client.stats().dropped_unknown_identifier,
        1,
        "the old identifier was retired"
    );

    let reply = answer(
        &second,
        Reply {
            code: Code::AccountingResponse,
            message_authenticator: false,
            ..Reply::default()
        },
    );
    h.deliver(&second, &reply);
    assert_eq!(
        replies(&h.events()),
        [(id, Code::AccountingResponse)],
        "accounting replies need no Message-Authenticator"
    );
}

#[test]
fn time_queued_counts_in_acct_delay_time() {
    let mut cfg = config(vec![server("192.0.2.1:1813", Purpose::Accounting, 1)]);
    cfg.max_in_flight = 1;
    let mut h = Harness::new(cfg);
    h.request(
        Purpose::Accounting,
        Code::AccountingRequest,
        accounting("a"),
    );
    h.request(
        Purpose::Accounting,
        Code::AccountingRequest,
        accounting("b"),
    );
    let first = h.transmit().pop().unwrap();
    assert_eq!(first.attributes().integer(attr::ACCT_DELAY_TIME), Some(0));
    h.now += Duration::from_secs(2);
    let reply = answer(
        &first,
        Reply {
            code: Code::AccountingResponse,
            ..Reply::default()
        },
    );
    h.deliver(&first, &reply);
    let second = h.transmit().pop().unwrap();
    assert_eq!(
        second.attributes().text(attr::ACCT_SESSION_ID).as_deref(),
        Some("b")
    );
    assert_eq!(second.attributes().integer(attr::ACCT_DELAY_TIME), Some(2));
}
