//! MPPE negotiation between two CCP instances, and the option handling of one.

use super::*;
use crate::frame::{build_packet, ControlPacket};
use crate::fsm::testing::Out;
use crate::fsm::{code as fc, Options};

fn cfg(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    f(&mut c);
    c
}

/// Runs two CCPs against each other until quiet; returns whether each reached Opened.
fn converge(a: &mut Ccp, b: &mut Ccp) -> (bool, bool) {
    let now = Instant::now();
    for c in [&mut *a, &mut *b] {
        c.fsm.open(now);
        c.fsm.up(now);
    }
    let (mut up_a, mut up_b) = (false, false);
    for _ in 0..50 {
        let mut quiet = true;
        while let Some(act) = a.fsm.poll_out() {
            quiet = false;
            match act {
                Out::Send(p) => {
                    b.receive(now, &p);
                }
                Out::Up => up_a = true,
                _ => {}
            }
        }
        while let Some(act) = b.fsm.poll_out() {
            quiet = false;
            match act {
                Out::Send(p) => {
                    a.receive(now, &p);
                }
                Out::Up => up_b = true,
                _ => {}
            }
        }
        if quiet {
            break;
        }
    }
    (up_a, up_b)
}

/// Next packet sent by `c`, skipping layer signals.
fn next_sent(c: &mut Ccp) -> Vec<u8> {
    loop {
        match c.fsm.poll_out() {
            Some(Out::Send(p)) => return p,
            Some(_) => {}
            None => panic!("nothing sent"),
        }
    }
}

fn both(a: Config, b: Config) -> (Ccp, Ccp) {
    let (mut a, mut b) = (Ccp::new(&a), Ccp::new(&b));
    assert_eq!(converge(&mut a, &mut b), (true, true));
    (a, b)
}

#[test]
fn defaults_agree_on_128_stateless() {
    let (a, b) = both(Config::default(), Config::default());
    let want = Ok(Some((Strength::Bits128, true)));
    assert_eq!(a.fsm.handler.negotiated(), want);
    assert_eq!(b.fsm.handler.negotiated(), want);
}

#[test]
fn forty_bit_only_peer() {
    let (a, b) = both(Config::default(), cfg(|c| c.mppe_128 = false));
    let want = Ok(Some((Strength::Bits40, true)));
    assert_eq!(a.fsm.handler.negotiated(), want);
    assert_eq!(b.fsm.handler.negotiated(), want);
}

#[test]
fn stateful_when_peer_prefers_and_allowed() {
    let (a, b) = both(Config::default(), cfg(|c| c.mppe_prefer_stateful = true));
    let want = Ok(Some((Strength::Bits128, false)));
    assert_eq!(a.fsm.handler.negotiated(), want);
    assert_eq!(b.fsm.handler.negotiated(), want);
}

#[test]
fn stateless_when_peer_prefers_stateful_but_we_refuse() {
    let (a, b) = both(
        cfg(|c| c.mppe_stateful = false),
        cfg(|c| c.mppe_prefer_stateful = true),
    );
    let want = Ok(Some((Strength::Bits128, true)));
    assert_eq!(a.fsm.handler.negotiated(), want);
    assert_eq!(b.fsm.handler.negotiated(), want);
}

#[test]
fn no_common_strength_fails_when_required() {
    let mut a = Ccp::new(&cfg(|c| c.mppe_40 = false));
    let mut b = Ccp::new(&cfg(|c| c.mppe_128 = false));
    converge(&mut a, &mut b);
    assert!(a.fsm.handler.take_failure().is_some() || b.fsm.handler.take_failure().is_some());
}

#[test]
fn windows_style_request_is_naked_to_one_bit() {
    let now = Instant::now();
    let mut c = Ccp::new(&Config::default());
    c.fsm.open(now);
    c.fsm.up(now);
    while c.fsm.poll_out().is_some() {}
    // H | M | S | L | D | C
    let req = [18, 6, 0x01, 0x00, 0x00, 0xf1];
    c.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 4, &req));
    let p = next_sent(&mut c);
    let p = ControlPacket::new_checked(&p[..]).unwrap();
    assert_eq!(
        (p.code(), p.data()),
        (fc::CONFIGURE_NAK, &[18, 6, 0x01, 0, 0, 0x40][..])
    );
}

