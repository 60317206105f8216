//! MS-CHAP cryptography: RFC 2759 (MS-CHAPv2), RFC 2433 (MS-CHAPv1 NT response) and the
//! RFC 3079 MPPE key derivation. Pure functions over fixed-size arrays; no allocation except
//! the UTF-16 password encoding in [`nt_password_hash`].

mod keys;
mod v1;
mod v2;

pub use keys::{get_asymmetric_start_key, get_master_key, get_new_key_from_sha};
pub use v1::v1_start_key;
pub use v2::{
    challenge_hash, check_authenticator_response, generate_authenticator_response,
    generate_nt_response,
};

use des::cipher::{BlockCipherEncrypt, KeyInit};
use des::Des;
use md4::{Digest, Md4};
use zeroize::Zeroize;

/// NtPasswordHash (RFC 2759 §8.3): MD4 of the password in UTF-16LE.
pub fn nt_password_hash(password: &str) -> [u8; 16] {
    let mut unicode: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let hash: [u8; 16] = Md4::digest(&unicode).into();
    unicode.zeroize();
    hash
}

/// HashNtPasswordHash (RFC 2759 §8.4): MD4 of the NT password hash.
pub fn hash_nt_password_hash(password_hash: &[u8; 16]) -> [u8; 16] {
    Md4::digest(password_hash).into()
}

/// ChallengeResponse (RFC 2759 §8.5), also the MS-CHAPv1 NT response (RFC 2433 §A.5):
/// the hash zero-padded to 21 octets, three DES keys of 7 octets each encrypt the challenge.
pub fn challenge_response(challenge: &[u8; 8], password_hash: &[u8; 16]) -> [u8; 24] {
    let mut z = [0u8; 21];
    z[..16].copy_from_slice(password_hash);
    let mut out = [0u8; 24];
    for (key7, block) in z.chunks_exact(7).zip(out.chunks_exact_mut(8)) {
        let mut key = des_key(key7);
        let cipher = Des::new(&key.into());
        let mut b = (*challenge).into();
        cipher.encrypt_block(&mut b);
        block.copy_from_slice(&b);
        key.zeroize();
    }
    z.zeroize();
    out
}

/// Spreads 56 key bits over 8 octets (7 bits each, low parity bit left 0; DES ignores it).
fn des_key(k: &[u8]) -> [u8; 8] {
    let bits = k.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let mut out = [0u8; 8];
    for (i, o) in out.iter_mut().enumerate() {
        // 56-bit value: the i-th 7-bit group from the top.
        *o = (((bits >> (49 - 7 * i)) & 0x7f) as u8) << 1;
    }
    out
}

/// Constant-time equality for secrets of equal length (false when lengths differ).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// User name as used in ChallengeHash: the part after the last backslash (RFC 2759 §8.2).
pub fn strip_domain(user: &str) -> &str {
    user.rsplit_once('\\').map_or(user, |(_, u)| u)
}

#[cfg(test)]
mod tests;
