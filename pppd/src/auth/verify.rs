//! Verification of one attempt against a locally stored credential.

use super::{AuthRequest, AuthSuccess, AuthVerdict, Credential, MppeKeys};
use crate::mschap::{self, ct_eq};
use md5::{Digest, Md5};
use zeroize::Zeroize;

const REJECT_TEXT: &str = "Authentication failed";

/// Verifies a request against a local credential (all four methods; MS-CHAP needs only the NT hash,
/// PAP/CHAP-MD5 need the password — PAP also works against an NT hash). DOMAIN\ stripped for the
/// MS-CHAPv2 challenge hash. Accepted MS-CHAP attempts carry the server-side MPPE keys.
pub fn verify_local(req: &AuthRequest, cred: &Credential) -> AuthVerdict {
    let accepted = match req {
        AuthRequest::Pap { password, .. } => pap_matches(password, cred).then_some(NO_EXTRAS),
        AuthRequest::ChapMd5 {
            user,
            id,
            challenge,
            response,
        } => chap_md5_matches(user, *id, challenge, response, cred).then_some(NO_EXTRAS),
        AuthRequest::MsChapV1 {
            challenge,
            nt_response,
            ..
        } => verify_v1(challenge, nt_response, cred),
        AuthRequest::MsChapV2 {
            user,
            authenticator_challenge,
            peer_challenge,
            nt_response,
        } => verify_v2(
            user,
            authenticator_challenge,
            peer_challenge,
            nt_response,
            cred,
        ),
    };
    match accepted {
        Some((authenticator_response, mppe_keys)) => AuthVerdict::Accept(AuthSuccess {
            authenticator_response,
            mppe_keys,
        }),
        None => AuthVerdict::Reject {
            message: REJECT_TEXT.to_string(),
        },
    }
}

/// What an accepted attempt carries besides the verdict.
type Extras = (Option<[u8; 20]>, Option<MppeKeys>);
const NO_EXTRAS: Extras = (None, None);

fn chap_md5_matches(
    user: &str,
    id: u8,
    challenge: &[u8],
    response: &[u8; 16],
    cred: &Credential,
) -> bool {
    match cred {
        Credential::Password(secret) => {
            ct_eq(&chap_md5(id, secret.as_bytes(), challenge), response)
        }
        Credential::NtHash(_) => {
            tracing::info!(user, "chap-md5 needs a clear-text password");
            false
        }
    }
}

fn verify_v1(challenge: &[u8; 8], nt_response: &[u8; 24], cred: &Credential) -> Option<Extras> {
    let mut hash = cred.nt_hash();
    let ok = ct_eq(&mschap::challenge_response(challenge, &hash), nt_response);
    let extras = ok.then(|| (None, Some(MppeKeys::from_mschapv1(&hash, challenge))));
    hash.zeroize();
    extras
}

fn verify_v2(
    user: &str,
    authenticator_challenge: &[u8; 16],
    peer_challenge: &[u8; 16],
    nt_response: &[u8; 24],
    cred: &Credential,
) -> Option<Extras> {
    let mut hash = cred.nt_hash();
    let expected =
        mschap::generate_nt_response(authenticator_challenge, peer_challenge, user, &hash);
    let extras = ct_eq(&expected, nt_response).then(|| {
        let ar = mschap::generate_authenticator_response(
            &hash,
            nt_response,
            peer_challenge,
            authenticator_challenge,
            user,
        );
        (
            Some(ar),
            Some(MppeKeys::from_mschapv2(&hash, nt_response, true)),
        )
    });
    hash.zeroize();
    extras
}

fn pap_matches(password: &[u8], cred: &Credential) -> bool {
    match cred {
        Credential::Password(p) => ct_eq(p.as_bytes(), password),
        Credential::NtHash(h) => match std::str::from_utf8(password) {
            Ok(p) => ct_eq(&mschap::nt_password_hash(p), h),
            Err(_) => false,
        },
    }
}

/// CHAP-MD5 response value: MD5(identifier, secret, challenge) (RFC 1994 §4.1).
pub(super) fn chap_md5(id: u8, secret: &[u8], challenge: &[u8]) -> [u8; 16] {
    Md5::new()
        .chain_update([id])
        .chain_update(secret)
        .chain_update(challenge)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests;
