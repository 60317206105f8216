use super::*;

#[test]
fn round_trip() {
    let mut buf = [0u8; 11];
    let mut w = Writer::new(&mut buf);
    w.u8(1);
    w.u16(0x0203);
    w.u32(0x0405_0607);
    w.text("héllo", 4);
    w.u32(9); // past the end: ignored
    let mut r = Reader::new(&buf);
    assert_eq!(r.u8(), 1);
    assert_eq!(r.u16(), 0x0203);
    assert_eq!(r.u32(), 0x0405_0607);
    assert_eq!(r.text(4), "hél");
    assert!(r.bytes(5).is_empty()); // past the end
    assert_eq!(r.u32(), 0);
}
