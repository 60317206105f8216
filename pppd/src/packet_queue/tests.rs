use super::*;

fn push(q: &mut PacketQueue, packet: &[u8]) {
    q.push_with(|out| out.extend_from_slice(packet));
}

#[test]
fn packets_leave_in_order_and_the_buffer_is_reused() {
    let mut q = PacketQueue::default();
    push(&mut q, &[9, 1, 0, 4]);
    push(&mut q, &[14, 2, 0, 4]);
    assert_eq!(q.front(), Some(&[9, 1, 0, 4][..]));
    q.pop();
    push(&mut q, &[5]);
    assert_eq!(q.front(), Some(&[14, 2, 0, 4][..]));
    q.pop();
    assert_eq!(q.front(), Some(&[5][..]));
    let capacity = q.bytes.capacity();
    q.pop();
    assert_eq!(q.front(), None);
    push(&mut q, &[1, 2, 3]);
    assert_eq!(
        q.bytes.capacity(),
        capacity,
        "an emptied queue starts over in place"
    );
    q.clear();
    assert_eq!(q.front(), None);
    q.pop();
    assert_eq!(q.front(), None);
}
