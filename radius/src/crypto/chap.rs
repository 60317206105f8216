//! CHAP-Password (RFC 2865 §5.3): the CHAP Identifier followed by the 16-octet response.

use md5::{Digest, Md5};

/// The CHAP-MD5 response MD5(identifier + password + challenge) (RFC 1994 §4.1), as a peer
/// computes it.
pub fn chap_response(identifier: u8, password: &[u8], challenge: &[u8]) -> [u8; 16] {
    Md5::new()
        .chain_update([identifier])
        .chain_update(password)
        .chain_update(challenge)
        .finalize()
        .into()
}

/// The CHAP-Password value relaying a peer's `response` to CHAP `identifier`; the challenge
/// goes in CHAP-Challenge (or the Request Authenticator when it is 16 octets).
pub fn chap_password(identifier: u8, response: &[u8; 16]) -> [u8; 17] {
    let mut value = [0; 17];
    value[0] = identifier;
    value[1..].copy_from_slice(response);
    value
}

#[cfg(test)]
mod tests;
