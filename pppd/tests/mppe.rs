//! MPPE round trips, coherency-count wrap, loss/reordering (stateless) and reset resync (stateful).

use pppd::auth::MppeKeys;
use pppd::mppe::{Mppe, MppeError, Strength};

#[path = "support/ipv4.rs"]
mod ipv4;
use ipv4::ipv4_packet;

fn pair(strength: Strength, stateless: bool) -> (Mppe, Mppe) {
    let client = MppeKeys {
        send: [0x11; 16],
        recv: [0x22; 16],
    };
    let server = MppeKeys {
        send: client.recv,
        recv: client.send,
    };
    (
        Mppe::new(&client, strength, stateless),
        Mppe::new(&server, strength, stateless),
    )
}

/// A PPP payload that differs per packet: protocol 0x0021 and an IPv4 packet.
fn payload(i: usize) -> Vec<u8> {
    let packet = ipv4_packet(i as u16, (i % 97) + 40, |j| (i * 31 + j) as u8);
    [&[0x00, 0x21][..], &packet].concat()
}

fn encrypt(tx: &mut Mppe, i: usize) -> Vec<u8> {
    let plain = payload(i);
    let mut out = vec![0u8; plain.len() + 2];
    let n = tx.encrypt(&plain, &mut out);
    assert_eq!(n, plain.len() + 2);
    out
}

fn decrypt_ok(rx: &mut Mppe, data: &[u8], i: usize) {
    let mut out = vec![0u8; data.len() + 1];
    let n = rx
        .decrypt(data, &mut out)
        .unwrap_or_else(|e| panic!("packet {i}: {e:?}"));
    assert_eq!(&out[..n], &payload(i)[..], "packet {i}");
}

/// Decrypts a packet that must be dropped; returns why.
fn dropped(rx: &mut Mppe, data: &[u8]) -> MppeError {
    let mut out = vec![0u8; data.len() + 1];
    rx.decrypt(data, &mut out)
        .expect_err("the packet is dropped")
}

fn ccount(data: &[u8]) -> u16 {
    u16::from_be_bytes([data[0], data[1]]) & 0x0fff
}

fn flushed(data: &[u8]) -> bool {
    data[0] & 0x80 != 0
}

#[test]
fn round_trip_all_modes_across_wrap() {
    for strength in [Strength::Bits40, Strength::Bits128] {
        for stateless in [true, false] {
            let (mut a, mut b) = pair(strength, stateless);
            for i in 0..4200 {
                let pkt = encrypt(&mut a, i);
                assert_eq!(ccount(&pkt), (i % 4096) as u16);
                assert_eq!(pkt[0] & 0x10, 0x10, "D bit");
                let expect_flush = stateless || i % 256 == 255;
                assert_eq!(flushed(&pkt), expect_flush, "packet {i}");
                decrypt_ok(&mut b, &pkt, i);
                // And the other direction, interleaved.
                let back = encrypt(&mut b, i + 1);
                decrypt_ok(&mut a, &back, i + 1);
            }
        }
    }
}

#[test]
fn directions_use_different_keys() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let x = encrypt(&mut a, 5);
    let y = encrypt(&mut b, 5);
    assert_ne!(x, y);
    // A packet cannot be decrypted with its own direction's sender context.
    let mut out = [0u8; 256];
    let n = a.decrypt(&x, &mut out).unwrap();
    assert_ne!(&out[..n], &payload(5)[..]);
}

#[test]
fn stateless_loss_and_reordering() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let pkts: Vec<Vec<u8>> = (0..5000).map(|i| encrypt(&mut a, i)).collect();
    // Loss: skip packets 3..10, then a big burst of 1500.
    for i in [0, 1, 2, 10, 11, 1600, 1601] {
        decrypt_ok(&mut b, &pkts[i], i);
    }
    // Reordering: 1603 before 1602 — the late one is dropped, later ones still decrypt.
    decrypt_ok(&mut b, &pkts[1603], 1603);
    assert_eq!(dropped(&mut b, &pkts[1602]), MppeError::TooFarAhead);
    // Duplicate.
    assert_eq!(dropped(&mut b, &pkts[1603]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[1604], 1604);
    // Across the 4096 wrap with loss.
    decrypt_ok(&mut b, &pkts[3000], 3000);
    decrypt_ok(&mut b, &pkts[4100], 4100);
    decrypt_ok(&mut b, &pkts[4101], 4101);
}

