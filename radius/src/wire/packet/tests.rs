use super::*;
use crate::wire::RawAttr;

fn packet(attrs: &[u8]) -> Vec<u8> {
    let mut p = vec![2, 9, 0, 0];
    p.extend_from_slice(&[0xaa; 16]);
    p.extend_from_slice(attrs);
    let len = p.len() as u16;
    p[2..4].copy_from_slice(&len.to_be_bytes());
    p
}

#[test]
fn header_fields_and_attributes_are_read() {
    let p = packet(&[1, 5, b'b', b'o', b'b', 27, 6, 0, 0, 0x0e, 0x10]);
    let view = Packet::new_checked(&p[..]).unwrap();
    assert_eq!(view.code(), Code::AccessAccept);
    assert_eq!(view.identifier(), 9);
    assert_eq!(view.length(), 31);
    assert_eq!(view.authenticator(), [0xaa; 16]);
    let attrs: Vec<RawAttr> = view.attributes().collect();
    assert_eq!(attrs.len(), 2);
    assert_eq!(
        (attrs[0].vendor, attrs[0].typ, attrs[0].value),
        (0, 1, &b"bob"[..])
    );
    assert_eq!(
        (attrs[1].typ, attrs[1].value),
        (27, &[0, 0, 0x0e, 0x10][..])
    );
}

#[test]
fn vendor_specific_sub_attributes_are_flattened() {
    // Microsoft (311): MS-Primary-DNS-Server 10.0.0.1 and MS-Secondary-DNS-Server 10.0.0.2
    // in one Vendor-Specific attribute, then a VSA that is not in the sub-attribute format.
    let p = packet(&[
        26, 18, 0, 0, 1, 55, 28, 6, 10, 0, 0, 1, 29, 6, 10, 0, 0, 2, 26, 8, 0, 0, 0, 9, 0xff, 0xff,
    ]);
    let view = Packet::new_checked(&p[..]).unwrap();
    let attrs: Vec<RawAttr> = view.attributes().collect();
    assert_eq!(attrs.len(), 3);
    assert_eq!(
        (attrs[0].vendor, attrs[0].typ, attrs[0].value),
        (311, 28, &[10, 0, 0, 1][..])
    );
    assert_eq!(
        (attrs[1].vendor, attrs[1].typ, attrs[1].value),
        (311, 29, &[10, 0, 0, 2][..])
    );
    assert_eq!(
        (attrs[2].vendor, attrs[2].typ),
        (0, 26),
        "kept whole when not sub-attributes"
    );
}

#[test]
fn bad_lengths_are_refused() {
    assert_eq!(
        Packet::new_checked(&[1u8; 19][..]).unwrap_err(),
        PacketError::Truncated
    );
    let mut p = packet(&[]);
    p[3] = 19;
    assert_eq!(
        Packet::new_checked(&p[..]).unwrap_err(),
        PacketError::BadLength(19)
    );
    let mut p = packet(&[1, 3, b'x']);
    p[3] = 30;
    assert!(matches!(
        Packet::new_checked(&p[..]).unwrap_err(),
        PacketError::LengthOverrun {
            length: 30,
            available: 23
        }
    ));
    let mut p = packet(&[]);
    p[2..4].copy_from_slice(&4097u16.to_be_bytes());
    p.resize(4097, 0);
    assert_eq!(
        Packet::new_checked(&p[..]).unwrap_err(),
        PacketError::BadLength(4097)
    );
}

#[test]
fn malformed_attributes_are_refused_and_padding_ignored() {
    let p = packet(&[1, 1]);
    assert_eq!(
        Packet::new_checked(&p[..]).unwrap_err(),
        PacketError::BadAttribute { at: 20 }
    );
    let p = packet(&[1, 3, b'x', 4, 9, 0]);
    assert_eq!(
        Packet::new_checked(&p[..]).unwrap_err(),
        PacketError::BadAttribute { at: 23 }
    );
    let mut p = packet(&[1, 3, b'x']);
    p.extend_from_slice(&[0xff; 5]);
    let view = Packet::new_checked(&p[..]).unwrap();
    assert_eq!(view.as_bytes().len(), 23);
    assert_eq!(view.attributes().count(), 1);
}

#[test]
fn random_datagrams_never_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    for _ in 0..20_000 {
        let len = rng.gen_range(0..80);
        let mut buf: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        if len >= 4 && rng.gen_bool(0.7) {
            buf[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        }
        if let Ok(p) = Packet::new_checked(&buf[..]) {
            let n: usize = p.attributes().map(|a| a.value.len()).sum();
            assert!(n <= len);
        }
        let unchecked = Packet::new_unchecked(&buf[..]);
        let _ = (
            unchecked.code(),
            unchecked.authenticator(),
            unchecked.attributes().count(),
        );
    }
}