#[test]
fn other_compressors_rejected_and_missing_mppe_naked() {
    let now = Instant::now();
    let mut c = Ccp::new(&Config::default());
    c.fsm.open(now);
    c.fsm.up(now);
    let ours = next_sent(&mut c);
    let ours = ControlPacket::new_checked(&ours[..]).unwrap();
    assert_eq!(ours.data(), &[18, 6, 0x01, 0, 0, 0x60]);
    // Deflate, BSD-Compress, Predictor-1 and MPPE: the others are rejected.
    let req = [26, 4, 0x78, 0, 21, 3, 0x2f, 1, 2, 18, 6, 0x01, 0, 0, 0x40];
    c.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 1, &req));
    let p = next_sent(&mut c);
    let p = ControlPacket::new_checked(&p[..]).unwrap();
    assert_eq!(
        (p.code(), p.data()),
        (
            fc::CONFIGURE_REJECT,
            &[26, 4, 0x78, 0, 21, 3, 0x2f, 1, 2][..]
        )
    );
    // A request without MPPE is Nak'ed with it (MPPE required).
    c.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 2, &[]));
    let p = next_sent(&mut c);
    let p = ControlPacket::new_checked(&p[..]).unwrap();
    assert_eq!(
        (p.code(), p.data()),
        (fc::CONFIGURE_NAK, &[18, 6, 0x01, 0, 0, 0x40][..])
    );
}

#[test]
fn reject_of_mppe_fails_when_required_and_drops_when_allowed() {
    let now = Instant::now();
    for (policy, fatal) in [(MppePolicy::Require, true), (MppePolicy::Allow, false)] {
        let mut c = Ccp::new(&cfg(|c| c.mppe = policy));
        c.fsm.open(now);
        c.fsm.up(now);
        let ours = next_sent(&mut c);
        let ours = ControlPacket::new_checked(&ours[..]).unwrap();
        c.receive(
            now,
            &build_packet(fc::CONFIGURE_REJECT, ours.id(), ours.data()),
        );
        assert_eq!(c.fsm.handler.take_failure().is_some(), fatal);
        if !fatal {
            let next = next_sent(&mut c);
            let next = ControlPacket::new_checked(&next[..]).unwrap();
            assert!(Options::new_checked(next.data()).unwrap().is_empty());
            c.receive(now, &build_packet(fc::CONFIGURE_ACK, next.id(), &[]));
            c.receive(now, &build_packet(fc::CONFIGURE_REQUEST, 9, &[]));
            assert_eq!(c.fsm.state(), State::Opened);
            assert_eq!(c.fsm.handler.negotiated(), Ok(None));
        }
    }
}

#[test]
fn reset_request_is_answered_and_rate_limited() {
    let (mut a, _b) = both(Config::default(), Config::default());
    let now = Instant::now();
    assert_eq!(
        a.receive(now, &build_packet(code::RESET_REQUEST, 33, &[])),
        CcpInput::ResetRequested
    );
    let p = next_sent(&mut a);
    assert_eq!(p, build_packet(code::RESET_ACK, 33, &[]));
    a.request_reset(now);
    a.request_reset(now + Duration::from_millis(500));
    let sent: Vec<_> = std::iter::from_fn(|| a.fsm.poll_out()).collect();
    assert_eq!(sent.len(), 1);
    a.request_reset(now + Duration::from_secs(1));
    assert!(a.fsm.poll_out().is_some());
    a.receive(now, &build_packet(code::RESET_ACK, 1, &[]));
    a.request_reset(now + Duration::from_millis(1100));
    assert!(a.fsm.poll_out().is_some());
}
