//! Hidden AVPs (RFC 2661 §4.3): a hand-computed example, round trips and errors.

use l2tpd::avp::{attr, emit_all, hide, parse_all, unhide, Avp, AvpError, AvpValue};
use md5::{Digest, Md5};

const SECRET: &[u8] = b"tunnel-secret";
const RV: [u8; 16] = [
    0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
];
const NAME: &[u8] = b"alice@example.net-long"; // 22 bytes: 24 with the length prefix

fn md5(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = Md5::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// The expected hidden value, computed step by step from the RFC text.
fn expected_cipher() -> Vec<u8> {
    let mut plain = vec![0, NAME.len() as u8];
    plain.extend_from_slice(NAME);
    let b1 = md5(&[&[0, 30], SECRET, &RV]);
    let c1: Vec<u8> = plain[..16].iter().zip(b1).map(|(p, b)| p ^ b).collect();
    let b2 = md5(&[SECRET, &c1]);
    let c2: Vec<u8> = plain[16..].iter().zip(b2).map(|(p, b)| p ^ b).collect();
    [c1, c2].concat()
}

#[test]
fn hand_computed_example() {
    let cipher = expected_cipher();
    let avp = Avp::new(AvpValue::ProxyAuthenName(NAME.to_vec())).hide();
    let bytes = avp.to_vec_hidden(SECRET, &RV, &[]).unwrap();
    let mut expected = vec![0x40, 6 + 24, 0, 0, 0, 30];
    expected.extend_from_slice(&cipher);
    assert_eq!(bytes, expected);

    let mut message = Avp::new(AvpValue::RandomVector(RV.to_vec()))
        .to_vec_clear()
        .unwrap();
    message.extend_from_slice(&bytes);
    let avps = parse_all(&message, Some(SECRET)).unwrap();
    assert_eq!(avps[1], avp);
}

#[test]
fn padding_is_ignored_on_decode() {
    let hidden = hide(attr::CHALLENGE_RESPONSE, &[7; 16], SECRET, &RV, &[0xaa; 13]).unwrap();
    assert_eq!(hidden.len(), 2 + 16 + 13);
    assert_eq!(
        unhide(attr::CHALLENGE_RESPONSE, &hidden, SECRET, &RV).unwrap(),
        vec![7; 16]
    );
    assert_ne!(
        unhide(attr::CHALLENGE_RESPONSE, &hidden, b"wrong", &RV),
        Some(vec![7; 16])
    );
}

#[test]
fn round_trips_across_lengths_and_paddings() {
    for len in 1..=70 {
        for pad in [0usize, 1, 15, 16, 17] {
            let value: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let hidden = hide(attr::HOST_NAME, &value, SECRET, &RV, &vec![0x5a; pad]).unwrap();
            assert_eq!(hidden.len(), 2 + len + pad);
            assert_eq!(
                unhide(attr::HOST_NAME, &hidden, SECRET, &RV),
                Some(value.clone())
            );
        }
    }
}

#[test]
fn list_round_trip_uses_the_latest_random_vector() {
    let avps = vec![
        Avp::new(AvpValue::RandomVector(vec![1; 16])),
        Avp::new(AvpValue::AssignedSessionId(0x4242)).hide(),
        Avp::new(AvpValue::RandomVector(vec![2; 4])),
        Avp::new(AvpValue::ChallengeResponse([3; 16])).hide(),
    ];
    let bytes = emit_all(&avps, Some(SECRET), &[9; 3]).unwrap();
    assert_eq!(parse_all(&bytes, Some(SECRET)).unwrap(), avps);
    let first_only = emit_all(&avps[..2], Some(SECRET), &[9; 3]).unwrap();
    assert_eq!(&bytes[..first_only.len()], &first_only[..]);
}

#[test]
fn hidden_without_random_vector_or_secret() {
    let avp = Avp::new(AvpValue::AssignedSessionId(1)).hide();
    let bytes = avp.to_vec_hidden(SECRET, &RV, &[]).unwrap();
    assert_eq!(
        parse_all(&bytes, Some(SECRET)),
        Err(AvpError::HiddenWithoutRandomVector(
            attr::ASSIGNED_SESSION_ID
        ))
    );
    let mut with_rv = Avp::new(AvpValue::RandomVector(RV.to_vec()))
        .to_vec_clear()
        .unwrap();
    with_rv.extend_from_slice(&bytes);
    assert_eq!(
        parse_all(&with_rv, None),
        Err(AvpError::HiddenWithoutSecret(attr::ASSIGNED_SESSION_ID))
    );
    assert_eq!(
        emit_all(std::slice::from_ref(&avp), Some(SECRET), &[]),
        Err(AvpError::HiddenWithoutRandomVector(
            attr::ASSIGNED_SESSION_ID
        ))
    );
    assert_eq!(
        emit_all(
            &[Avp::new(AvpValue::RandomVector(RV.to_vec())), avp],
            None,
            &[]
        ),
        Err(AvpError::HiddenWithoutSecret(attr::ASSIGNED_SESSION_ID))
    );
}

#[test]
fn bad_hidden_data() {
    let mut message = Avp::new(AvpValue::RandomVector(RV.to_vec()))
        .to_vec_clear()
        .unwrap();
    let mut hidden = hide(attr::HOST_NAME, b"abc", SECRET, &RV, &[]).unwrap();
    hidden.pop();
    message.extend_from_slice(&[0xc0, 6 + hidden.len() as u8, 0, 0, 0, attr::HOST_NAME as u8]);
    message.extend_from_slice(&hidden);
    assert_eq!(
        parse_all(&message, Some(SECRET)),
        Err(AvpError::BadHiddenLength(attr::HOST_NAME))
    );
}

#[test]
fn random_vector_must_not_be_hidden() {
    let mut message = Avp::new(AvpValue::RandomVector(RV.to_vec()))
        .to_vec_clear()
        .unwrap();
    message.extend(
        Avp::new(AvpValue::RandomVector(vec![1]))
            .to_vec_hidden(SECRET, &RV, &[])
            .unwrap(),
    );
    assert_eq!(
        parse_all(&message, Some(SECRET)),
        Err(AvpError::MustNotBeHidden(attr::RANDOM_VECTOR))
    );
}
