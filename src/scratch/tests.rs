use super::{with_scratch, Scratch, SCRATCH_LEN};

#[test]
fn a_buffer_is_reused_by_the_next_caller_on_the_thread() {
    let first = with_scratch(Scratch::Frame, |b| {
        b[0] = 7;
        b.as_ptr() as usize
    });
    let (second, seen) = with_scratch(Scratch::Frame, |b| (b.as_ptr() as usize, b[0]));
    assert_eq!(first, second);
    assert_eq!(seen, 7);
}

#[test]
fn nesting_gets_different_buffers_and_never_panics() {
    with_scratch(Scratch::Packet, |outer| {
        outer[0] = 1;
        let outer_at = outer.as_ptr() as usize;
        // Another kind: its own buffer.
        with_scratch(Scratch::Frame, |inner| {
            assert_ne!(inner.as_ptr() as usize, outer_at)
        });
        // The same kind again: a fresh one, full length.
        with_scratch(Scratch::Packet, |again| {
            assert_ne!(again.as_ptr() as usize, outer_at);
            assert_eq!(again.len(), SCRATCH_LEN);
        });
        assert_eq!(outer[0], 1);
    });
}
