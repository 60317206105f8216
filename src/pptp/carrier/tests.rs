use super::*;
use pptpd::gre::{GreRepr, ACK_TIMEOUT};

/// An ack-only packet from the peer acknowledging our sequence number `ack`.
fn ack_packet(ack: u32) -> Vec<u8> {
    let repr = GreRepr {
        call_id: 1,
        payload_len: 0,
        seq: None,
        ack: Some(ack),
    };
    let mut buf = vec![0u8; repr.header_len()];
    repr.emit(&mut buf).unwrap();
    buf
}

/// Needs root (raw socket); sends only to 127.0.0.1.
#[tokio::test]
async fn frames_over_the_window_wait_for_acks_then_the_timeout() {
    let t0 = Instant::now();
    let socket = GreSocket::open(None).expect("raw GRE socket (run as root)");
    let channel = GreChannel::new(7, 3, t0);
    let mut c = GreCarrier::new(channel, Ipv4Addr::LOCALHOST, socket);
    let sent = |c: &GreCarrier| c.channel.stats().tx_frames;

    c.send_frame(t0, b"first");
    c.channel.receive(t0, &ack_packet(0)); // the peer acknowledges: its window now counts
    for _ in 0..10 {
        c.send_frame(t0, b"data");
    }
    assert_eq!(sent(&c), 4, "one, then a window of three");
    assert_eq!(c.waiting.len(), 7);
    assert!(c.can_send(t0));
    assert_eq!(c.poll_timeout(), Some(t0 + ACK_TIMEOUT));

    c.channel.receive(t0, &ack_packet(3));
    c.flush(t0);
    assert_eq!(sent(&c), 7, "three more after the acknowledgment");

    c.handle_timeout(t0 + ACK_TIMEOUT);
    assert_eq!(sent(&c), 11, "the rest after the ack timeout");
    assert!(c.waiting.is_empty());
}

#[tokio::test]
async fn a_full_queue_refuses_new_packets() {
    let t0 = Instant::now();
    let socket = GreSocket::open(None).expect("raw GRE socket (run as root)");
    let mut c = GreCarrier::new(GreChannel::new(7, 1, t0), Ipv4Addr::LOCALHOST, socket);
    c.send_frame(t0, b"first");
    c.channel.receive(t0, &ack_packet(0));
    for _ in 0..=MAX_WAITING {
        c.send_frame(t0, b"data");
    }
    assert_eq!(c.waiting.len(), MAX_WAITING);
    assert!(!c.can_send(t0), "PPP must not encrypt what cannot be sent");
}
