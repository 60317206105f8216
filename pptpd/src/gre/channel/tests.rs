use super::super::reorder::REORDER_TIMEOUT;
use super::*;

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

fn send(ch: &mut GreChannel, now: Instant, frame: &[u8]) -> Option<Vec<u8>> {
    let mut out = [0u8; 64];
    ch.encapsulate(now, frame, &mut out)
        .map(|n| out[..n].to_vec())
}

#[test]
fn seq_and_piggy_backed_ack() {
    let now = Instant::now();
    let mut a = GreChannel::new(2, 64, now);
    let mut b = GreChannel::new(1, 64, now);
    let p = send(&mut a, now, b"one").unwrap();
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.call_id(), view.seq(), view.ack()), (2, Some(0), None));
    assert_eq!(b.receive(now, &p), GreReceive::Frame(b"one"));
    let p = send(&mut b, now, b"two").unwrap();
    let view = GrePacket::new_checked(&p[..]).unwrap();
    assert_eq!((view.seq(), view.ack()), (Some(0), Some(0)));
    assert_eq!(b.poll_timeout(), None, "ack went out with the data");
    assert_eq!(a.receive(now, &p), GreReceive::Frame(b"two"));
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
        ch.receive(t, &packet(Some(0), None, b"x")),
        GreReceive::Frame(b"x")
    );
    assert_eq!(ch.poll_timeout(), Some(t + ACK_DELAY));
    let mut out = [0u8; ACK_PACKET_LEN];
    assert_eq!(ch.poll_ack(t, &mut out), None);
    assert_eq!(ch.poll_ack(t + ACK_DELAY, &mut out), Some(ACK_PACKET_LEN));
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
    assert_eq!(other.receive(t, &out), GreReceive::AckOnly);
    assert_eq!(other.peer_acked, Some(0));
}

#[test]
fn ack_burst_is_immediate() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    for seq in 0..ACK_BURST {
        assert!(matches!(
            ch.receive(t, &packet(Some(seq), None, b"x")),
            GreReceive::Frame(_)
        ));
    }
    assert_eq!(ch.poll_timeout(), Some(t));
    let mut out = [0u8; 16];
    assert!(ch.poll_ack(t, &mut out).is_some());
    assert_eq!(
        GrePacket::new_checked(&out[..12]).unwrap().ack(),
        Some(ACK_BURST - 1)
    );
}

#[test]
fn window_full_and_ack_timeout() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 4, t);
    // The peer never acked: the window is not enforced.
    for _ in 0..10 {
        assert!(send(&mut ch, t, b"d").is_some());
    }
    // Now it acks 9 (all): 4 more fit, the 5th does not.
    ch.receive(t, &packet(None, Some(9), b""));
    for _ in 0..4 {
        assert!(send(&mut ch, t, b"d").is_some());
    }
    assert_eq!(send(&mut ch, t, b"d"), None);
    assert_eq!(ch.stats().tx_window_full, 1);
    // An ack opens the window again.
    let t1 = t + Duration::from_millis(10);
    ch.receive(t1, &packet(None, Some(11), b""));
    assert!(send(&mut ch, t1, b"d").is_some());
    assert!(send(&mut ch, t1, b"d").is_some());
    assert_eq!(send(&mut ch, t1, b"d"), None);
    // Acks stall: after ACK_TIMEOUT we send anyway instead of deadlocking.
    assert_eq!(
        send(&mut ch, t1 + ACK_TIMEOUT - Duration::from_millis(1), b"d"),
        None
    );
    assert!(send(&mut ch, t1 + ACK_TIMEOUT, b"d").is_some());
    assert!(send(&mut ch, t1 + ACK_TIMEOUT, b"d").is_some());
}

#[test]
fn bogus_acks_ignored() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 4, t);
    ch.receive(t, &packet(None, Some(0), b""));
    assert_eq!(ch.peer_acked, None, "nothing sent yet");
    send(&mut ch, t, b"d").unwrap();
    ch.receive(t, &packet(None, Some(5), b""));
    assert_eq!(ch.peer_acked, None, "ack for a packet never sent");
    ch.receive(t, &packet(None, Some(0), b""));
    assert_eq!(ch.peer_acked, Some(0));
    ch.receive(t, &packet(None, Some(u32::MAX), b""));
    assert_eq!(ch.peer_acked, Some(0), "older ack");
}

#[test]
fn reorder_within_window() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    let mut out = [0u8; 64];
    assert!(matches!(
        ch.receive(t, &packet(Some(0), None, b"0")),
        GreReceive::Frame(_)
    ));
    assert_eq!(
        ch.receive(t, &packet(Some(2), None, b"2")),
        GreReceive::Buffered
    );
    assert_eq!(
        ch.receive(t, &packet(Some(3), None, b"3")),
        GreReceive::Buffered
    );
    assert_eq!(ch.poll_frame(&mut out), None);
    assert_eq!(
        ch.receive(t, &packet(Some(1), None, b"1")),
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
    ch.receive(t, &packet(Some(0), None, b"0"));
    ch.poll_ack(t + ACK_DELAY, &mut out).unwrap();
    let t1 = t + ACK_DELAY;
    assert_eq!(
        ch.receive(t1, &packet(Some(2), None, b"2")),
        GreReceive::Buffered
    );
    assert_eq!(ch.poll_timeout(), Some(t1 + REORDER_TIMEOUT));
    assert_eq!(ch.poll_ack(t1 + REORDER_TIMEOUT, &mut out), None);
    assert_eq!(ch.poll_frame(&mut out), Some(1));
    assert_eq!(&out[..1], b"2");
    assert_eq!(ch.stats().rx_lost, 1);
    // Packet 1 arriving late is stale now.
    assert!(matches!(
        ch.receive(t1 + REORDER_TIMEOUT, &packet(Some(1), None, b"1")),
        GreReceive::Dropped(_)
    ));
}

#[test]
fn loss_skip_and_duplicates() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    assert!(matches!(
        ch.receive(t, &packet(Some(0), None, b"0")),
        GreReceive::Frame(_)
    ));
    assert!(matches!(
        ch.receive(t, &packet(Some(0), None, b"0")),
        GreReceive::Dropped("stale or duplicate sequence number")
    ));
    assert_eq!(
        ch.receive(t, &packet(Some(40), None, b"40")),
        GreReceive::Frame(b"40")
    );
    assert_eq!(ch.stats().rx_lost, 39);
    assert_eq!(
        ch.receive(t, &packet(Some(42), None, b"42")),
        GreReceive::Buffered
    );
    assert!(matches!(
        ch.receive(t, &packet(Some(42), None, b"42")),
        GreReceive::Dropped("duplicate sequence number")
    ));
    assert_eq!(ch.stats().rx_dropped, 2);
}

#[test]
fn malformed_and_small_buffers() {
    let t = Instant::now();
    let mut ch = GreChannel::new(9, 64, t);
    assert_eq!(
        ch.receive(t, &[0x30, 0x01, 0x88]),
        GreReceive::Dropped("truncated GRE packet")
    );
    let mut tiny = [0u8; 10];
    assert_eq!(ch.encapsulate(t, b"frame", &mut tiny), None);
    let big = vec![0u8; 70_000];
    assert_eq!(ch.encapsulate(t, &big, &mut [0u8; 80_000]), None);
    // Nothing was consumed by the failed attempts.
    let p = send(&mut ch, t, b"ok").unwrap();
    assert_eq!(GrePacket::new_checked(&p[..]).unwrap().seq(), Some(0));
}
