//! Tunnel establishment between our LNS and LAC: with and without a secret, a wrong secret,
//! hidden AVPs and a lossy pipe.

#[path = "tunnel_support/mod.rs"]
mod support;

use std::time::Duration;

use l2tpd::avp::AvpIter;
use l2tpd::header::Header;
use l2tpd::tunnel::{Role, TunnelEvent};
use support::{closed, config, established, sessions_up, transmit, Sim, LAC_TID, LNS_TID};

#[test]
fn tunnel_and_session_without_secret() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.establish();
    assert_eq!(
        sim.lns_events[0],
        TunnelEvent::Established {
            peer_tunnel_id: LAC_TID,
            peer_host_name: "lac".into()
        }
    );
    assert!(established(&sim.lac_events));
    assert_eq!(sim.lns.peer_tunnel_id(), Some(LAC_TID));
    assert_eq!(sim.lac.peer_tunnel_id(), Some(LNS_TID));

    let lac_sid = sim.open_session();
    let lns_up = sessions_up(&sim.lns_events);
    let lac_up = sessions_up(&sim.lac_events);
    assert_eq!(lns_up.len(), 1);
    assert_eq!(lac_up, vec![(lac_sid, lns_up[0].0)]);
    assert_eq!(lns_up[0].1, lac_sid);
    assert_ne!(lns_up[0].0, 0);
}

#[test]
fn tunnel_with_secret() {
    let secret = Some(&b"s3cret"[..]);
    let mut sim = Sim::new(config(Role::Lns, secret), config(Role::Lac, secret));
    sim.establish();
    assert!(established(&sim.lns_events));
    assert!(established(&sim.lac_events));
    sim.open_session();
    assert_eq!(sessions_up(&sim.lns_events).len(), 1);
}

#[test]
fn wrong_secret_refuses_tunnel_on_both_sides() {
    let mut sim = Sim::new(
        config(Role::Lns, Some(b"right")),
        config(Role::Lac, Some(b"wrong")),
    );
    sim.establish();
    sim.run(Duration::from_secs(30));
    assert!(!established(&sim.lns_events));
    assert!(!established(&sim.lac_events));
    let lns = closed(&sim.lns_events).expect("LNS closed");
    let lac = closed(&sim.lac_events).expect("LAC closed");
    assert!(lns.contains("result 4"), "{lns}");
    assert!(lac.contains("Challenge Response"), "{lac}");
    assert!(sim.lns.is_closed() && sim.lac.is_closed());
}

#[test]
fn secret_on_lns_only_refuses_lac_that_cannot_answer() {
    // The LAC sends no Challenge (accepted), cannot answer ours and refuses the tunnel.
    let mut sim = Sim::new(config(Role::Lns, Some(b"k")), config(Role::Lac, None));
    sim.establish();
    let lns = closed(&sim.lns_events).expect("LNS closed");
    assert!(lns.contains("result 4"), "{lns}");
    let lac = closed(&sim.lac_events).expect("LAC closed");
    assert!(lac.contains("no secret"), "{lac}");
    assert!(!established(&sim.lns_events));
}

#[test]
fn secret_on_lac_only_is_refused() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, Some(b"k")));
    sim.establish();
    let lac = closed(&sim.lac_events).expect("LAC closed");
    assert!(lac.contains("result 4"), "{lac}");
    assert!(closed(&sim.lns_events).is_some());
}

#[test]
fn stalled_setup_times_out() {
    // The LAC's SCCRQ is acknowledged but the SCCCN never comes.
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.lac.start(sim.now);
    let sccrq = transmit(&mut sim.lac, sim.now).unwrap();
    sim.lns.handle_control(sim.now, &sccrq);
    sim.lac_silent = true;
    sim.run(Duration::from_secs(5 * 60));
    assert!(closed(&sim.lns_events).is_some());
    assert!(sim.lns.is_closed());
}

#[test]
fn hidden_avps_with_secret() {
    let secret = Some(&b"hide-me"[..]);
    let mut lns = config(Role::Lns, secret);
    lns.hide_avps = true;
    let mut lac = config(Role::Lac, secret);
    lac.hide_avps = true;
    let mut sim = Sim::new(lns, lac);
    sim.establish();
    let lac_sid = sim.open_session();
    assert_eq!(sessions_up(&sim.lac_events).len(), 1);
    // The LAC's hidden ICRQ was read: the LNS knows the LAC's session ID.
    assert_eq!(sessions_up(&sim.lns_events)[0].1, lac_sid);
    assert_eq!(sim.lns.stats().malformed, 0);
    // The LNS's ICRP carried its Assigned Session ID hidden.
    let hidden = sim.from_lns.iter().any(|d| {
        let (_, payload) = Header::parse(d).unwrap();
        AvpIter::new(payload)
            .flatten()
            .any(|a| a.hidden() && a.attribute_type() == 14)
    });
    assert!(hidden);
}

#[test]
fn establishment_and_sessions_over_lossy_pipe() {
    for seed_loss in [0.1, 0.3] {
        let secret = Some(&b"lossy"[..]);
        let mut sim = Sim::new(config(Role::Lns, secret), config(Role::Lac, secret));
        sim.loss = seed_loss;
        sim.establish();
        sim.run(Duration::from_secs(30));
        assert!(established(&sim.lns_events), "loss {seed_loss}");
        assert!(established(&sim.lac_events), "loss {seed_loss}");
        for _ in 0..3 {
            sim.lac.open_session(sim.now).unwrap();
        }
        sim.run(Duration::from_secs(60));
        assert_eq!(sessions_up(&sim.lns_events).len(), 3, "loss {seed_loss}");
        assert_eq!(sessions_up(&sim.lac_events).len(), 3, "loss {seed_loss}");
    }
}

#[test]
fn teardown_over_lossy_pipe_closes_both_sides() {
    for seed_loss in [0.2, 0.4] {
        let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
        sim.establish();
        sim.open_session();
        sim.loss = seed_loss;
        sim.lns.shutdown(sim.now, "bye");
        sim.run(Duration::from_secs(5 * 60));
        assert!(sim.lns.is_closed(), "loss {seed_loss}");
        assert!(closed(&sim.lns_events).is_some(), "loss {seed_loss}");
        assert!(closed(&sim.lac_events).is_some(), "loss {seed_loss}");
    }
}
