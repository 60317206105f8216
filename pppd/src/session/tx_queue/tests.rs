use super::*;
use crate::frame::{PROTO_CCP, PROTO_LCP};

#[test]
fn frames_leave_in_order_and_the_buffer_is_reused() {
    let mut q = TxQueue::default();
    q.push(PROTO_LCP, &[9, 1, 0, 4]);
    q.push(PROTO_CCP, &[14, 2, 0, 4]);
    assert_eq!(q.front(), Some(&[0xff, 0x03, 0xc0, 0x21, 9, 1, 0, 4][..]));
    q.pop();
    q.push(PROTO_LCP, &[5]);
    assert_eq!(q.front(), Some(&[0xff, 0x03, 0x80, 0xfd, 14, 2, 0, 4][..]));
    q.pop();
    assert_eq!(q.front(), Some(&[0xff, 0x03, 0xc0, 0x21, 5][..]));
    let capacity = q.bytes.capacity();
    q.pop();
    assert_eq!(q.front(), None);
    q.push(PROTO_LCP, &[1, 2, 3]);
    assert_eq!(
        q.bytes.capacity(),
        capacity,
        "an emptied queue starts over in place"
    );
    q.clear();
    assert_eq!(q.front(), None);
}
