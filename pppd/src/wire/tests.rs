use super::*;

#[test]
fn reads_and_writes_big_endian_fields_within_bounds() {
    let mut b = [0u8; 6];
    assert_eq!(write_u16(&mut b, 0, 0xc021), Some(()));
    assert_eq!(write_u32(&mut b, 2, 0x0102_0304), Some(()));
    assert_eq!(b, [0xc0, 0x21, 1, 2, 3, 4]);
    assert_eq!(read_u16(&b, 0), Some(0xc021));
    assert_eq!(read_u32(&b, 2), Some(0x0102_0304));
    assert_eq!(read_u16(&b, 5), None);
    assert_eq!(read_u32(&b, usize::MAX), None);
    assert_eq!(write_u16(&mut b, 5, 1), None);
    assert_eq!(b[5], 4, "a failed write leaves the buffer alone");
}
