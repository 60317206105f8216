use std::time::Duration;

use radius::attr::value::TerminateCause;

use super::*;
use crate::config::Config;

fn info() -> SessionInfo {
    SessionInfo {
        session: 0x1234,
        user: "alice".into(),
        peer: "203.0.113.7:50312".parse().unwrap(),
        carrier: Carrier::Pptp { call_id: 7 },
        address: Ipv4Addr::new(10, 99, 0, 10),
        start: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        numbers: Default::default(),
        class: Vec::new(),
        interim: None,
        by_radius: false,
        ipsec: None,
    }
}

fn attrs(r: &Record, now: SystemTime) -> Attributes {
    r.request(now).attributes
}

#[test]
fn a_stop_carries_usage_gigawords_cause_and_delay() {
    let cfg = Config::parse("", std::path::Path::new("x.toml"))
        .unwrap()
        .radius;
    let s = info();
    let c = Counters {
        bytes_in: (5 << 32) + 17,
        bytes_out: 1000,
        packets_in: 3,
        packets_out: 4,
        ..Counters::default()
    };
    let end = s.start + Duration::from_secs(600);
    let stop = s.stop(&cfg, &c, end, TerminateCause::UserRequest);
    let a = attrs(&stop, end + Duration::from_secs(42));
    assert_eq!(a.integer(attr::ACCT_STATUS_TYPE), Some(ACCT_STATUS_STOP));
    assert_eq!(
        a.text(attr::ACCT_SESSION_ID).as_deref(),
        Some("0000000000001234")
    );
    assert_eq!(a.text(attr::USER_NAME).as_deref(), Some("alice"));
    assert_eq!(a.integer(attr::ACCT_SESSION_TIME), Some(600));
    assert_eq!(a.integer(attr::ACCT_INPUT_OCTETS), Some(17));
    assert_eq!(a.integer(attr::ACCT_INPUT_GIGAWORDS), Some(5));
    assert_eq!(a.integer(attr::ACCT_OUTPUT_OCTETS), Some(1000));
    assert_eq!(a.integer(attr::ACCT_TERMINATE_CAUSE), Some(1));
    assert_eq!(a.integer(attr::ACCT_DELAY_TIME), Some(42));
    assert_eq!(a.integer(attr::NAS_PORT), Some(7));
    let json = serde_json::to_string(&stop).unwrap();
    assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), stop);
}

#[test]
fn start_and_accounting_on_name_their_session() {
    let cfg = Config::parse("", std::path::Path::new("x.toml"))
        .unwrap()
        .radius;
    let start = info().start(&cfg);
    let a = attrs(&start, info().start);
    assert_eq!(a.integer(attr::ACCT_STATUS_TYPE), Some(ACCT_STATUS_START));
    assert_eq!(a.integer(attr::ACCT_DELAY_TIME), Some(0));
    assert_eq!(a.bytes(attr::ACCT_INPUT_OCTETS), None);
    let on = Record::nas(Kind::On, 99, &cfg, info().start);
    let a = attrs(&on, info().start);
    assert_eq!(
        a.integer(attr::ACCT_STATUS_TYPE),
        Some(ACCT_STATUS_ACCOUNTING_ON)
    );
    assert_eq!(a.text(attr::NAS_IDENTIFIER).as_deref(), Some("rasd"));
}

#[test]
fn every_record_echoes_the_accepts_class_the_lacs_number_and_who_authenticated() {
    let cfg = Config::parse("", std::path::Path::new("x.toml"))
        .unwrap()
        .radius;
    let mut s = info();
    s.class = vec![b"gold".to_vec(), b"tier-2".to_vec()];
    s.numbers.calling = Some("5551234".into());
    let end = s.start + Duration::from_secs(1);
    for record in [
        s.start(&cfg),
        s.stop(&cfg, &Counters::default(), end, TerminateCause::UserRequest),
    ] {
        let a = attrs(&record, end);
        let classes: Vec<&[u8]> = a.classes().collect();
        assert_eq!(classes, [&b"gold"[..], &b"tier-2"[..]]);
        assert_eq!(a.text(attr::CALLING_STATION_ID).as_deref(), Some("5551234"));
        assert_eq!(a.integer(attr::ACCT_AUTHENTIC), Some(ACCT_AUTHENTIC_LOCAL));
    }
    s.by_radius = true;
    let a = attrs(&s.start(&cfg), end);
    assert_eq!(a.integer(attr::ACCT_AUTHENTIC), Some(ACCT_AUTHENTIC_RADIUS));
}
