//! Sessions in an established tunnel: several at once, CDN and StopCCN both ways,
//! max_sessions, OCRQ refusal and proxy AVPs.

#[path = "tunnel_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use l2tpd::avp::{error_code, result, AvpValue};
use l2tpd::header::Header;
use l2tpd::message::{ControlMessage, MessageType};
use l2tpd::tunnel::{
    CallNumbers, IncomingCall, ProxyInfo, Role, Tunnel, TunnelConfig, TunnelEvent,
};
use rand::rngs::StdRng;
use rand::SeedableRng;
use support::{
    closed, config, sessions_down, sessions_up, transmit, RawPeer, Sim, LAC_TID, LNS_TID,
};

fn up_sim() -> Sim {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.establish();
    sim
}

#[test]
fn two_sessions_in_one_tunnel() {
    let mut sim = up_sim();
    let a = sim.open_session();
    let b = sim.open_session();
    assert_ne!(a, b);
    let lns = sessions_up(&sim.lns_events);
    assert_eq!(lns.len(), 2);
    assert_ne!(lns[0].0, lns[1].0);
    assert_eq!([lns[0].1, lns[1].1], [a, b]);
}

#[test]
fn cdn_from_lns_and_from_lac() {
    let mut sim = up_sim();
    let a = sim.open_session();
    let b = sim.open_session();
    let lns = sessions_up(&sim.lns_events);

    sim.lns.close_session(sim.now, lns[0].0, "admin");
    sim.run(Duration::from_secs(2));
    assert_eq!(sessions_down(&sim.lns_events), vec![lns[0].0]);
    assert_eq!(sessions_down(&sim.lac_events), vec![a]);
    match sim.lac_events.last() {
        Some(TunnelEvent::SessionDown { reason, .. }) => assert!(reason.contains("result 3")),
        e => panic!("{e:?}"),
    }

    sim.lac.close_session(sim.now, b, "hangup");
    sim.run(Duration::from_secs(2));
    assert_eq!(sessions_down(&sim.lns_events), vec![lns[0].0, lns[1].0]);
    assert_eq!(sessions_down(&sim.lac_events), vec![a, b]);
    assert!(closed(&sim.lns_events).is_none());
}

#[test]
fn stopccn_from_lns() {
    let mut sim = up_sim();
    let a = sim.open_session();
    sim.lns.shutdown(sim.now, "maintenance");
    sim.run(Duration::from_secs(5));
    assert!(
        sim.lns.is_closed(),
        "acknowledged: nothing left to wait for"
    );
    assert!(
        !sim.lac.is_closed(),
        "the receiver lingers to re-acknowledge"
    );
    sim.run(Duration::from_secs(40));
    assert!(sim.lac.is_closed());
    assert_eq!(
        closed(&sim.lns_events),
        Some("sent StopCCN: maintenance, acknowledged")
    );
    let lac = closed(&sim.lac_events).unwrap();
    assert!(
        lac.contains("result 1") && lac.contains("maintenance"),
        "{lac}"
    );
    assert_eq!(sessions_down(&sim.lac_events), vec![a]);
    assert_eq!(sessions_down(&sim.lns_events).len(), 1);
}

#[test]
fn stopccn_from_lac() {
    let mut sim = up_sim();
    sim.open_session();
    sim.lac.shutdown(sim.now, "bye");
    sim.run(Duration::from_secs(40));
    assert!(sim.lns.is_closed() && sim.lac.is_closed());
    assert!(closed(&sim.lns_events).unwrap().contains("bye"));
    assert_eq!(sessions_down(&sim.lns_events).len(), 1);
}

#[test]
fn max_sessions_refuses_with_cdn_no_resources() {
    let mut lns = config(Role::Lns, None);
    lns.max_sessions = 1;
    let mut sim = Sim::new(lns, config(Role::Lac, None));
    sim.establish();
    sim.open_session();
    let b = sim.open_session();
    assert_eq!(sessions_up(&sim.lns_events).len(), 1);
    assert_eq!(sessions_up(&sim.lac_events).len(), 1);
    match sim.lac_events.last() {
        Some(TunnelEvent::SessionDown { session_id, reason }) => {
            assert_eq!(*session_id, b);
            assert!(reason.contains("result 2 error 4"), "{reason}");
        }
        e => panic!("{e:?}"),
    }
}

