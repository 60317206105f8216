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
    assert_eq!(rx.receive(&buf[..n]), Ok(FRAME));
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
    assert_eq!(rx.receive(&bufs[0][..lens[0]]), Ok(FRAME));
    assert!(rx.sequencing(), "a peer that sends Ns gets Ns back");
    assert_eq!(
        rx.receive(&bufs[2][..lens[2]]),
        Ok(FRAME),
        "a gap is a loss, not a stall"
    );
    assert_eq!(rx.receive(&bufs[1][..lens[1]]), Err(DataDrop::Stale));
    assert_eq!(rx.receive(&bufs[2][..lens[2]]), Err(DataDrop::Stale));
    assert_eq!(rx.receive(&bufs[3][..lens[3]]), Ok(FRAME));
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
        assert_eq!(rx.receive(&buf[..n]), Ok(FRAME));
    }
}

#[test]
fn bad_input_is_refused() {
    let mut rx = DataChannel::new(1, 2, false);
    assert!(matches!(
        rx.receive(&[0x00, 0x03, 0, 1]),
        Err(DataDrop::Malformed(_))
    ));
    let control = [0xc8, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0];
    assert_eq!(rx.receive(&control), Err(DataDrop::NotData));
    assert_eq!(data_ids(&control), None);
    let mut small = [0u8; 4];
    assert_eq!(
        DataChannel::new(1, 2, false).encapsulate(FRAME, &mut small),
        None
    );
}
