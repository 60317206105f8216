//! Deterministic scenarios for the reliable control channel, in virtual time.

use std::time::{Duration, Instant};

use l2tpd::reliable::{Receive, ReliableChannel, ReliableConfig, ReliableEvent, SendError};

/// A datagram the channel sent, copied out of its queue.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sent {
    ns: u16,
    nr: u16,
    body: Vec<u8>,
}

/// `poll_transmit`, with the borrowed body copied so the channel can be used again.
fn tx(ch: &mut ReliableChannel, now: Instant) -> Option<Sent> {
    ch.poll_transmit(now).map(|t| Sent {
        ns: t.ns,
        nr: t.nr,
        body: t.body.to_vec(),
    })
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn ms(m: u64) -> Duration {
    Duration::from_millis(m)
}

fn channel() -> ReliableChannel {
    ReliableChannel::new(ReliableConfig::default())
}

fn ns_of(t: Option<Sent>) -> Option<u16> {
    t.map(|t| t.ns)
}

#[test]
fn backoff_is_1_2_4_8_8_then_peer_dead() {
    let t0 = Instant::now();
    let mut ch = channel();
    ch.send(b"SCCRQ".to_vec()).unwrap();
    let first = tx(&mut ch, t0).unwrap();
    assert_eq!(
        (first.ns, first.nr, first.body.as_slice()),
        (0, 0, &b"SCCRQ"[..])
    );
    assert_eq!(tx(&mut ch, t0), None);

    let mut at = t0;
    for (i, gap) in [1, 2, 4, 8, 8].into_iter().enumerate() {
        let due = at + secs(gap);
        assert_eq!(ch.poll_timeout(), Some(due), "retransmission {}", i + 1);
        ch.handle_timeout(due - ms(1));
        assert_eq!(tx(&mut ch, due - ms(1)), None);
        ch.handle_timeout(due);
        assert_eq!(tx(&mut ch, due), Some(first.clone()));
        assert_eq!(tx(&mut ch, due), None);
        at = due;
    }
    assert_eq!(ch.stats().retransmissions, 5);
    assert_eq!(ch.poll_event(), None);
    let last = at + secs(8);
    assert_eq!(ch.poll_timeout(), Some(last));
    ch.handle_timeout(last);
    assert_eq!(ch.poll_event(), Some(ReliableEvent::PeerDead));
    assert_eq!(ch.poll_event(), None);
    assert_eq!(tx(&mut ch, last), None);
    assert_eq!(ch.poll_timeout(), None);
    ch.handle_timeout(last + secs(100));
    assert_eq!(ch.poll_event(), None);
    assert_eq!(ch.send(b"x".to_vec()), Err(SendError::PeerDead));
}

#[test]
fn ack_resets_backoff_and_retransmissions_carry_current_nr() {
    let t0 = Instant::now();
    let mut ch = ReliableChannel::new(ReliableConfig {
        slow_start: false,
        ..ReliableConfig::default()
    });
    ch.send(b"a".to_vec()).unwrap();
    ch.send(b"b".to_vec()).unwrap();
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(0));
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(1));
    ch.handle_timeout(t0 + secs(1));
    assert_eq!(ns_of(tx(&mut ch, t0 + secs(1))), Some(0));
    // Meanwhile the peer's first message arrives: the next retransmission acknowledges it.
    assert_eq!(ch.receive(t0 + secs(2), 0, 0, b"peer"), Receive::Accepted);
    ch.handle_timeout(t0 + secs(3));
    let re = tx(&mut ch, t0 + secs(3)).unwrap();
    assert_eq!((re.ns, re.nr), (0, 1));
    // Ns 0 acknowledged: Ns 1 is now the oldest, timed from the initial timeout again.
    assert_eq!(ch.receive(t0 + secs(4), 1, 1, b""), Receive::AckOnly);
    assert_eq!(ch.poll_timeout(), Some(t0 + secs(5)));
    assert!(!ch.is_idle());
    assert_eq!(ch.receive(t0 + secs(4), 1, 2, b""), Receive::AckOnly);
    assert!(ch.is_idle());
    assert_eq!(ch.poll_timeout(), None);
}