/// An LNS brought up by a raw LAC; returns the LNS and the peer.
fn raw_up(cfg: TunnelConfig) -> (Tunnel, RawPeer, Instant) {
    let now = Instant::now();
    let mut lns = Tunnel::new(cfg, LNS_TID, now, StdRng::seed_from_u64(9));
    let mut peer = RawPeer::new();
    let sccrq = ControlMessage::new(MessageType::Sccrq)
        .with(AvpValue::ProtocolVersion {
            version: 1,
            revision: 0,
        })
        .with(AvpValue::HostName(b"raw".to_vec()))
        .with(AvpValue::FramingCapabilities(3))
        .with(AvpValue::AssignedTunnelId(LAC_TID));
    let d = peer.message(0, 0, &sccrq);
    let replies = peer.exchange(&mut lns, now, &d);
    assert_eq!(replies[0].1.kind, MessageType::Sccrp);
    let d = peer.message(LNS_TID, 0, &ControlMessage::new(MessageType::Scccn));
    peer.exchange(&mut lns, now, &d);
    assert!(matches!(
        lns.poll_event(),
        Some(TunnelEvent::Established { .. })
    ));
    (lns, peer, now)
}

#[test]
fn proxy_avps_surface_in_session_up() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let icrq = ControlMessage::new(MessageType::Icrq)
        .with(AvpValue::AssignedSessionId(77))
        .with(AvpValue::CallSerialNumber(1));
    let d = peer.message(LNS_TID, 0, &icrq);
    let replies = peer.exchange(&mut lns, now, &d);
    let (header, icrp) = &replies[0];
    assert_eq!(icrp.kind, MessageType::Icrp);
    assert_eq!(header.tunnel_id, LAC_TID);
    assert_eq!(header.session_id, 77);
    let ours = icrp.assigned_session_id().unwrap();
    let iccn = ControlMessage::new(MessageType::Iccn)
        .with(AvpValue::TxConnectSpeed(64_000))
        .with(AvpValue::FramingType(1))
        .with(AvpValue::SequencingRequired)
        .with(AvpValue::InitialReceivedLcpConfreq(vec![1, 4, 5, 0xdc]))
        .with(AvpValue::LastSentLcpConfreq(vec![1, 4, 5, 0xd0]))
        .with(AvpValue::LastReceivedLcpConfreq(vec![1, 4, 5, 0xdc]))
        .with(AvpValue::ProxyAuthenType(2))
        .with(AvpValue::ProxyAuthenName(b"alice".to_vec()))
        .with(AvpValue::ProxyAuthenChallenge(vec![9; 16]))
        .with(AvpValue::ProxyAuthenId(7))
        .with(AvpValue::ProxyAuthenResponse(vec![8; 16]));
    let d = peer.message(LNS_TID, ours, &iccn);
    peer.exchange(&mut lns, now, &d);
    let expected = ProxyInfo {
        initial_received_lcp: Some(vec![1, 4, 5, 0xdc]),
        last_sent_lcp: Some(vec![1, 4, 5, 0xd0]),
        last_received_lcp: Some(vec![1, 4, 5, 0xdc]),
        authen_type: Some(2),
        authen_name: Some("alice".into()),
        authen_challenge: Some(vec![9; 16]),
        authen_id: Some(7),
        authen_response: Some(vec![8; 16]),
    };
    assert_eq!(
        lns.poll_event(),
        Some(TunnelEvent::SessionUp {
            session_id: ours,
            peer_session_id: 77,
            sequencing: true,
            proxy: Some(expected),
            numbers: CallNumbers::default(),
        })
    );
}

#[test]
fn ocrq_refused_with_cdn() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let ocrq = ControlMessage::new(MessageType::Ocrq)
        .with(AvpValue::AssignedSessionId(5))
        .with(AvpValue::CallSerialNumber(1))
        .with(AvpValue::MinimumBps(0))
        .with(AvpValue::MaximumBps(1))
        .with(AvpValue::BearerType(1))
        .with(AvpValue::FramingType(1))
        .with(AvpValue::CalledNumber(b"123".to_vec()));
    let d = peer.message(LNS_TID, 0, &ocrq);
    let replies = peer.exchange(&mut lns, now, &d);
    let (header, cdn) = &replies[0];
    assert_eq!(cdn.kind, MessageType::Cdn);
    assert_eq!(header.session_id, 5);
    assert_eq!(
        cdn.result_code().unwrap().result,
        result::CDN_NO_FACILITIES_PERMANENT
    );
    assert!(lns.poll_event().is_none());
}

