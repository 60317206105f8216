use super::super::reorder::REORDER_TIMEOUT;
use super::*;
use crate::gre::GreError;

fn packet(seq: Option<u32>, ack: Option<u32>, payload: &[u8]) -> Vec<u8> {
    let repr = GreRepr {
        call_id: 7,
        payload_len: payload.len() as u16,
        seq,
        ack,
    };
    let mut buf = vec![0; repr.header_len() + payload.len()];
    let h = repr.emit(&mut buf).unwrap();
    buf[h..].copy_from_slice(payload);
    buf
}

/// Queues `frame` and returns the packet that goes out now, if any.
fn send(ch: &mut GreChannel, now: Instant, frame: &[u8]) -> Option<Vec<u8>> {
    ch.send_frame(now, frame).unwrap();
    transmit(ch, now)
}

/// The next packet `poll_transmit` gives.
fn transmit(ch: &mut GreChannel, now: Instant) -> Option<Vec<u8>> {
    let mut out = [0u8; 64];
    ch.poll_transmit(now, &mut out).map(|n| out[..n].to_vec())
}

#[test]
fn seq_and_piggy_backed_ack() {
    let now = Instant::now();
    let mut a = GreChannel::new(2, 64, now);
    let mut b = GreChannel::new(1, 64, now);
    let p = send(&mut a, now, b"one").unwrap();
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.call_id(), view.seq(), view.ack()), (2, Some(0), None));
    assert_eq!(b.handle_packet(now, &p), GreReceive::Frame(b"one"));
    let p = send(&mut b, now, b"two").unwrap();
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.seq(), view.ack()), (Some(0), Some(0)));
    assert_eq!(b.poll_timeout(), None, "ack went out with the data");
    assert_eq!(a.handle_packet(now, &p), GreReceive::Frame(b"two"));
    assert_eq!(a.peer_acked, Some(0));
    let p = send(&mut a, now, b"three").unwrap();
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.seq(), view.ack()), (Some(1), Some(0)));
    // Nothing new received: no ack on the next packet.
    let p = send(&mut a, now, b"four").unwrap();
    assert_eq!(GrePacket::new_checked(&p[..]).unwrap().ack(), None);
}

#[test]
fn ack_only_after_delay() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    assert_eq!(
        ch.handle_packet(t, &packet(Some(0), None, b"x")),
        GreReceive::Frame(b"x")
    );
    assert_eq!(ch.poll_timeout(), Some(t + ACK_DELAY));
    let mut out = [0u8; ACK_PACKET_LEN];
    assert_eq!(ch.poll_transmit(t, &mut out), None);
    assert_eq!(
        ch.poll_transmit(t + ACK_DELAY, &mut out),
        Some(ACK_PACKET_LEN)
    );
    let view = GrePacket::new_checked(&out[..]).unwrap();
    assert_eq!(
        (view.call_id(), view.seq(), view.ack(), view.payload_len()),
        (9, None, Some(0), 0)
    );
    assert_eq!(ch.poll_timeout(), None);
    assert_eq!(ch.stats().tx_acks, 1);
    // The ack-only packet is understood by the other side.
    let mut other = GreChannel::new(1, 64, t);
    send(&mut other, t, b"d").unwrap();
    assert_eq!(other.handle_packet(t, &out), GreReceive::AckOnly);
    assert_eq!(other.peer_acked, Some(0));
}

#[test]
fn ack_burst_is_immediate() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    for seq in 0..ACK_BURST {
        assert!(matches!(
            ch.handle_packet(t, &packet(Some(seq), None, b"x")),
            GreReceive::Frame(_)
        ));
    }
    assert_eq!(ch.poll_timeout(), Some(t));
    let mut out = [0u8; 16];
    assert!(ch.poll_transmit(t, &mut out).is_some());
    assert_eq!(
        GrePacket::new_checked(&out[..12]).unwrap().ack(),
        Some(ACK_BURST - 1)
    );
}

