//! Salt encryption (RFC 2548 §2.4.2-2.4.3, RFC 2868 §3.5): MS-MPPE-Send-Key, MS-MPPE-Recv-Key
//! and Tunnel-Password. The value is a 2-octet salt (high bit set) and the cipher text of a
//! length octet, the key, and zero padding to a multiple of 16, XORed with a chain of
//! MD5(secret + Request Authenticator + salt), then MD5(secret + previous cipher block).

use std::fmt;

use md5::{Digest, Md5};

use crate::wire::AUTH_LEN;

/// Why a salt-encrypted value could not be decrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaltError {
    /// Not a salt and a positive multiple of 16 octets.
    BadLength,
    /// The salt's high bit is clear.
    BadSalt,
    /// The decrypted length octet exceeds the plain text.
    BadKeyLength,
    /// The plain text does not fit in one attribute.
    TooLong,
}

impl fmt::Display for SaltError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SaltError::BadLength => "salt-encrypted value of a bad length",
            SaltError::BadSalt => "salt without its high bit set",
            SaltError::BadKeyLength => "decrypted key length exceeds the value",
            SaltError::TooLong => "key too long for one attribute",
        })
    }
}

impl std::error::Error for SaltError {}

fn block_key(secret: &[u8], first: &[u8], second: &[u8]) -> [u8; AUTH_LEN] {
    Md5::new()
        .chain_update(secret)
        .chain_update(first)
        .chain_update(second)
        .finalize()
        .into()
}

/// Encrypts `key` with `secret`, the request's `authenticator` and `salt` (its high bit is
/// forced on). Values longer than 239 octets do not fit an attribute.
pub fn salt_encrypt(
    key: &[u8],
    secret: &[u8],
    authenticator: &[u8; AUTH_LEN],
    salt: [u8; 2],
) -> Result<Vec<u8>, SaltError> {
    if key.len() > 239 {
        return Err(SaltError::TooLong);
    }
    let salt = [salt[0] | 0x80, salt[1]];
    let mut plain = vec![key.len() as u8];
    plain.extend_from_slice(key);
    plain.resize(plain.len().div_ceil(AUTH_LEN) * AUTH_LEN, 0);
    let mut out = salt.to_vec();
    let mut b = block_key(secret, authenticator, &salt);
    for block in plain.chunks(AUTH_LEN) {
        let c: Vec<u8> = block.iter().zip(b).map(|(p, k)| p ^ k).collect();
        b = block_key(secret, &c, &[]);
        out.extend_from_slice(&c);
    }
    Ok(out)
}

/// Decrypts a salt-encrypted `value` with `secret` and the request's `authenticator`,
/// returning the key without its length octet and padding.
pub fn salt_decrypt(
    value: &[u8],
    secret: &[u8],
    authenticator: &[u8; AUTH_LEN],
) -> Result<Vec<u8>, SaltError> {
    let (salt, cipher) = value.split_at_checked(2).ok_or(SaltError::BadLength)?;
    if cipher.is_empty() || !cipher.len().is_multiple_of(AUTH_LEN) {
        return Err(SaltError::BadLength);
    }
    if salt[0] & 0x80 == 0 {
        return Err(SaltError::BadSalt);
    }
    let mut plain = Vec::with_capacity(cipher.len());
    let mut b = block_key(secret, authenticator, salt);
    for block in cipher.chunks(AUTH_LEN) {
        plain.extend(block.iter().zip(b).map(|(c, k)| c ^ k));
        b = block_key(secret, block, &[]);
    }
    let len = usize::from(plain[0]);
    if len + 1 > plain.len() {
        return Err(SaltError::BadKeyLength);
    }
    Ok(plain[1..=len].to_vec())
}

#[cfg(test)]
mod tests;
