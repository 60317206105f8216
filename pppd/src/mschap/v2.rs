//! MS-CHAPv2 response and authenticator response (RFC 2759 §8).

use super::{challenge_response, ct_eq, hash_nt_password_hash, strip_domain};
use sha1::{Digest, Sha1};

const MAGIC1: &[u8; 39] = b"Magic server to client signing constant";
const MAGIC2: &[u8; 41] = b"Pad to make it do more than one iteration";

/// ChallengeHash (RFC 2759 §8.2): first 8 octets of SHA1(peer challenge, authenticator
/// challenge, user name). Any `DOMAIN\` prefix of `user` is stripped here.
pub fn challenge_hash(
    peer_challenge: &[u8; 16],
    authenticator_challenge: &[u8; 16],
    user: &str,
) -> [u8; 8] {
    let digest = Sha1::new()
        .chain_update(peer_challenge)
        .chain_update(authenticator_challenge)
        .chain_update(strip_domain(user).as_bytes())
        .finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// GenerateNTResponse (RFC 2759 §8.1), from the NT password hash rather than the password.
pub fn generate_nt_response(
    authenticator_challenge: &[u8; 16],
    peer_challenge: &[u8; 16],
    user: &str,
    password_hash: &[u8; 16],
) -> [u8; 24] {
    let challenge = challenge_hash(peer_challenge, authenticator_challenge, user);
    challenge_response(&challenge, password_hash)
}

/// GenerateAuthenticatorResponse (RFC 2759 §8.7): the 20 octets sent as "S=<40 hex>".
pub fn generate_authenticator_response(
    password_hash: &[u8; 16],
    nt_response: &[u8; 24],
    peer_challenge: &[u8; 16],
    authenticator_challenge: &[u8; 16],
    user: &str,
) -> [u8; 20] {
    let hash_hash = hash_nt_password_hash(password_hash);
    let digest = Sha1::new()
        .chain_update(hash_hash)
        .chain_update(nt_response)
        .chain_update(MAGIC1)
        .finalize();
    let challenge = challenge_hash(peer_challenge, authenticator_challenge, user);
    Sha1::new()
        .chain_update(digest)
        .chain_update(challenge)
        .chain_update(MAGIC2)
        .finalize()
        .into()
}

/// CheckAuthenticatorResponse (RFC 2759 §8.8): the peer's check of the server's "S=" value.
pub fn check_authenticator_response(
    password_hash: &[u8; 16],
    nt_response: &[u8; 24],
    peer_challenge: &[u8; 16],
    authenticator_challenge: &[u8; 16],
    user: &str,
    received: &[u8; 20],
) -> bool {
    let expected = generate_authenticator_response(
        password_hash,
        nt_response,
        peer_challenge,
        authenticator_challenge,
        user,
    );
    ct_eq(&expected, received)
}
