//! HELLO keepalive and peer death in virtual time.

#[path = "tunnel_support/mod.rs"]
mod support;

use std::time::Duration;

use l2tpd::header::Header;
use l2tpd::message::{ControlMessage, MessageType};
use l2tpd::tunnel::Role;
use support::{closed, config, sessions_down, Sim};

fn hellos(sim: &Sim) -> usize {
    sim.from_lns
        .iter()
        .filter(|d| {
            let (_, payload) = Header::parse(d).unwrap();
            ControlMessage::parse(payload, None).is_ok_and(|m| m.kind == MessageType::Hello)
        })
        .count()
}

#[test]
fn idle_tunnel_sends_hello_and_stays_up() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.establish();
    sim.run(Duration::from_secs(10 * 60));
    assert!(hellos(&sim) >= 9, "{}", hellos(&sim));
    assert!(closed(&sim.lns_events).is_none());
    assert!(closed(&sim.lac_events).is_none());
}

#[test]
fn peer_that_never_sends_hello_but_acks_stays_up() {
    let mut lac = config(Role::Lac, None);
    lac.hello_interval = Duration::from_secs(24 * 3600);
    let mut sim = Sim::new(config(Role::Lns, None), lac);
    sim.establish();
    sim.run(Duration::from_secs(10 * 60));
    assert!(hellos(&sim) >= 9);
    assert!(closed(&sim.lns_events).is_none());
    assert!(!sim.lns.is_closed());
}

#[test]
fn silent_peer_is_declared_dead() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.establish();
    sim.open_session();
    sim.lac_silent = true;
    sim.run(Duration::from_secs(5 * 60));
    let reason = closed(&sim.lns_events).expect("LNS closed");
    assert!(reason.contains("peer dead"), "{reason}");
    assert_eq!(sessions_down(&sim.lns_events).len(), 1);
    assert!(sim.lns.is_closed());
    assert!(sim.lns.poll_timeout().is_none());
    assert!(sim.lns.stats().reliable.retransmissions >= 5);
}

#[test]
fn unanswered_stopccn_closes_after_retransmissions() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.establish();
    sim.lac_silent = true;
    sim.lns.shutdown(sim.now, "going away");
    sim.run(Duration::from_secs(5 * 60));
    assert_eq!(
        closed(&sim.lns_events),
        Some("sent StopCCN: going away, never acknowledged")
    );
    assert!(sim.lns.is_closed());
}