#[test]
fn stateless_too_far_ahead_is_dropped() {
    let (mut a, mut b) = pair(Strength::Bits40, true);
    let pkts: Vec<Vec<u8>> = (0..2100).map(|i| encrypt(&mut a, i)).collect();
    decrypt_ok(&mut b, &pkts[0], 0);
    // 2048 ahead of the last good count is outside the window.
    assert_eq!(dropped(&mut b, &pkts[2048]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[2047], 2047);
    decrypt_ok(&mut b, &pkts[2099], 2099);
}

#[test]
fn stateless_resyncs_after_a_loss_of_more_than_half_the_count_space() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let pkts: Vec<Vec<u8>> = (0..5503).map(|i| encrypt(&mut a, i)).collect();
    decrypt_ok(&mut b, &pkts[0], 0);
    // 1..=3000 lost: the first packet after is dropped (it could be late), the one after it
    // proves the loss and decrypts, and so do the rest.
    assert_eq!(dropped(&mut b, &pkts[3001]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[3002], 3002);
    decrypt_ok(&mut b, &pkts[3003], 3003);
    // A single late packet far behind, then a late pair that does not follow each other: all
    // dropped, and the stream goes on where it was.
    for late in [2900, 2000, 2002] {
        assert_eq!(
            dropped(&mut b, &pkts[late]),
            MppeError::TooFarAhead,
            "late packet {late}"
        );
    }
    decrypt_ok(&mut b, &pkts[3004], 3004);
    // The same across the count's wrap: 3005..=5499 lost (5500 is count 1404).
    assert_eq!(dropped(&mut b, &pkts[5500]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[5501], 5501);
    decrypt_ok(&mut b, &pkts[5502], 5502);
}

#[test]
fn stateless_finds_its_key_again_after_a_loss_of_whole_count_cycles() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let pkts: Vec<Vec<u8>> = (0..20003).map(|i| encrypt(&mut a, i)).collect();
    decrypt_ok(&mut b, &pkts[0], 0);
    // 1..=5000 lost: 5001 is 905 counts on, so with the key 905 changes on, a whole cycle
    // behind, it is no IP and dropped; the next one too, and then the key is found a cycle
    // ahead.
    assert_eq!(dropped(&mut b, &pkts[5001]), MppeError::NotIp);
    decrypt_ok(&mut b, &pkts[5002], 5002);
    decrypt_ok(&mut b, &pkts[5003], 5003);
    // Two cycles and more on (5004..=13694 lost): found the same way.
    assert_eq!(dropped(&mut b, &pkts[13695]), MppeError::NotIp);
    decrypt_ok(&mut b, &pkts[13696], 13696);
    // A cycle and more than half of one on (13697..=19999 lost, 6,303 counts: 2,207 in the
    // count): the first is out of the window, the second finds the key.
    assert_eq!(dropped(&mut b, &pkts[20000]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[20001], 20001);
    decrypt_ok(&mut b, &pkts[20002], 20002);
}

#[test]
fn stateless_junk_does_not_move_the_keys() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let pkts: Vec<Vec<u8>> = (0..3100).map(|i| encrypt(&mut a, i)).collect();
    decrypt_ok(&mut b, &pkts[0], 0);
    // Forged packets far ahead, in sequence, that decrypt to nothing like IP: dropped, and
    // the real stream goes on.
    for (i, count) in [3000u16, 3001, 3002].into_iter().enumerate() {
        let mut forged = vec![0u8; 60];
        forged[..2].copy_from_slice(&(0x9000 | count).to_be_bytes());
        forged[2..].fill(i as u8);
        assert_eq!(dropped(&mut b, &forged), MppeError::TooFarAhead);
    }
    decrypt_ok(&mut b, &pkts[1], 1);
    decrypt_ok(&mut b, &pkts[2], 2);
}

#[test]
fn stateless_forged_counts_in_the_window_do_not_move_the_keys() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let pkts: Vec<Vec<u8>> = (0..40).map(|i| encrypt(&mut a, i)).collect();
    decrypt_ok(&mut b, &pkts[0], 0);
    // Forged packets 2 to 2,047 counts ahead (a jump a loss would make), that decrypt to
    // nothing like IP with the key that far on: dropped, the keys left where they were.
    for (i, count) in [2u16, 500, 2047, 1000, 3].into_iter().enumerate() {
        let mut forged = vec![0u8; 60];
        forged[..2].copy_from_slice(&(0x9000 | count).to_be_bytes());
        forged[2..].fill(i as u8 + 7);
        assert_eq!(dropped(&mut b, &forged), MppeError::NotIp, "count {count}");
    }
    // The real stream goes on, losses included.
    decrypt_ok(&mut b, &pkts[1], 1);
    decrypt_ok(&mut b, &pkts[2], 2);
    decrypt_ok(&mut b, &pkts[30], 30);
    // A forged next count is taken unchecked (as every packet without a loss is): it costs
    // the one real packet whose count it took, no more.
    let mut forged = vec![0u8; 60];
    forged[..2].copy_from_slice(&(0x9000 | 31u16).to_be_bytes());
    let mut out = [0u8; 64];
    let _ = b.decrypt(&forged, &mut out);
    assert_eq!(dropped(&mut b, &pkts[31]), MppeError::TooFarAhead);
    decrypt_ok(&mut b, &pkts[32], 32);
    decrypt_ok(&mut b, &pkts[39], 39);
}

