//! User-Password hiding (RFC 2865 §5.2): the password, zero-padded to a multiple of 16, XORed
//! with a chain of MD5(secret + previous block), starting from the Request Authenticator.

use md5::{Digest, Md5};

use crate::wire::AUTH_LEN;

/// Longest password RFC 2865 lets us hide (128 octets).
const MAX_PASSWORD: usize = 128;

fn xor_chain(input: &[u8], secret: &[u8], authenticator: &[u8; AUTH_LEN], hiding: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut prev: [u8; AUTH_LEN] = *authenticator;
    for block in input.chunks(AUTH_LEN) {
        let b: [u8; AUTH_LEN] = Md5::new()
            .chain_update(secret)
            .chain_update(prev)
            .finalize()
            .into();
        let mut c = [0u8; AUTH_LEN];
        for (i, byte) in c.iter_mut().enumerate() {
            *byte = block.get(i).copied().unwrap_or(0) ^ b[i];
        }
        prev = if hiding {
            c
        } else {
            block.try_into().unwrap_or(c)
        };
        out.extend_from_slice(&c);
    }
    out
}

/// The User-Password value for `password` (truncated to 128 octets), hidden with `secret` and
/// the request's `authenticator`.
pub fn hide_password(password: &[u8], secret: &[u8], authenticator: &[u8; AUTH_LEN]) -> Vec<u8> {
    let password = &password[..password.len().min(MAX_PASSWORD)];
    if password.is_empty() {
        return xor_chain(&[0; AUTH_LEN], secret, authenticator, true);
    }
    xor_chain(password, secret, authenticator, true)
}

/// The octets inside a hidden value, padding included (for values that are not text, such as
/// MS-CHAP-MPPE-Keys, RFC 2548 §2.4.1); `None` unless a multiple of 16 octets, 16 to 128.
pub fn unhide_octets(
    hidden: &[u8],
    secret: &[u8],
    authenticator: &[u8; AUTH_LEN],
) -> Option<Vec<u8>> {
    if hidden.is_empty() || !hidden.len().is_multiple_of(AUTH_LEN) || hidden.len() > MAX_PASSWORD {
        return None;
    }
    Some(xor_chain(hidden, secret, authenticator, false))
}

/// The password inside a hidden User-Password value, with the zero padding removed.
pub fn unhide_password(
    hidden: &[u8],
    secret: &[u8],
    authenticator: &[u8; AUTH_LEN],
) -> Option<Vec<u8>> {
    let mut plain = unhide_octets(hidden, secret, authenticator)?;
    while plain.last() == Some(&0) {
        plain.pop();
    }
    Some(plain)
}

#[cfg(test)]
mod tests;
