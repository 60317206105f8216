//! Bad input to an LNS: SCCRQ lacking AVPs, unknown mandatory AVPs, wrong version, messages
//! out of state, garbage.

#[path = "tunnel_support/mod.rs"]
mod support;

use std::time::Instant;

use l2tpd::avp::{error_code, result, Avp, AvpValue};
use l2tpd::message::{ControlMessage, MessageType};
use l2tpd::tunnel::{Role, Tunnel, TunnelEvent};
use rand::rngs::StdRng;
use rand::SeedableRng;
use support::{config, transmit, RawPeer, LAC_TID, LNS_TID};

fn lns(now: Instant) -> Tunnel {
    Tunnel::new(
        config(Role::Lns, None),
        LNS_TID,
        now,
        StdRng::seed_from_u64(5),
    )
}

fn sccrq() -> ControlMessage {
    ControlMessage::new(MessageType::Sccrq)
        .with(AvpValue::ProtocolVersion {
            version: 1,
            revision: 0,
        })
        .with(AvpValue::HostName(b"raw".to_vec()))
        .with(AvpValue::FramingCapabilities(3))
        .with(AvpValue::AssignedTunnelId(LAC_TID))
}

/// Sends `msg` as the first message to a fresh LNS; returns its StopCCN's header tunnel ID and
/// Result Code (result, error).
fn refused(msg: &ControlMessage) -> (u16, u16, Option<u16>) {
    let now = Instant::now();
    let mut lns = lns(now);
    let mut peer = RawPeer::new();
    let d = peer.message(0, 0, msg);
    let replies = peer.exchange(&mut lns, now, &d);
    let (header, stop) = &replies[0];
    assert_eq!(stop.kind, MessageType::StopCcn);
    assert_eq!(stop.assigned_tunnel_id(), Some(LNS_TID));
    let rc = stop.result_code().unwrap();
    // Acknowledge the StopCCN: the LNS closes.
    let ack = l2tpd::header::Header::control(LNS_TID, 0, peer.ns, peer.nr);
    let mut zlb = vec![0; ack.header_len()];
    ack.emit(0, &mut zlb).unwrap();
    lns.handle_control(now, &zlb);
    let mut last = None;
    while let Some(e) = lns.poll_event() {
        last = Some(e);
    }
    assert!(matches!(last, Some(TunnelEvent::Closed { .. })), "{last:?}");
    assert!(lns.is_closed());
    (header.tunnel_id, rc.result, rc.error)
}

#[test]
fn sccrq_missing_host_name() {
    let mut msg = sccrq();
    msg.avps
        .retain(|a| !matches!(a.value, AvpValue::HostName(_)));
    assert_eq!(
        refused(&msg),
        (
            LAC_TID,
            result::STOPCCN_GENERAL_ERROR,
            Some(error_code::NONE)
        )
    );
}

#[test]
fn sccrq_missing_assigned_tunnel_id() {
    let mut msg = sccrq();
    msg.avps
        .retain(|a| !matches!(a.value, AvpValue::AssignedTunnelId(_)));
    let (tid, result, _) = refused(&msg);
    assert_eq!((tid, result), (0, result::STOPCCN_GENERAL_ERROR));
}

#[test]
fn sccrq_unknown_mandatory_avp() {
    let msg = sccrq().with_avp(
        Avp::new(AvpValue::Unknown {
            vendor_id: 0,
            attribute: 200,
            value: vec![1],
        })
        .with_mandatory(true),
    );
    let (_, result, error) = refused(&msg);
    assert_eq!(result, result::STOPCCN_GENERAL_ERROR);
    assert_eq!(error, Some(error_code::UNKNOWN_MANDATORY_AVP));
}

#[test]
fn sccrq_unknown_optional_avp_is_ignored() {
    let now = Instant::now();
    let mut lns = lns(now);
    let mut peer = RawPeer::new();
    let msg = sccrq().with_avp(
        Avp::new(AvpValue::Unknown {
            vendor_id: 9,
            attribute: 200,
            value: vec![1],
        })
        .with_mandatory(false),
    );
    let d = peer.message(0, 0, &msg);
    assert_eq!(
        peer.exchange(&mut lns, now, &d)[0].1.kind,
        MessageType::Sccrp
    );
}

#[test]
fn sccrq_bad_version() {
    let mut msg = sccrq();
    msg.avps[0].value = AvpValue::ProtocolVersion {
        version: 2,
        revision: 0,
    };
    let (_, result, error) = refused(&msg);
    assert_eq!((result, error), (result::STOPCCN_BAD_VERSION, Some(0x0100)));
}

#[test]
fn icrq_before_establishment_is_dropped() {
    let now = Instant::now();
    let mut lns = lns(now);
    let mut peer = RawPeer::new();
    let icrq = ControlMessage::new(MessageType::Icrq)
        .with(AvpValue::AssignedSessionId(1))
        .with(AvpValue::CallSerialNumber(1));
    let d = peer.message(0, 0, &icrq);
    assert!(peer.exchange(&mut lns, now, &d).is_empty());
    assert_eq!(lns.stats().unexpected, 1);
    assert!(lns.poll_event().is_none());
}

#[test]
fn garbage_is_counted_not_fatal() {
    let now = Instant::now();
    let mut lns = lns(now);
    for junk in [
        &[][..],
        &[0xc8],
        &[0xc8, 0x02, 0, 200, 1, 2, 3],
        &[0xff; 40],
    ] {
        lns.handle_control(now, junk);
        assert!(transmit(&mut lns, now).is_none());
    }
    assert!(lns.stats().bad_headers >= 3);
    assert!(lns.poll_event().is_none());
    // Still answers a good SCCRQ afterwards.
    let mut peer = RawPeer::new();
    let d = peer.message(0, 0, &sccrq());
    assert_eq!(
        peer.exchange(&mut lns, now, &d)[0].1.kind,
        MessageType::Sccrp
    );
}

#[test]
fn mutated_datagrams_never_panic() {
    use rand::{Rng, RngCore};
    let mut rng = StdRng::seed_from_u64(77);
    let mut base = RawPeer::new();
    let good = base.message(0, 0, &sccrq());
    for _ in 0..2000 {
        let now = Instant::now();
        let mut t = lns(now);
        let mut d = good.clone();
        for _ in 0..rng.gen_range(1..6) {
            let i = rng.gen_range(0..d.len());
            d[i] = rng.gen();
        }
        if rng.gen_bool(0.2) {
            let mut tail = vec![0; rng.gen_range(0..40)];
            rng.fill_bytes(&mut tail);
            d.extend_from_slice(&tail);
        }
        t.handle_control(now, &d);
        let mut sent = 0;
        while transmit(&mut t, now).is_some() {
            sent += 1;
        }
        assert!(sent <= 1);
        while t.poll_event().is_some() {}
        if let Some(at) = t.poll_timeout() {
            t.handle_timeout(at);
        }
    }
}