#[test]
fn stateful_asks_for_a_reset_after_a_loss_of_more_than_half_the_count_space() {
    let (mut a, mut b) = pair(Strength::Bits128, false);
    decrypt_ok(&mut b, &encrypt(&mut a, 0), 0);
    for i in 1..=3000 {
        encrypt(&mut a, i); // lost
    }
    // The first is dropped as possibly late, the second proves the loss.
    assert_eq!(
        dropped(&mut b, &encrypt(&mut a, 3001)),
        MppeError::TooFarAhead
    );
    assert_eq!(
        dropped(&mut b, &encrypt(&mut a, 3002)),
        MppeError::ResetNeeded
    );
    // The sender gets the Reset-Request; its next packet is flushed and resynchronizes.
    a.reset_requested();
    let flushed_pkt = encrypt(&mut a, 3003);
    assert!(flushed(&flushed_pkt));
    decrypt_ok(&mut b, &flushed_pkt, 3003);
    decrypt_ok(&mut b, &encrypt(&mut a, 3004), 3004);
}

#[test]
fn stateful_resyncs_past_a_lost_flushed_packet() {
    let (mut a, mut b) = pair(Strength::Bits128, false);
    decrypt_ok(&mut b, &encrypt(&mut a, 0), 0);
    encrypt(&mut a, 1); // lost
    assert_eq!(dropped(&mut b, &encrypt(&mut a, 2)), MppeError::ResetNeeded);
    // The sender's flushed answer is lost (its key changed all the same), so the receiver
    // asks again and the sender flushes again: two key changes where one was seen.
    a.reset_requested();
    assert!(flushed(&encrypt(&mut a, 3))); // lost
    assert_eq!(dropped(&mut b, &encrypt(&mut a, 4)), MppeError::ResetNeeded);
    a.reset_requested();
    decrypt_ok(&mut b, &encrypt(&mut a, 5), 5);
    decrypt_ok(&mut b, &encrypt(&mut a, 6), 6);
}

#[test]
fn stateful_junk_in_order_asks_for_a_reset() {
    let (mut a, mut b) = pair(Strength::Bits128, false);
    decrypt_ok(&mut b, &encrypt(&mut a, 0), 0);
    assert!(!b.check_decrypted(&payload(0)), "IP: nothing to do");
    // The caller decrypted something that is not IP: the stream is lost.
    assert!(b.check_decrypted(b"test message"));
    assert_eq!(dropped(&mut b, &encrypt(&mut a, 1)), MppeError::ResetNeeded);
    a.reset_requested();
    decrypt_ok(&mut b, &encrypt(&mut a, 2), 2);
    // Stateless mode judges its packets inside decrypt and never needs one.
    let (_, mut stateless) = pair(Strength::Bits128, true);
    assert!(!stateless.check_decrypted(b"test message"));
}

#[test]
fn stateful_resyncs_on_a_flushed_packet_far_ahead_while_discarding() {
    let (mut a, mut b) = pair(Strength::Bits128, false);
    decrypt_ok(&mut b, &encrypt(&mut a, 0), 0);
    encrypt(&mut a, 1); // lost
    assert_eq!(dropped(&mut b, &encrypt(&mut a, 2)), MppeError::ResetNeeded);
    // The Reset-Request is answered only after 3000 more packets were lost.
    for i in 3..3000 {
        encrypt(&mut a, i);
    }
    a.reset_requested();
    decrypt_ok(&mut b, &encrypt(&mut a, 3000), 3000);
    decrypt_ok(&mut b, &encrypt(&mut a, 3001), 3001);
}

