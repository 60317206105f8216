//! Two GRE channels over a lossy, reordering, duplicating in-memory network.

use std::time::{Duration, Instant};

use pptpd::gre::{GreChannel, GrePacket, GreReceive, ACK_PACKET_LEN};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[test]
fn ordered_delivery_over_a_bad_network() {
    for seed in 0..10 {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut now = Instant::now();
        let mut a = GreChannel::new(2, 64, now);
        let mut b = GreChannel::new(1, 64, now);
        let mut in_flight: Vec<Vec<u8>> = Vec::new();
        let mut delivered: Vec<u32> = Vec::new();
        let mut sent = 0u32;
        let mut out = [0u8; 64];

        for round in 0..3000u32 {
            now += Duration::from_millis(1);
            // A sends the round number as its frame.
            let mut buf = [0u8; 64];
            a.send_frame(now, &round.to_be_bytes()).unwrap();
            while let Some(n) = a.poll_transmit(now, &mut buf) {
                sent += 1;
                if rng.gen_bool(0.95) {
                    in_flight.push(buf[..n].to_vec());
                }
                if rng.gen_bool(0.02) {
                    in_flight.push(buf[..n].to_vec());
                }
            }
            // The network delivers a random packet now and then, which reorders.
            while !in_flight.is_empty() && rng.gen_bool(0.6) {
                let i = rng.gen_range(0..in_flight.len().min(4));
                let packet = in_flight.remove(i);
                match b.handle_packet(now, &packet) {
                    GreReceive::Frame(f) => {
                        delivered.push(u32::from_be_bytes(f.try_into().unwrap()))
                    }
                    GreReceive::Buffered | GreReceive::Dropped(_) => {}
                    GreReceive::AckOnly => panic!("A sends data only"),
                }
                while let Some(n) = b.poll_frame(&mut out) {
                    delivered.push(u32::from_be_bytes(out[..n].try_into().unwrap()));
                }
            }
            // B's timers: acks back to A (never lost), reorder timeouts.
            if b.poll_timeout().is_some_and(|t| t <= now) {
                b.handle_timeout(now);
                let mut ack = [0u8; ACK_PACKET_LEN];
                if let Some(n) = b.poll_transmit(now, &mut ack) {
                    let view = GrePacket::new_checked(&ack[..n]).unwrap();
                    assert_eq!(view.call_id(), 1);
                    assert_eq!(a.handle_packet(now, &ack[..n]), GreReceive::AckOnly);
                }
                while let Some(n) = b.poll_frame(&mut out) {
                    delivered.push(u32::from_be_bytes(out[..n].try_into().unwrap()));
                }
            }
        }
        assert!(
            delivered.windows(2).all(|w| w[0] < w[1]),
            "in order, no duplicates"
        );
        let stats = b.stats();
        assert!(
            delivered.len() as u32 > sent * 8 / 10,
            "{} of {sent}",
            delivered.len()
        );
        assert_eq!(stats.rx_frames, delivered.len() as u64);
        assert!(sent > 2900, "the window never stalled for long: {sent}");
        assert!(a.waiting() < 64, "the queue never filled");
    }
}