#[test]
fn frames_over_the_window_wait_in_order_for_acks_then_the_timeout() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 4, t);
    let seq = |p: Vec<u8>| GrePacket::new_checked(&p[..]).unwrap().seq().unwrap();
    // The peer never acked: the window is not enforced.
    for _ in 0..10 {
        assert!(send(&mut ch, t, b"d").is_some());
    }
    // Now it acks 9 (all): 4 more go out, the rest wait.
    ch.handle_packet(t, &packet(None, Some(9), b""));
    for _ in 0..4 {
        assert!(send(&mut ch, t, b"d").is_some());
    }
    for _ in 0..5 {
        assert_eq!(send(&mut ch, t, b"w"), None);
    }
    assert_eq!(ch.waiting(), 5);
    assert_eq!(ch.stats().tx_window_full, 5);
    assert_eq!(ch.poll_timeout(), Some(t + ACK_TIMEOUT));
    // An ack for two opens the window for two, oldest first.
    let t1 = t + Duration::from_millis(10);
    ch.handle_packet(t1, &packet(None, Some(11), b""));
    assert_eq!(transmit(&mut ch, t1).map(seq), Some(14));
    assert_eq!(transmit(&mut ch, t1).map(seq), Some(15));
    assert_eq!(transmit(&mut ch, t1), None);
    // Acks stall: after ACK_TIMEOUT the rest go anyway instead of deadlocking.
    assert_eq!(ch.poll_timeout(), Some(t1 + ACK_TIMEOUT));
    assert_eq!(
        transmit(&mut ch, t1 + ACK_TIMEOUT - Duration::from_millis(1)),
        None
    );
    let late = t1 + ACK_TIMEOUT;
    ch.handle_timeout(late);
    let rest: Vec<u32> = std::iter::from_fn(|| transmit(&mut ch, late).map(seq)).collect();
    assert_eq!(rest, vec![16, 17, 18]);
    assert_eq!(ch.waiting(), 0);
    assert_eq!(ch.stats().tx_frames, 19);
}

#[test]
fn a_full_queue_refuses_frames_before_they_are_encrypted() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 1, t);
    send(&mut ch, t, b"first").unwrap();
    ch.handle_packet(t, &packet(None, Some(0), b""));
    send(&mut ch, t, b"second").unwrap();
    for _ in 0..MAX_WAITING {
        assert!(ch.can_send());
        ch.send_frame(t, b"data").unwrap();
    }
    assert!(!ch.can_send(), "PPP must not encrypt what cannot be sent");
    assert_eq!(ch.send_frame(t, b"data"), Err(SendError::QueueFull));
    assert_eq!(
        ch.send_frame(t, &[0; MAX_FRAME + 1]),
        Err(SendError::TooLong)
    );
    assert_eq!(ch.stats().tx_refused, 2);
}

#[test]
fn an_ack_only_packet_goes_out_while_frames_wait_for_the_window() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 1, t);
    send(&mut ch, t, b"first").unwrap();
    ch.handle_packet(t, &packet(Some(0), Some(0), b"x"));
    send(&mut ch, t, b"second").unwrap();
    assert_eq!(send(&mut ch, t, b"third"), None, "window of one is full");
    ch.handle_packet(t, &packet(Some(1), None, b"y"));
    let p = transmit(&mut ch, t + ACK_DELAY).expect("ack-only packet");
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.seq(), view.ack()), (None, Some(1)));
    assert_eq!(ch.waiting(), 1);
}

#[test]
fn a_forged_far_packet_moves_neither_delivery_nor_acks() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    for seq in 0..3 {
        assert!(matches!(
            ch.handle_packet(t, &packet(Some(seq), None, b"ok")),
            GreReceive::Frame(_)
        ));
    }
    assert!(send(&mut ch, t, b"mine").is_some());
    let forged = packet(Some(2 + (1 << 28)), Some(0), b"forged");
    assert_eq!(
        ch.handle_packet(t, &forged),
        GreReceive::Dropped(GreDrop::OutOfWindow)
    );
    let garbage = [0x30, 0x81, 0x88, 0x0b, 0xff, 0xff, 0, 9, 1, 2];
    assert!(matches!(
        ch.handle_packet(t, &garbage),
        GreReceive::Dropped(GreDrop::Malformed(_))
    ));
    assert_eq!(
        ch.peer_acked, None,
        "the forged packet's ack is not believed"
    );
    assert_eq!(
        ch.handle_packet(t, &packet(Some(3), None, b"next")),
        GreReceive::Frame(b"next")
    );
    let p = send(&mut ch, t, b"reply").unwrap();
    assert_eq!(GrePacket::new_checked(&p[..]).unwrap().ack(), Some(3));
    let s = ch.stats();
    assert_eq!((s.rx_frames, s.rx_out_of_window, s.rx_malformed), (4, 1, 1));
}