#[test]
fn peer_window_holds_messages_until_acked() {
    let t0 = Instant::now();
    let cfg = ReliableConfig {
        peer_window: 2,
        max_queue: 4,
        slow_start: false,
        ..ReliableConfig::default()
    };
    let mut ch = ReliableChannel::new(cfg);
    for i in 0..4u16 {
        assert_eq!(ch.send(vec![i as u8]), Ok(i));
    }
    assert_eq!(ch.send(vec![9]), Err(SendError::QueueFull));
    assert_eq!(ch.send(Vec::new()), Err(SendError::EmptyBody));
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(0));
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(1));
    assert_eq!(tx(&mut ch, t0), None);
    ch.receive(t0, 0, 1, b"");
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(2));
    assert_eq!(tx(&mut ch, t0), None);
    assert_eq!(ch.send(vec![4]), Ok(4));
    ch.receive(t0, 0, 3, b"");
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(3));
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(4));
    assert_eq!(tx(&mut ch, t0), None);
    ch.set_peer_window(1);
    ch.receive(t0, 0, 4, b"");
    assert_eq!(tx(&mut ch, t0), None);
    assert!(!ch.is_idle());
}

#[test]
fn ack_of_unsent_messages_is_ignored() {
    let t0 = Instant::now();
    let mut ch = channel();
    ch.send(b"a".to_vec()).unwrap();
    ch.send(b"b".to_vec()).unwrap();
    ch.set_peer_window(1);
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(0));
    // Nr 2 would acknowledge Ns 1, which never went out.
    assert_eq!(ch.receive(t0, 0, 2, b""), Receive::AckOnly);
    assert_eq!(ch.stats().bad_acks, 1);
    assert_eq!(tx(&mut ch, t0), None);
    ch.receive(t0, 0, 1, b"");
    assert_eq!(ns_of(tx(&mut ch, t0)), Some(1));
    // A stale Nr (from a reordered datagram) is harmless and not counted as bogus.
    assert_eq!(ch.receive(t0, 0, 0, b""), Receive::AckOnly);
    assert_eq!(ch.stats().bad_acks, 1);
    assert!(!ch.is_idle());
}

#[test]
fn duplicate_is_reacknowledged_at_once() {
    let t0 = Instant::now();
    let mut ch = channel();
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Accepted);
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m0"[..]));
    assert_eq!(tx(&mut ch, t0), None);
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Duplicate);
    assert_eq!(
        tx(&mut ch, t0),
        Some(Sent {
            ns: 0,
            nr: 1,
            body: Vec::new()
        })
    );
    assert_eq!(tx(&mut ch, t0 + secs(1)), None);
    assert_eq!(ch.poll_deliver(), None);
    assert_eq!(ch.stats().duplicates, 1);
    // A duplicate of a held (out-of-order) message is re-acknowledged too.
    assert_eq!(ch.receive(t0, 2, 0, b"m2"), Receive::Held);
    assert_eq!(ch.receive(t0, 2, 0, b"m2"), Receive::Duplicate);
    assert_eq!(ch.stats().duplicates, 2);
}

#[test]
fn out_of_order_within_window_is_held_then_released_in_order() {
    let t0 = Instant::now();
    let cfg = ReliableConfig {
        our_window: 4,
        ..ReliableConfig::default()
    };
    let mut ch = ReliableChannel::new(cfg);
    assert_eq!(ch.receive(t0, 4, 0, b"m4"), Receive::OutOfWindow);
    assert_eq!(ch.receive(t0, 3, 0, b"m3"), Receive::Held);
    assert_eq!(ch.receive(t0, 1, 0, b"m1"), Receive::Held);
    assert_eq!(ch.poll_deliver(), None);
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Accepted);
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m0"[..]));
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m1"[..]));
    assert_eq!(ch.poll_deliver(), None);
    assert_eq!(ch.receive(t0, 2, 0, b"m2"), Receive::Accepted);
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m2"[..]));
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m3"[..]));
    assert_eq!(ch.poll_deliver(), None);
    let stats = ch.stats();
    assert_eq!((stats.out_of_window, stats.duplicates), (1, 0));
    assert_eq!(tx(&mut ch, t0 + secs(1)).map(|t| t.nr), Some(4));
}

