use super::*;

fn accepted(v: &AuthVerdict) -> bool {
    matches!(v, AuthVerdict::Accept(_))
}

#[test]
fn pap_against_password_and_hash() {
    let req = AuthRequest::Pap {
        user: "u".into(),
        password: b"clientPass".to_vec(),
    };
    assert!(accepted(&verify_local(
        &req,
        &Credential::Password("clientPass".into())
    )));
    assert!(!accepted(&verify_local(
        &req,
        &Credential::Password("clientpass".into())
    )));
    let hash = mschap::nt_password_hash("clientPass");
    assert!(accepted(&verify_local(&req, &Credential::NtHash(hash))));
    assert!(!accepted(&verify_local(&req, &Credential::NtHash([0; 16]))));
}

#[test]
fn chap_md5_rfc1994() {
    let challenge = [7u8; 16];
    let response = chap_md5(9, b"pw", &challenge);
    let req = AuthRequest::ChapMd5 {
        user: "u".into(),
        id: 9,
        challenge: challenge.to_vec(),
        response,
    };
    assert!(accepted(&verify_local(
        &req,
        &Credential::Password("pw".into())
    )));
    assert!(!accepted(&verify_local(
        &req,
        &Credential::Password("px".into())
    )));
    let hash = mschap::nt_password_hash("pw");
    assert!(!accepted(&verify_local(&req, &Credential::NtHash(hash))));
}

#[test]
fn mschap_v1_and_v2() {
    let hash = mschap::nt_password_hash("pw");
    let challenge = [3u8; 8];
    let req = AuthRequest::MsChapV1 {
        user: "u".into(),
        challenge,
        nt_response: mschap::challenge_response(&challenge, &hash),
    };
    match verify_local(&req, &Credential::NtHash(hash)) {
        AuthVerdict::Accept(s) => {
            let k = s.mppe_keys.unwrap();
            assert_eq!(k.send, k.recv);
            assert!(s.authenticator_response.is_none());
        }
        AuthVerdict::Reject { .. } => panic!("v1 rejected"),
    }
    assert!(!accepted(&verify_local(
        &req,
        &Credential::Password("nope".into())
    )));

    let (ac, pc) = ([1u8; 16], [2u8; 16]);
    let nt = mschap::generate_nt_response(&ac, &pc, "bob", &hash);
    let req = AuthRequest::MsChapV2 {
        user: "CORP\\bob".into(),
        authenticator_challenge: ac,
        peer_challenge: pc,
        nt_response: nt,
    };
    match verify_local(&req, &Credential::Password("pw".into())) {
        AuthVerdict::Accept(s) => {
            let ar = s.authenticator_response.unwrap();
            assert!(mschap::check_authenticator_response(
                &hash, &nt, &pc, &ac, "bob", &ar
            ));
            let server = s.mppe_keys.unwrap();
            let client = MppeKeys::from_mschapv2(&hash, &nt, false);
            assert_eq!(server.send, client.recv);
            assert_eq!(server.recv, client.send);
        }
        AuthVerdict::Reject { .. } => panic!("v2 rejected"),
    }
    assert!(!accepted(&verify_local(
        &req,
        &Credential::Password("pW".into())
    )));
}