#[test]
fn bogus_acks_ignored() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 4, t);
    ch.handle_packet(t, &packet(None, Some(0), b""));
    assert_eq!(ch.peer_acked, None, "nothing sent yet");
    send(&mut ch, t, b"d").unwrap();
    ch.handle_packet(t, &packet(None, Some(5), b""));
    assert_eq!(ch.peer_acked, None, "ack for a packet never sent");
    ch.handle_packet(t, &packet(None, Some(0), b""));
    assert_eq!(ch.peer_acked, Some(0));
    ch.handle_packet(t, &packet(None, Some(u32::MAX), b""));
    assert_eq!(ch.peer_acked, Some(0), "older ack");
}

#[test]
fn reorder_within_window() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    let mut out = [0u8; 64];
    assert!(matches!(
        ch.handle_packet(t, &packet(Some(0), None, b"0")),
        GreReceive::Frame(_)
    ));
    assert_eq!(
        ch.handle_packet(t, &packet(Some(2), None, b"2")),
        GreReceive::Buffered
    );
    assert_eq!(
        ch.handle_packet(t, &packet(Some(3), None, b"3")),
        GreReceive::Buffered
    );
    assert_eq!(ch.poll_frame(&mut out), None);
    assert_eq!(
        ch.handle_packet(t, &packet(Some(1), None, b"1")),
        GreReceive::Frame(b"1")
    );
    assert_eq!(ch.poll_frame(&mut out), Some(1));
    assert_eq!(&out[..1], b"2");
    assert_eq!(ch.poll_frame(&mut out), Some(1));
    assert_eq!(&out[..1], b"3");
    assert_eq!(ch.poll_frame(&mut out), None);
    let s = ch.stats();
    assert_eq!((s.rx_frames, s.rx_buffered, s.rx_lost), (4, 2, 0));
    // The acknowledgment covers everything delivered.
    let p = send(&mut ch, t, b"x").unwrap();
    assert_eq!(GrePacket::new_checked(&p[..]).unwrap().ack(), Some(3));
}

#[test]
fn reorder_timeout_releases_frames() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    let mut out = [0u8; 64];
    ch.handle_packet(t, &packet(Some(0), None, b"0"));
    ch.poll_transmit(t + ACK_DELAY, &mut out).unwrap();
    let t1 = t + ACK_DELAY;
    assert_eq!(
        ch.handle_packet(t1, &packet(Some(2), None, b"2")),
        GreReceive::Buffered
    );
    assert_eq!(ch.poll_timeout(), Some(t1 + REORDER_TIMEOUT));
    ch.handle_timeout(t1 + REORDER_TIMEOUT);
    assert_eq!(ch.poll_transmit(t1 + REORDER_TIMEOUT, &mut out), None);
    assert_eq!(ch.poll_frame(&mut out), Some(1));
    assert_eq!(&out[..1], b"2");
    assert_eq!(ch.stats().rx_lost, 1);
    // Packet 1 arriving late is stale now.
    assert!(matches!(
        ch.handle_packet(t1 + REORDER_TIMEOUT, &packet(Some(1), None, b"1")),
        GreReceive::Dropped(_)
    ));
}

#[test]
fn loss_skip_and_duplicates() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    assert!(matches!(
        ch.handle_packet(t, &packet(Some(0), None, b"0")),
        GreReceive::Frame(_)
    ));
    assert!(matches!(
        ch.handle_packet(t, &packet(Some(0), None, b"0")),
        GreReceive::Dropped(GreDrop::Stale)
    ));
    assert_eq!(
        ch.handle_packet(t, &packet(Some(40), None, b"40")),
        GreReceive::Frame(b"40")
    );
    assert_eq!(ch.stats().rx_lost, 39);
    assert_eq!(
        ch.handle_packet(t, &packet(Some(42), None, b"42")),
        GreReceive::Buffered
    );
    assert!(matches!(
        ch.handle_packet(t, &packet(Some(42), None, b"42")),
        GreReceive::Dropped(GreDrop::Duplicate)
    ));
    assert_eq!(ch.stats().rx_dropped, 2);
}

