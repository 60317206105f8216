use super::*;

#[test]
fn round_trip_and_short_buffers() {
    let mut buf = [0u8; 6];
    put_be16(&mut buf, 0, 0x880b);
    put_be32(&mut buf, 2, 0x1a2b_3c4d);
    assert_eq!(buf, [0x88, 0x0b, 0x1a, 0x2b, 0x3c, 0x4d]);
    assert_eq!((be16(&buf, 0), be32(&buf, 2)), (0x880b, 0x1a2b_3c4d));
    // Past the end: reads give 0, writes change nothing.
    assert_eq!((be16(&buf, 5), be32(&buf, 3)), (0, 0));
    put_be32(&mut buf, 4, u32::MAX);
    assert_eq!(buf[4..], [0x3c, 0x4d]);
}
