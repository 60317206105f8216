use super::*;
use crate::fsm::Options;
use rand::SeedableRng;

fn check(o: &mut Ipv6cpOptions, req: &[u8]) -> (u8, Vec<u8>) {
    let mut r = Reply::new(false);
    o.check_request(Options::new_checked(req).unwrap(), &mut r);
    r.finish(req)
}

#[test]
fn negotiates_identifiers() {
    let mut o = Ipv6cpOptions::new(StdRng::seed_from_u64(1));
    let local = o.local_id();
    assert_ne!(local, [0; 8]);
    let mut out = Vec::new();
    o.build_request(&mut out);
    assert_eq!(out[..2], [1, 10]);
    assert_eq!(out[2..], local);
    // Zero and colliding ids are Nak'ed with fresh non-zero ones.
    let (code, nak) = check(&mut o, &[1, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!((code, &nak[..2]), (3, &[1u8, 10][..]));
    assert_ne!(nak[2..], [0; 8]);
    let mut coll = vec![1, 10];
    coll.extend_from_slice(&local);
    let (code, nak) = check(&mut o, &coll);
    assert_eq!(code, 3);
    assert_ne!(nak[2..], local);
    // A good id is acknowledged; compression is rejected.
    let good = [1, 10, 1, 2, 3, 4, 5, 6, 7, 8];
    assert_eq!(check(&mut o, &good), (2, good.to_vec()));
    assert_eq!(o.peer_id(), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(check(&mut o, &[2, 4, 0, 0x4f]).0, 4);
}

#[test]
fn follows_naks_but_not_to_zero_or_peer_id() {
    let mut o = Ipv6cpOptions::new(StdRng::seed_from_u64(2));
    o.naked(Options::new_checked(&[1, 10, 9, 9, 9, 9, 9, 9, 9, 9]).unwrap());
    assert_eq!(o.local_id(), [9; 8]);
    o.naked(Options::new_checked(&[1, 10, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap());
    assert_ne!(o.local_id(), [0; 8]);
    o.rejected(Options::new_checked(&[1, 10, 9, 9, 9, 9, 9, 9, 9, 9]).unwrap());
    let mut out = Vec::new();
    o.build_request(&mut out);
    assert!(out.is_empty());
}