#[test]
fn icrq_missing_call_serial_gets_cdn() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let icrq = ControlMessage::new(MessageType::Icrq).with(AvpValue::AssignedSessionId(3));
    let d = peer.message(LNS_TID, 0, &icrq);
    let replies = peer.exchange(&mut lns, now, &d);
    let (header, cdn) = &replies[0];
    assert_eq!(cdn.kind, MessageType::Cdn);
    assert_eq!(header.session_id, 3);
    let rc = cdn.result_code().unwrap();
    assert_eq!(rc.result, result::CDN_GENERAL_ERROR);
    assert_eq!(rc.error, Some(error_code::NONE));
    assert!(!lns.is_closed());
}

#[test]
fn wen_and_sli_accepted() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let icrq = ControlMessage::new(MessageType::Icrq)
        .with(AvpValue::AssignedSessionId(4))
        .with(AvpValue::CallSerialNumber(2));
    let d = peer.message(LNS_TID, 0, &icrq);
    let ours = peer.exchange(&mut lns, now, &d)[0]
        .1
        .assigned_session_id()
        .unwrap();
    let sli = ControlMessage::new(MessageType::Sli).with(AvpValue::Accm {
        send: 0,
        receive: u32::MAX,
    });
    let d = peer.message(LNS_TID, ours, &sli);
    assert!(peer.exchange(&mut lns, now, &d).is_empty());
    let wen = ControlMessage::new(MessageType::Wen).with(AvpValue::CallErrors(Default::default()));
    let d = peer.message(LNS_TID, ours, &wen);
    assert!(peer.exchange(&mut lns, now, &d).is_empty());
    assert_eq!(lns.stats().unexpected, 0);
    assert!(lns.poll_event().is_none());
}

#[test]
fn icrq_with_unknown_mandatory_avp_gets_cdn() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let icrq = ControlMessage::new(MessageType::Icrq)
        .with(AvpValue::AssignedSessionId(6))
        .with(AvpValue::CallSerialNumber(1))
        .with_avp(
            l2tpd::avp::Avp::new(AvpValue::Unknown {
                vendor_id: 0,
                attribute: 300,
                value: vec![],
            })
            .with_mandatory(true),
        );
    let d = peer.message(LNS_TID, 0, &icrq);
    let replies = peer.exchange(&mut lns, now, &d);
    let (header, cdn) = &replies[0];
    assert_eq!(cdn.kind, MessageType::Cdn);
    assert_eq!(header.session_id, 6);
    let rc = cdn.result_code().unwrap();
    assert_eq!(
        (rc.result, rc.error),
        (
            result::CDN_GENERAL_ERROR,
            Some(error_code::UNKNOWN_MANDATORY_AVP)
        )
    );
    assert!(!lns.is_closed());
    assert!(lns.poll_event().is_none());
}

/// The StopCCN a LAC sends when it hangs up.
fn lac_stopccn() -> ControlMessage {
    ControlMessage::new(MessageType::StopCcn)
        .with(AvpValue::AssignedTunnelId(LAC_TID))
        .with(AvpValue::ResultCode(l2tpd::avp::ResultCode {
            result: result::STOPCCN_CLEAR,
            error: None,
            message: Vec::new(),
        }))
}

#[test]
fn peer_stopccn_is_acknowledged_at_once_and_again_while_the_tunnel_lingers() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let stop = lac_stopccn();
    let d = peer.message(LNS_TID, 0, &stop);
    lns.handle_control(now, &d);
    assert!(matches!(lns.poll_event(), Some(TunnelEvent::Closed { .. })));
    // The acknowledgement leaves before the driver can drop the tunnel, without delay.
    let zlb = transmit(&mut lns, now).expect("a ZLB acknowledging the StopCCN");
    let (header, body) = Header::parse(&zlb).unwrap();
    assert!(body.is_empty());
    assert_eq!(header.sequence.map(|(_, nr)| nr), Some(peer.ns));
    assert!(transmit(&mut lns, now).is_none());
    assert!(!lns.is_closed(), "kept for a retransmission cycle");
    // The ack was lost: the LAC retransmits its StopCCN and is acknowledged again.
    let later = now + Duration::from_secs(3);
    lns.handle_timeout(later);
    lns.handle_control(later, &d);
    let again = transmit(&mut lns, later).expect("the retransmission is re-acknowledged");
    assert_eq!(Header::parse(&again).unwrap().1.len(), 0);
    assert!(
        transmit(&mut lns, later).is_none(),
        "nothing of ours is retransmitted"
    );
    assert!(lns.poll_event().is_none());
    // After the full cycle (1+2+4+8+8+8 s with the defaults) it may go.
    let end = lns.poll_timeout().expect("the linger deadline");
    assert_eq!(end, now + Duration::from_secs(31));
    lns.handle_timeout(end);
    assert!(lns.is_closed());
}

