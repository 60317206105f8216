//! Two reliable channels wired through a seeded network that loses, duplicates and reorders
//! datagrams, in virtual time: every message must arrive exactly once and in order.

use std::time::{Duration, Instant};

use l2tpd::reliable::{ReliableChannel, ReliableConfig, ReliableStats, SendError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How the simulated network misbehaves.
#[derive(Clone, Copy)]
struct Network {
    loss: f64,
    duplicate: f64,
    max_delay_ms: u64,
}

/// A datagram in flight to channel `to`, arriving at `at`.
struct InFlight {
    at: Instant,
    to: usize,
    /// Ns, Nr and body.
    msg: (u16, u16, Vec<u8>),
}

fn body(from: usize, i: u32) -> Vec<u8> {
    let mut b = vec![from as u8];
    b.extend_from_slice(&i.to_be_bytes());
    b
}

/// Runs until each side has sent `count` messages and had all of them acknowledged; returns
/// both sides' counters.
fn run(seed: u64, count: [u32; 2], cfg: &ReliableConfig, net: Network) -> [ReliableStats; 2] {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut now = Instant::now();
    let mut ch = [
        ReliableChannel::new(cfg.clone()),
        ReliableChannel::new(cfg.clone()),
    ];
    let mut sent = [0u32; 2];
    let mut got = [0u32; 2];
    let mut wire: Vec<InFlight> = Vec::new();

    for _ in 0..10_000_000 {
        // Deliver what is due, in arrival order (ties broken by insertion order).
        wire.sort_by_key(|f| f.at);
        let due = wire.partition_point(|f| f.at <= now);
        for f in wire.drain(..due).collect::<Vec<_>>() {
            ch[f.to].receive(now, f.msg.0, f.msg.1, &f.msg.2);
            while let Some(b) = ch[f.to].poll_deliver() {
                assert_eq!(
                    b,
                    body(1 - f.to, got[f.to]),
                    "seed {seed}: out of order or duplicate"
                );
                got[f.to] += 1;
            }
        }
        for c in &mut ch {
            if c.poll_timeout().is_some_and(|t| t <= now) {
                c.handle_timeout(now);
            }
            assert_eq!(c.poll_event(), None, "seed {seed}: peer declared dead");
        }
        for side in 0..2 {
            while sent[side] < count[side] {
                match ch[side].send(body(side, sent[side])) {
                    Ok(_) => sent[side] += 1,
                    Err(SendError::QueueFull) => break,
                    Err(e) => panic!("send failed: {e:?}"),
                }
            }
            while let Some(msg) = ch[side].poll_transmit(now) {
                if rng.gen_bool(net.loss) {
                    continue;
                }
                let copies = if rng.gen_bool(net.duplicate) { 2 } else { 1 };
                for _ in 0..copies {
                    let delay = Duration::from_millis(rng.gen_range(0..=net.max_delay_ms));
                    wire.push(InFlight {
                        at: now + delay,
                        to: 1 - side,
                        msg: (msg.ns, msg.nr, msg.body.to_vec()),
                    });
                }
            }
        }
        let done = (0..2).all(|s| sent[s] == count[s] && got[1 - s] == count[s] && ch[s].is_idle());
        if done {
            return [ch[0].stats(), ch[1].stats()];
        }
        let next = wire
            .iter()
            .map(|f| f.at)
            .chain(ch.iter().filter_map(|c| c.poll_timeout()))
            .min()
            .unwrap_or_else(|| panic!("seed {seed}: stalled, sent {sent:?} got {got:?}"));
        now = now.max(next);
    }
    panic!("seed {seed}: did not finish");
}

fn lossy_cfg() -> ReliableConfig {
    ReliableConfig {
        our_window: 8,
        peer_window: 8,
        // Generous so that an unlucky streak of losses is not mistaken for a dead peer.
        max_retransmits: 30,
        max_queue: 16,
        ..ReliableConfig::default()
    }
}

#[test]
fn exactly_once_in_order_under_loss_duplication_and_reordering() {
    let net = Network {
        loss: 0.2,
        duplicate: 0.1,
        max_delay_ms: 400,
    };
    let mut total = [ReliableStats::default(); 2];
    for seed in 0..40 {
        let stats = run(seed, [300, 200], &lossy_cfg(), net);
        for (t, s) in total.iter_mut().zip(stats) {
            t.duplicates += s.duplicates;
            t.retransmissions += s.retransmissions;
            t.out_of_window += s.out_of_window;
            t.bad_acks += s.bad_acks;
        }
    }
    // The network really did misbehave, and the channel never saw a bogus Nr.
    for t in total {
        assert!(t.duplicates > 0 && t.retransmissions > 0, "{t:?}");
        assert_eq!(t.bad_acks, 0);
    }
}

#[test]
fn small_windows_without_slow_start() {
    let net = Network {
        loss: 0.1,
        duplicate: 0.05,
        max_delay_ms: 1500,
    };
    let cfg = ReliableConfig {
        our_window: 4,
        peer_window: 4,
        max_retransmits: 30,
        max_queue: 4,
        slow_start: false,
        ..ReliableConfig::default()
    };
    for seed in 100..120 {
        run(seed, [150, 150], &cfg, net);
    }
}

#[test]
fn wraps_past_65535_under_loss() {
    let net = Network {
        loss: 0.05,
        duplicate: 0.05,
        max_delay_ms: 300,
    };
    run(7, [66_000, 1_000], &lossy_cfg(), net);
}

#[test]
fn perfect_network_needs_no_retransmission() {
    let net = Network {
        loss: 0.0,
        duplicate: 0.0,
        max_delay_ms: 100,
    };
    let stats = run(1, [500, 500], &lossy_cfg(), net);
    for s in stats {
        assert_eq!(s, ReliableStats::default());
    }
}
