use super::*;

const FRAME: &[u8] = &[0xff, 0x03, 0x00, 0x21, 0x45, 0, 0, 20];

#[test]
fn round_trip_without_sequencing() {
    let mut tx = DataChannel::new(7, 9, false);
    let mut buf = [0u8; 64];
    let n = tx.encapsulate(FRAME, &mut buf).unwrap();
    assert_eq!(n, 6 + FRAME.len(), "plain data header is 6 bytes");
    assert_eq!(data_ids(&buf[..n]), Some((7, 9)));
    let mut rx = DataChannel::new(1, 2, false);
    assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
    assert!(!rx.sequencing());
}

#[test]
fn sequencing_numbers_packets_and_drops_late_ones() {
    let mut tx = DataChannel::new(7, 9, true);
    let mut rx = DataChannel::new(1, 2, false);
    let mut bufs = vec![[0u8; 64]; 4];
    let lens: Vec<usize> = bufs
        .iter_mut()
        .map(|b| tx.encapsulate(FRAME, b).unwrap())
        .collect();
    assert_eq!(lens[0], 10 + FRAME.len(), "S adds Ns and Nr");
    assert_eq!(rx.decapsulate(&bufs[0][..lens[0]]), Ok(FRAME));
    assert!(rx.sequencing(), "a peer that sends Ns gets Ns back");
    assert_eq!(
        rx.decapsulate(&bufs[2][..lens[2]]),
        Ok(FRAME),
        "a gap is a loss, not a stall"
    );
    assert_eq!(rx.decapsulate(&bufs[1][..lens[1]]), Err(DataDrop::Stale));
    assert_eq!(rx.decapsulate(&bufs[2][..lens[2]]), Err(DataDrop::Stale));
    assert_eq!(rx.decapsulate(&bufs[3][..lens[3]]), Ok(FRAME));
    assert_eq!(rx.stale(), 2);
}

#[test]
fn sequence_numbers_wrap() {
    let mut tx = DataChannel::new(7, 9, true);
    tx.next_ns = 0xfffe;
    let mut rx = DataChannel::new(1, 2, false);
    let mut buf = [0u8; 64];
    for _ in 0..4 {
        let n = tx.encapsulate(FRAME, &mut buf).unwrap();
        assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
    }
}

#[test]
fn bad_input_is_refused() {
    let mut rx = DataChannel::new(1, 2, false);
    assert!(matches!(
        rx.decapsulate(&[0x00, 0x03, 0, 1]),
        Err(DataDrop::Malformed(_))
    ));
    let control = [0xc8, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0];
    assert_eq!(rx.decapsulate(&control), Err(DataDrop::NotData));
    assert_eq!(data_ids(&control), None);
    let mut small = [0u8; 4];
    assert_eq!(
        DataChannel::new(1, 2, false).encapsulate(FRAME, &mut small),
        None
    );
}

/// A sequenced data datagram with Ns `ns`.
fn with_ns(ns: u16, buf: &mut [u8; 64]) -> usize {
    let mut tx = DataChannel::new(7, 9, true);
    tx.next_ns = ns;
    tx.encapsulate(FRAME, buf).unwrap()
}

#[test]
fn a_forged_jump_far_ahead_does_not_move_the_window() {
    let mut rx = DataChannel::new(1, 2, false);
    let mut buf = [0u8; 64];
    for ns in 0..3 {
        let n = with_ns(ns, &mut buf);
        assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
    }
    let n = with_ns(3 + 0x4000, &mut buf);
    assert_eq!(rx.decapsulate(&buf[..n]), Err(DataDrop::OutOfWindow));
    assert_eq!(rx.out_of_window(), 1);
    for ns in 3..6 {
        let n = with_ns(ns, &mut buf);
        assert_eq!(
            rx.decapsulate(&buf[..n]),
            Ok(FRAME),
            "the real peer goes on"
        );
    }
    // A loss burst within the window is skipped as before.
    let n = with_ns(6 + MAX_JUMP, &mut buf);
    assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
}

#[test]
fn a_peer_that_really_jumped_is_followed_after_a_run() {
    let mut rx = DataChannel::new(1, 2, false);
    let mut buf = [0u8; 64];
    let n = with_ns(0, &mut buf);
    assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
    let far = 0x3000;
    for i in 0..u16::from(RESYNC_RUN) - 1 {
        let n = with_ns(far + i, &mut buf);
        assert_eq!(rx.decapsulate(&buf[..n]), Err(DataDrop::OutOfWindow));
    }
    let n = with_ns(far + u16::from(RESYNC_RUN) - 1, &mut buf);
    assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME), "resynchronised");
    let n = with_ns(far + u16::from(RESYNC_RUN), &mut buf);
    assert_eq!(rx.decapsulate(&buf[..n]), Ok(FRAME));
}