#[test]
fn undelivered_messages_fill_our_window() {
    let t0 = Instant::now();
    let cfg = ReliableConfig {
        our_window: 2,
        ..ReliableConfig::default()
    };
    let mut ch = ReliableChannel::new(cfg);
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Accepted);
    assert_eq!(ch.receive(t0, 1, 0, b"m1"), Receive::Accepted);
    assert_eq!(ch.receive(t0, 2, 0, b"m2"), Receive::OutOfWindow);
    assert_eq!(ch.poll_deliver().as_deref(), Some(&b"m0"[..]));
    assert_eq!(ch.receive(t0, 2, 0, b"m2"), Receive::Accepted);
}

#[test]
fn zlb_goes_out_after_ack_delay_unless_piggybacked() {
    let t0 = Instant::now();
    let delay = ReliableConfig::default().ack_delay;
    let mut ch = channel();
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Accepted);
    assert_eq!(ch.poll_timeout(), Some(t0 + delay));
    assert_eq!(tx(&mut ch, t0 + delay - ms(1)), None);
    ch.handle_timeout(t0 + delay);
    assert_eq!(
        tx(&mut ch, t0 + delay),
        Some(Sent {
            ns: 0,
            nr: 1,
            body: Vec::new()
        })
    );
    assert_eq!(ch.poll_timeout(), None);

    // A message of ours sent within the delay carries the acknowledgement instead.
    let t1 = t0 + secs(1);
    assert_eq!(ch.receive(t1, 1, 0, b"m1"), Receive::Accepted);
    ch.send(b"reply".to_vec()).unwrap();
    let reply = tx(&mut ch, t1 + ms(10)).unwrap();
    assert_eq!((reply.ns, reply.nr), (0, 2));
    assert_eq!(ch.poll_timeout(), Some(t1 + ms(10) + secs(1)));
    assert_eq!(tx(&mut ch, t1 + delay), None);
    // A ZLB carries the Ns of our next new message, which it does not consume.
    assert_eq!(ch.receive(t1, 2, 1, b"m2"), Receive::Accepted);
    let zlb = tx(&mut ch, t1 + secs(1)).unwrap();
    assert_eq!((zlb.ns, zlb.nr, zlb.body.len()), (1, 3, 0));
    assert_eq!(ch.send(b"next".to_vec()), Ok(1));
}

#[test]
fn zlb_never_advances_expected_ns() {
    let t0 = Instant::now();
    let mut ch = channel();
    assert_eq!(ch.receive(t0, 0, 0, b""), Receive::AckOnly);
    assert_eq!(ch.receive(t0, 5, 0, b""), Receive::AckOnly);
    assert_eq!(tx(&mut ch, t0 + secs(1)), None);
    assert_eq!(ch.receive(t0, 0, 0, b"m0"), Receive::Accepted);
}

