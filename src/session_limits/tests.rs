use super::*;

fn grant(session: Option<u64>, idle: Option<u64>) -> Grant {
    Grant {
        session_timeout: session.map(Duration::from_secs),
        idle_timeout: idle.map(Duration::from_secs),
        ..Grant::default()
    }
}

fn traffic(n: u64) -> Counters {
    Counters {
        packets_in: n,
        ..Counters::default()
    }
}

#[test]
fn no_limits_no_timer() {
    let l = Limits::new(Instant::now(), &Grant::default(), &traffic(0));
    assert_eq!(l.deadline(), None);
}

#[test]
fn the_session_ends_on_its_timeout_even_with_traffic() {
    let t0 = Instant::now();
    let mut l = Limits::new(t0, &grant(Some(3), None), &traffic(0));
    assert_eq!(l.deadline(), Some(t0 + Duration::from_secs(3)));
    assert_eq!(l.check(t0 + Duration::from_secs(2), &traffic(5)), None);
    assert_eq!(
        l.check(t0 + Duration::from_secs(3), &traffic(9)),
        Some(SESSION_TIMEOUT)
    );
}

#[test]
fn traffic_either_way_postpones_the_idle_timeout() {
    let t0 = Instant::now();
    let s = Duration::from_secs;
    let mut l = Limits::new(t0, &grant(None, Some(4)), &traffic(0));
    assert_eq!(l.deadline(), Some(t0 + s(1)));
    assert_eq!(l.check(t0 + s(1), &traffic(0)), None);
    let out = Counters {
        packets_out: 1,
        ..Counters::default()
    };
    assert_eq!(l.check(t0 + s(2), &out), None, "a packet to the client");
    assert_eq!(l.check(t0 + s(5), &out), None);
    assert_eq!(l.deadline(), Some(t0 + s(6)));
    assert_eq!(l.check(t0 + s(6), &out), Some(IDLE_TIMEOUT));
}

#[test]
fn a_coa_replaces_the_limits_from_when_it_arrives() {
    let t0 = Instant::now();
    let s = Duration::from_secs;
    let mut l = Limits::new(t0, &grant(Some(3600), None), &traffic(0));
    let t1 = t0 + s(100);
    let change = LimitChange {
        session_timeout: Some(s(5)),
        idle_timeout: None,
    };
    l.change(t1, change, &traffic(7));
    assert_eq!(l.deadline(), Some(t1 + s(5)), "counted from the CoA");
    assert_eq!(l.check(t1 + s(5), &traffic(9)), Some(SESSION_TIMEOUT));
}

#[test]
fn a_coa_idle_timeout_counts_from_the_last_traffic() {
    let t0 = Instant::now();
    let s = Duration::from_secs;
    let mut l = Limits::new(t0, &grant(None, Some(600)), &traffic(0));
    // Traffic seen by the check at t0 + 150 s, then none.
    assert_eq!(l.check(t0 + s(150), &traffic(4)), None);
    let t1 = t0 + s(400);
    let change = LimitChange {
        session_timeout: None,
        idle_timeout: Some(s(60)),
    };
    l.change(t1, change, &traffic(4));
    assert_eq!(l.deadline(), Some(t1), "checked at once");
    assert_eq!(
        l.check(t1, &traffic(4)),
        Some(IDLE_TIMEOUT),
        "idle 250 s > 60 s"
    );
}
