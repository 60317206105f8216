use super::*;
use crate::wire::Packet;

#[test]
fn builds_attributes_and_vendor_attributes_that_parse_back() {
    let mut buf = [0u8; 128];
    let mut b = Builder::new(&mut buf, Code::AccessRequest, 42).unwrap();
    b.attribute(1, b"alice").unwrap();
    b.vendor_attribute(311, 11, &[0x33; 16]).unwrap();
    let len = b.finish_with_authenticator(&[1; 16], b"s");
    assert_eq!(len, 20 + 7 + 24);
    let p = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(
        (p.code(), p.identifier(), p.authenticator()),
        (Code::AccessRequest, 42, [1; 16])
    );
    let attrs: Vec<_> = p
        .attributes()
        .map(|a| (a.vendor, a.typ, a.value.to_vec()))
        .collect();
    assert_eq!(
        attrs,
        [(0, 1, b"alice".to_vec()), (311, 11, vec![0x33; 16])]
    );
}

#[test]
fn refuses_what_does_not_fit() {
    let mut small = [0u8; 19];
    assert!(matches!(
        Builder::new(&mut small, Code::AccessRequest, 0),
        Err(BuildError::NoRoom)
    ));
    let mut buf = [0u8; 24];
    let mut b = Builder::new(&mut buf, Code::AccessRequest, 0).unwrap();
    assert!(matches!(b.attribute(1, &[0; 3]), Err(BuildError::NoRoom)));
    assert!(matches!(
        b.attribute(1, &[0; 254]),
        Err(BuildError::ValueTooLong)
    ));
    assert!(matches!(
        b.vendor_attribute(9, 1, &[0; 248]),
        Err(BuildError::ValueTooLong)
    ));
    assert!(b.is_empty());
    let mut big = vec![0u8; 5000];
    let mut b = Builder::new(&mut big, Code::AccessRequest, 0).unwrap();
    for _ in 0..15 {
        b.attribute(18, &[b'x'; 253]).unwrap();
    }
    assert!(
        matches!(b.attribute(18, &[b'x'; 253]), Err(BuildError::NoRoom)),
        "4096 cap"
    );
    assert_eq!(b.len(), 20 + 15 * 255);
}