#[test]
fn sequence_numbers_wrap_past_65535() {
    let t0 = Instant::now();
    let mut a = channel();
    let mut b = channel();
    let mut now = t0;
    for i in 0..70_000u32 {
        let body = i.to_be_bytes().to_vec();
        a.send(body.clone()).unwrap();
        let t = tx(&mut a, now).unwrap();
        assert_eq!(t.ns, i as u16);
        assert_eq!(b.receive(now, t.ns, t.nr, &t.body), Receive::Accepted);
        assert_eq!(b.poll_deliver(), Some(body));
        now += ms(500);
        let ack = tx(&mut b, now).unwrap();
        assert_eq!((ack.nr, ack.body.len()), ((i + 1) as u16, 0));
        assert_eq!(a.receive(now, ack.ns, ack.nr, &ack.body), Receive::AckOnly);
        assert!(a.is_idle());
    }
    // Around the wrap a duplicate from "behind" is still recognised as one.
    assert_eq!(b.receive(now, 65_535, 0, b"old"), Receive::Duplicate);
    assert_eq!(a.stats().retransmissions, 0);
}

#[test]
fn peer_that_only_acknowledges_stays_alive() {
    let t0 = Instant::now();
    let mut a = channel();
    let mut b = channel();
    let mut now = t0;
    for i in 0..500u32 {
        a.send(i.to_be_bytes().to_vec()).unwrap();
        while let Some(t) = tx(&mut a, now) {
            b.receive(now, t.ns, t.nr, &t.body);
        }
        while b.poll_deliver().is_some() {}
        // b never sends a message of its own: only its delayed ZLBs come back.
        now += secs(3);
        b.handle_timeout(now);
        while let Some(t) = tx(&mut b, now) {
            assert!(t.body.is_empty());
            a.receive(now, t.ns, t.nr, &t.body);
        }
        a.handle_timeout(now);
        assert_eq!(a.poll_event(), None);
        assert!(a.is_idle());
    }
    assert_eq!(a.stats().retransmissions, 0);
    assert!(b.is_idle());
}

#[test]
fn slow_start_opens_the_window_and_retransmission_closes_it() {
    let t0 = Instant::now();
    let cfg = ReliableConfig {
        peer_window: 8,
        ..ReliableConfig::default()
    };
    let mut ch = ReliableChannel::new(cfg);
    for i in 0..20u8 {
        ch.send(vec![i]).unwrap();
    }
    let burst = |ch: &mut ReliableChannel, now| {
        let mut n = Vec::new();
        while let Some(t) = tx(ch, now) {
            n.push(t.ns);
        }
        n
    };
    assert_eq!(burst(&mut ch, t0), [0]);
    ch.receive(t0, 0, 1, b"");
    assert_eq!(burst(&mut ch, t0), [1, 2]);
    ch.receive(t0, 0, 3, b"");
    assert_eq!(burst(&mut ch, t0), [3, 4, 5, 6]);
    // Nothing acknowledged for a second: one retransmission, and the window drops to one.
    ch.handle_timeout(t0 + secs(1));
    assert_eq!(burst(&mut ch, t0 + secs(1)), [3]);
    ch.receive(t0 + secs(1), 0, 6, b"");
    // Ns 6 is still in flight; the window grew back from 1 to 3 (slow start up to half of 4).
    assert_eq!(burst(&mut ch, t0 + secs(1)), [7, 8]);
}

/// Half our window accepted without anything to piggyback on is acknowledged at once: a peer
/// sending a burst (many ICCNs, say) does not stall for the ack delay with its window full.
#[test]
fn half_a_window_of_messages_is_acknowledged_without_delay() {
    let t0 = Instant::now();
    let window = ReliableConfig::default().our_window;
    let mut ch = channel();
    for ns in 0..window / 2 - 1 {
        assert_eq!(ch.receive(t0, ns, 0, b"m"), Receive::Accepted);
        assert_eq!(tx(&mut ch, t0), None, "one message waits for the ack delay");
    }
    assert_eq!(ch.receive(t0, window / 2 - 1, 0, b"m"), Receive::Accepted);
    assert_eq!(
        tx(&mut ch, t0),
        Some(Sent {
            ns: 0,
            nr: window / 2,
            body: Vec::new()
        })
    );
    // The count starts again after that acknowledgement.
    assert_eq!(ch.receive(t0, window / 2, 0, b"m"), Receive::Accepted);
    assert_eq!(tx(&mut ch, t0), None);
}
