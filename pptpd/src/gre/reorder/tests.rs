use super::*;

fn drain(r: &mut Reorder) -> Vec<u8> {
    let mut got = Vec::new();
    let mut out = [0u8; 16];
    while let Some(Ok(n)) = r.pop(&mut out) {
        got.push(out[..n][0]);
    }
    got
}

#[test]
fn in_order_and_stale() {
    let now = Instant::now();
    let mut r = Reorder::new();
    assert_eq!(r.last_in_order(), None);
    assert_eq!(r.offer(now, 5, &[5]), Placement::InOrder);
    assert_eq!(r.offer(now, 6, &[6]), Placement::InOrder);
    assert_eq!(r.offer(now, 6, &[6]), Placement::Stale);
    assert_eq!(r.offer(now, 1, &[1]), Placement::Stale);
    assert_eq!(r.last_in_order(), Some(6));
}

#[test]
fn gap_filled() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    assert_eq!(r.offer(now, 2, &[2]), Placement::Buffered);
    assert_eq!(r.offer(now, 3, &[3]), Placement::Buffered);
    assert_eq!(r.offer(now, 3, &[3]), Placement::Duplicate);
    assert!(drain(&mut r).is_empty());
    assert_eq!(r.deadline(), Some(now + REORDER_TIMEOUT));
    assert_eq!(r.offer(now, 1, &[1]), Placement::InOrder);
    assert_eq!(drain(&mut r), vec![2, 3]);
    assert_eq!(r.deadline(), None);
    assert_eq!(r.lost, 0);
}

#[test]
fn timeout_releases() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    r.offer(now, 2, &[2]);
    r.offer(now + Duration::from_millis(10), 4, &[4]);
    r.expire(now + REORDER_TIMEOUT - Duration::from_millis(1));
    assert!(drain(&mut r).is_empty());
    r.expire(now + REORDER_TIMEOUT);
    assert_eq!(drain(&mut r), vec![2]);
    assert_eq!(r.lost, 1);
    // 4 still waits for 3, with its own deadline.
    assert_eq!(
        r.deadline(),
        Some(now + Duration::from_millis(10) + REORDER_TIMEOUT)
    );
    r.expire(now + Duration::from_secs(1));
    assert_eq!(drain(&mut r), vec![4]);
    assert_eq!(r.lost, 2);
    assert_eq!(r.last_in_order(), Some(4));
}

#[test]
fn far_ahead_skips() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    // Nothing buffered: skip at once.
    assert_eq!(r.offer(now, 100, &[100]), Placement::InOrder);
    assert_eq!(r.lost, 99);
    // With something buffered: release it, then the far packet.
    assert_eq!(r.offer(now, 103, &[103]), Placement::Buffered);
    assert_eq!(r.offer(now, 130, &[130]), Placement::Buffered);
    // Both are released: no timer needed.
    assert_eq!(r.deadline(), None);
    assert_eq!(drain(&mut r), vec![103, 130]);
    assert_eq!(r.last_in_order(), Some(130));
    assert_eq!(r.lost, 99 + 2 + 26);
}

#[test]
fn wraps_around() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, u32::MAX - 1, &[1]);
    assert_eq!(r.offer(now, 0, &[3]), Placement::Buffered);
    assert_eq!(r.offer(now, u32::MAX, &[2]), Placement::InOrder);
    assert_eq!(drain(&mut r), vec![3]);
    assert_eq!(r.last_in_order(), Some(0));
}

#[test]
fn small_output_and_large_frames() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    let big = vec![0u8; MAX_BUFFERED_FRAME + 1];
    assert_eq!(r.offer(now, 2, &big), Placement::TooLarge);
    r.offer(now, 2, &[1, 2, 3]);
    r.offer(now, 1, &[1]);
    assert_eq!(r.pop(&mut [0u8; 2]), Some(Err(3)));
    assert_eq!(r.pop(&mut [0u8; 2]), None);
}

#[test]
fn full_buffer() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    for seq in 2..(REORDER_WINDOW as u32 + 1) {
        assert_eq!(r.offer(now, seq, &[0]), Placement::Buffered);
    }
    // 15 slots used; a far packet takes the last one, the next finds no room.
    assert_eq!(r.offer(now, 40, &[0]), Placement::Buffered);
    assert_eq!(r.offer(now, 41, &[0]), Placement::Full);
}

#[test]
fn a_forged_jump_does_not_move_the_sequence() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 10, &[10]);
    for forged in [
        10 + (1 << 28),
        11 + MAX_SKIP + 1,
        10u32.wrapping_sub(1 << 28),
    ] {
        assert_eq!(r.offer(now, forged, &[0]), Placement::OutOfWindow);
    }
    assert_eq!(r.last_in_order(), Some(10), "the acknowledgment stays");
    assert_eq!(r.offer(now, 11, &[11]), Placement::InOrder);
    assert_eq!(r.offer(now, 13, &[13]), Placement::Buffered);
    assert_eq!(r.offer(now, 13 + (1 << 28), &[0]), Placement::OutOfWindow);
    assert_eq!(r.offer(now, 12, &[12]), Placement::InOrder);
    assert_eq!(
        drain(&mut r),
        vec![13],
        "buffered frames survive a forged packet"
    );
    assert_eq!(r.lost, 0);
}

#[test]
fn burst_loss_up_to_max_skip_still_skips_forward() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    assert_eq!(r.offer(now, 300, &[1]), Placement::InOrder);
    assert_eq!(r.offer(now, 301 + MAX_SKIP - 1, &[2]), Placement::InOrder);
    assert_eq!(r.lost, u64::from(299 + MAX_SKIP - 1));
}

#[test]
fn a_run_beyond_max_skip_resynchronises() {
    let now = Instant::now();
    let mut r = Reorder::new();
    r.offer(now, 0, &[0]);
    r.offer(now, 2, &[2]);
    let far = 50_000;
    for i in 0..RESYNC_RUN - 1 {
        assert_eq!(r.offer(now, far + i, &[0]), Placement::OutOfWindow);
    }
    // A believed packet in between starts the run over.
    assert_eq!(r.offer(now, 1, &[1]), Placement::InOrder);
    for i in 0..RESYNC_RUN - 1 {
        assert_eq!(r.offer(now, far + 10 + i, &[0]), Placement::OutOfWindow);
    }
    let last = far + 10 + RESYNC_RUN - 1;
    assert_eq!(r.offer(now, last, &[0]), Placement::InOrder);
    assert_eq!(r.last_in_order(), Some(last));
    assert!(
        drain(&mut r).is_empty(),
        "frames from before the outage are gone"
    );
    assert_eq!(r.offer(now, last + 1, &[0]), Placement::InOrder);
}