#[test]
fn a_closed_tunnels_record_answers_as_the_lingering_tunnel_does() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    let hello = peer.message(LNS_TID, 0, &ControlMessage::new(MessageType::Hello));
    peer.exchange(&mut lns, now, &hello);
    let stop = lac_stopccn();
    let d = peer.message(LNS_TID, 0, &stop);
    lns.handle_control(now, &d);
    assert!(matches!(lns.poll_event(), Some(TunnelEvent::Closed { .. })));
    assert_eq!(lns.lingering(), None, "not before the StopCCN's ack is out");
    transmit(&mut lns, now).expect("the StopCCN's ack");
    let record = lns.lingering().expect("a record once the ack is out");
    assert_eq!(record.until(), now + Duration::from_secs(31));

    let mut buf = [0u8; 64];
    let mut answer = |at: Instant, datagram: &[u8]| {
        record
            .acknowledge(at, datagram, &mut buf)
            .map(|n| buf[..n].to_vec())
    };
    // The StopCCN again, and an older message (the HELLO) again: the tunnel's own ZLB.
    let later = now + Duration::from_secs(3);
    for again in [&d, &hello] {
        lns.handle_control(later, again);
        let full = transmit(&mut lns, later).expect("the tunnel re-acknowledges");
        assert_eq!(answer(later, again), Some(full));
    }
    // A ZLB, a message after the StopCCN, a data message, garbage: no answer.
    let zlb = Header::control(LNS_TID, 0, peer.ns, peer.nr);
    let mut z = [0u8; 12];
    let n = zlb.emit(0, &mut z).unwrap();
    let after = peer.message(LNS_TID, 0, &ControlMessage::new(MessageType::Hello));
    let mut data = [0u8; 16];
    let n_data = Header::data(LNS_TID, 7).emit(4, &mut data).unwrap();
    for nothing in [&z[..n], &after[..], &data[..n_data + 4], &[0xc8, 0x02][..]] {
        assert_eq!(answer(later, nothing), None, "{nothing:02x?}");
    }
    // Once the hold is over, nothing.
    assert_eq!(answer(record.until(), &d), None);
}

#[test]
fn our_stopccn_waits_for_its_acknowledgement() {
    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.lac.start(sim.now);
    sim.run(Duration::from_secs(1));
    sim.lac.shutdown(sim.now, "user hung up");
    sim.run(Duration::from_secs(1));
    assert_eq!(
        closed(&sim.lac_events),
        Some("sent StopCCN: user hung up, acknowledged")
    );
    assert!(sim.lac.is_closed());

    let mut sim = Sim::new(config(Role::Lns, None), config(Role::Lac, None));
    sim.lac.start(sim.now);
    sim.run(Duration::from_secs(1));
    sim.loss = 1.0;
    sim.lac.shutdown(sim.now, "user hung up");
    sim.run(Duration::from_secs(60));
    assert_eq!(
        closed(&sim.lac_events),
        Some("sent StopCCN: user hung up, never acknowledged")
    );
}

#[test]
fn stats_count_unexpected_messages() {
    let (mut lns, mut peer, now) = raw_up(config(Role::Lns, None));
    // ICCN for a session that does not exist, CDN for one neither.
    let iccn = ControlMessage::new(MessageType::Iccn)
        .with(AvpValue::TxConnectSpeed(1))
        .with(AvpValue::FramingType(1));
    let d = peer.message(LNS_TID, 999, &iccn);
    peer.exchange(&mut lns, now, &d);
    let cdn = ControlMessage::new(MessageType::Cdn)
        .with(AvpValue::ResultCode(l2tpd::avp::ResultCode {
            result: 1,
            error: None,
            message: Vec::new(),
        }))
        .with(AvpValue::AssignedSessionId(55));
    let d = peer.message(LNS_TID, 998, &cdn);
    peer.exchange(&mut lns, now, &d);
    assert_eq!(lns.stats().unexpected, 2);
    assert!(lns.poll_event().is_none());
    assert!(!lns.is_closed());
}