#[test]
fn stateful_loss_reset_and_resync() {
    for strength in [Strength::Bits40, Strength::Bits128] {
        let (mut a, mut b) = pair(strength, false);
        for i in 0..100 {
            decrypt_ok(&mut b, &encrypt(&mut a, i), i);
        }
        // Lose packets 100..=700 (crossing the flag packets 255 and 511).
        let mut i = 100;
        while i <= 700 {
            encrypt(&mut a, i);
            i += 1;
        }
        // Non-flushed packets are dropped with ResetNeeded until the reset takes effect.
        let p = encrypt(&mut a, i);
        assert!(!flushed(&p));
        assert_eq!(dropped(&mut b, &p), MppeError::ResetNeeded);
        i += 1;
        let p = encrypt(&mut a, i);
        assert_eq!(dropped(&mut b, &p), MppeError::ResetNeeded);
        i += 1;
        // CCP Reset-Request reaches the sender.
        a.reset_requested();
        let p = encrypt(&mut a, i);
        assert!(flushed(&p));
        decrypt_ok(&mut b, &p, i);
        i += 1;
        // In sync again, across the next flag packets and the 4096 wrap.
        while i < 4400 {
            decrypt_ok(&mut b, &encrypt(&mut a, i), i);
            i += 1;
        }
    }
}

#[test]
fn stateful_resync_on_flag_packet_without_reset() {
    let (mut a, mut b) = pair(Strength::Bits128, false);
    for i in 0..10 {
        decrypt_ok(&mut b, &encrypt(&mut a, i), i);
    }
    // Lose 10..=254 and 256..=510; packet 511 is a flag packet (flushed): resync directly.
    for i in 10..511 {
        let p = encrypt(&mut a, i);
        if i == 255 {
            assert!(flushed(&p));
        }
    }
    let p = encrypt(&mut a, 511);
    assert!(flushed(&p));
    decrypt_ok(&mut b, &p, 511);
    decrypt_ok(&mut b, &encrypt(&mut a, 512), 512);
    // The flag packet 767 lost, then a loss without flush needs a reset.
    for i in 513..=767 {
        encrypt(&mut a, i);
    }
    assert_eq!(
        dropped(&mut b, &encrypt(&mut a, 768)),
        MppeError::ResetNeeded
    );
    a.reset_requested();
    decrypt_ok(&mut b, &encrypt(&mut a, 769), 769);
    decrypt_ok(&mut b, &encrypt(&mut a, 770), 770);
}

#[test]
fn stateful_resync_right_after_a_flag_packet() {
    // The last good packet was itself a flag packet: no extra key change for it.
    let (mut a, mut b) = pair(Strength::Bits128, false);
    for i in 0..=255 {
        decrypt_ok(&mut b, &encrypt(&mut a, i), i);
    }
    encrypt(&mut a, 256);
    assert_eq!(
        dropped(&mut b, &encrypt(&mut a, 257)),
        MppeError::ResetNeeded
    );
    a.reset_requested();
    decrypt_ok(&mut b, &encrypt(&mut a, 258), 258);
}

#[test]
fn bad_input() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    let mut out = [0u8; 64];
    assert_eq!(b.decrypt(&[], &mut out), Err(MppeError::Truncated));
    assert_eq!(b.decrypt(&[0x90], &mut out), Err(MppeError::Truncated));
    assert_eq!(dropped(&mut b, &[0x90, 0x00]), MppeError::Truncated);
    assert_eq!(
        dropped(&mut b, &[0x80, 0x00, 1, 2]),
        MppeError::NotEncrypted
    );
    let pkt = encrypt(&mut a, 0);
    let mut small = [0u8; 4];
    assert_eq!(b.decrypt(&pkt, &mut small), Err(MppeError::Truncated));
    // Output too small for encrypt: nothing written, 0 returned.
    assert_eq!(a.encrypt(&[0, 0x21, 1, 2, 3], &mut small), 0);
    // Random garbage never panics.
    let mut x: u32 = 12345;
    for _ in 0..2000 {
        let len = (x % 40) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let _ = b.decrypt(&data, &mut out);
    }
}

#[test]
fn pfc_protocol_is_expanded() {
    let (mut a, mut b) = pair(Strength::Bits128, true);
    // A 1-byte (PFC) protocol 0x21 followed by data.
    let plain = [0x21, 0x45, 0x00, 0x01];
    let mut enc = [0u8; 8];
    let n = a.encrypt(&plain, &mut enc);
    let mut out = [0u8; 8];
    let m = b.decrypt(&enc[..n], &mut out).unwrap();
    assert_eq!(&out[..m], &[0x00, 0x21, 0x45, 0x00, 0x01]);
}