#[test]
fn malformed_and_small_buffers() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    assert_eq!(
        ch.handle_packet(t, &[0x30, 0x01, 0x88]),
        GreReceive::Dropped(GreDrop::Malformed(GreError::Truncated))
    );
    ch.send_frame(t, b"frame").unwrap();
    assert_eq!(
        ch.poll_transmit(t, &mut [0u8; 10]),
        None,
        "dropped: no room"
    );
    assert_eq!(ch.stats().tx_refused, 1);
    // Nothing was consumed by the failed attempts.
    let p = send(&mut ch, t, b"ok").unwrap();
    assert_eq!(GrePacket::new_checked(&p[..]).unwrap().seq(), Some(0));
}

#[test]
fn control_frames_are_taken_past_a_full_data_queue_and_leave_first() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 1, t);
    send(&mut ch, t, b"first").unwrap();
    ch.handle_packet(t, &packet(None, Some(0), b""));
    send(&mut ch, t, b"second").unwrap();
    // The window of one is full and the data queue too.
    let data = [0xff, 0x03, 0x00, 0xfd, 0x90, 0x01];
    for _ in 0..MAX_WAITING {
        ch.send_frame(t, &data).unwrap();
    }
    assert!(!ch.can_send());
    assert_eq!(ch.send_frame(t, &data), Err(SendError::QueueFull));
    // An LCP Echo-Reply and a CCP Reset-Ack are still taken, and queue ahead of the data.
    let echo_reply = [0xff, 0x03, 0xc0, 0x21, 10, 1, 0, 8, 0, 0, 0, 0];
    let reset_ack = [0xff, 0x03, 0x80, 0xfd, 15, 2, 0, 4];
    ch.send_frame(t, &echo_reply).unwrap();
    ch.send_frame(t, &reset_ack).unwrap();
    assert!(!ch.can_send(), "control frames take no room from data");
    let payload = |p: Vec<u8>| {
        let v = GrePacket::new_checked(&p[..]).unwrap();
        v.payload().to_vec()
    };
    let mut out = [0u8; 64];
    ch.handle_packet(t, &packet(None, Some(1), b""));
    let n = ch.poll_transmit(t, &mut out).unwrap();
    assert_eq!(payload(out[..n].to_vec()), echo_reply);
    ch.handle_packet(t, &packet(None, Some(2), b""));
    let n = ch.poll_transmit(t, &mut out).unwrap();
    assert_eq!(payload(out[..n].to_vec()), reset_ack);
    ch.handle_packet(t, &packet(None, Some(3), b""));
    let n = ch.poll_transmit(t, &mut out).unwrap();
    assert_eq!(payload(out[..n].to_vec()), data, "then the data, in order");
    // Control frames have a bound of their own.
    for _ in 0..MAX_WAITING_CONTROL {
        ch.send_frame(t, &echo_reply).unwrap();
    }
    assert_eq!(ch.send_frame(t, &echo_reply), Err(SendError::QueueFull));
}

#[test]
fn frames_are_told_apart_by_their_protocol() {
    assert!(is_control(&[0xff, 0x03, 0xc0, 0x21, 9]), "LCP");
    assert!(is_control(&[0xff, 0x03, 0xc2, 0x23, 1]), "CHAP");
    assert!(
        is_control(&[0x80, 0x21, 1]),
        "IPCP without address and control fields"
    );
    assert!(!is_control(&[0xff, 0x03, 0x00, 0x21, 0x45]), "IPv4");
    assert!(!is_control(&[0xff, 0x03, 0x00, 0xfd, 0x90]), "MPPE data");
    assert!(
        !is_control(&[0xfd, 0x90]),
        "MPPE data, compressed protocol field"
    );
    assert!(!is_control(&[0xff]));
}

#[test]
fn packets_that_keep_a_call_going_are_told_from_data() {
    let lcp = [0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 4];
    let mppe = [0xff, 0x03, 0x00, 0xfd, 0x90, 0x01, 0xaa];
    assert!(carries_control(&packet(Some(1), Some(0), &lcp)), "LCP");
    assert!(carries_control(&packet(None, Some(3), &[])), "an ack alone");
    assert!(
        !carries_control(&packet(Some(2), Some(0), &mppe)),
        "MPPE data"
    );
    assert!(!carries_control(&[0x30, 0x01]), "not a GRE packet");
}