#[test]
fn lac_proxy_avps_and_call_numbers_reach_the_lns_hidden_or_not() {
    let info = ProxyInfo {
        initial_received_lcp: Some(vec![1, 4, 5, 0xdc]),
        last_sent_lcp: Some(vec![1, 4, 5, 0x78, 3, 4, 0xc0, 0x23]),
        last_received_lcp: Some(vec![1, 4, 5, 0x78]),
        authen_type: Some(3),
        authen_name: Some("alice".into()),
        authen_challenge: None,
        authen_id: Some(7),
        authen_response: Some(b"secret123".to_vec()),
    };
    for hide in [false, true] {
        let secret: &[u8] = b"tunnel-secret";
        let lns = TunnelConfig {
            hide_avps: hide,
            ..config(Role::Lns, Some(secret))
        };
        let lac = TunnelConfig {
            hide_avps: hide,
            ..config(Role::Lac, Some(secret))
        };
        let mut sim = Sim::new(lns, lac);
        sim.establish();
        let numbers = CallNumbers {
            calling: Some("5551234".into()),
            called: Some("vpn.example".into()),
        };
        let call = IncomingCall {
            numbers: numbers.clone(),
            proxy: Some(info.clone()),
        };
        let id = sim
            .lac
            .open_call(sim.now, call)
            .expect("LAC opens a session");
        sim.run(Duration::from_secs(5));
        let ups: Vec<_> = sim
            .lns_events
            .iter()
            .filter_map(|e| match e {
                TunnelEvent::SessionUp { proxy, numbers, .. } => {
                    Some((proxy.clone(), numbers.clone()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            ups,
            vec![(Some(info.clone()), numbers)],
            "hide_avps = {hide}"
        );
        assert_eq!(sessions_up(&sim.lns_events)[0].1, id);
    }
}

/// A LAC reports a session up only once its ICCN is on the wire: with the LNS's window full
/// of ICRQs, the ICCN waits, and PPP started early would reach an LNS that does not know the
/// session yet (it drops such PPP, and the session waits out a 3 s LCP restart).
#[test]
fn lac_reports_a_session_up_only_after_its_iccn_left() {
    let mut lns_cfg = config(Role::Lns, None);
    lns_cfg.reliable.our_window = 2;
    let mut sim = Sim::new(lns_cfg, config(Role::Lac, None));
    sim.establish();
    let now = sim.now;
    let ours: Vec<u16> = (0..8).map(|_| sim.lac.open_session(now).unwrap()).collect();
    // LNS session IDs the LAC has put in a non-empty message header (its ICCNs, here).
    let mut iccn_sent = Vec::new();
    let mut up = Vec::new();
    for _ in 0..200 {
        while let Some(d) = transmit(&mut sim.lac, sim.now) {
            let p = l2tpd::header::Packet::new_checked(&d[..]).unwrap();
            if !p.payload().is_empty() && p.session_id() != 0 {
                iccn_sent.push(p.session_id());
            }
            sim.lns.handle_control(sim.now, &d);
        }
        while let Some(e) = sim.lac.poll_event() {
            if let TunnelEvent::SessionUp {
                session_id,
                peer_session_id,
                ..
            } = e
            {
                assert!(
                    iccn_sent.contains(&peer_session_id),
                    "session {session_id} reported up before its ICCN to {peer_session_id} left"
                );
                up.push(session_id);
            }
        }
        while let Some(d) = transmit(&mut sim.lns, sim.now) {
            sim.lac.handle_control(sim.now, &d);
        }
        while sim.lns.poll_event().is_some() {}
        sim.now += Duration::from_millis(50);
        if sim.lac.poll_timeout().is_some_and(|t| t <= sim.now) {
            sim.lac.handle_timeout(sim.now);
        }
        if sim.lns.poll_timeout().is_some_and(|t| t <= sim.now) {
            sim.lns.handle_timeout(sim.now);
        }
    }
    up.sort_unstable();
    let mut want = ours.clone();
    want.sort_unstable();
    assert_eq!(up, want, "every session came up");
}

/// A hundred sessions ended at once: their CDNs outnumber the control queue (64), and every
/// one still reaches the peer, held until acknowledgements make room.
#[test]
fn every_cdn_of_many_sessions_ended_at_once_reaches_the_peer() {
    let mut sim = up_sim();
    for _ in 0..100 {
        sim.open_session();
    }
    let lns: Vec<u16> = sessions_up(&sim.lns_events).iter().map(|s| s.0).collect();
    assert_eq!(lns.len(), 100);
    for id in &lns {
        sim.lns.close_session(sim.now, *id, "admin");
    }
    sim.run(Duration::from_secs(30));
    assert_eq!(
        sessions_down(&sim.lac_events).len(),
        100,
        "the LAC heard every CDN"
    );
    assert!(closed(&sim.lac_events).is_none() && closed(&sim.lns_events).is_none());
}
