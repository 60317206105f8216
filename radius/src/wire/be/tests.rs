use super::*;

#[test]
fn reads_big_endian_and_zero_past_the_end() {
    let buf = [0x12, 0x34, 0x56, 0x78, 0x9a];
    assert_eq!(be16(&buf, 0), 0x1234);
    assert_eq!(be32(&buf, 1), 0x3456_789a);
    assert_eq!(be16(&buf, 4), 0);
    assert_eq!(be32(&buf, 2), 0);
    assert_eq!(be16(&buf, 99), 0);
}

#[test]
fn writes_big_endian() {
    let mut buf = [0u8; 4];
    put16(&mut buf, 1, 0xbeef);
    assert_eq!(buf, [0, 0xbe, 0xef, 0]);
}
