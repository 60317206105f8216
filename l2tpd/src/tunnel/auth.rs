//! Tunnel authentication (RFC 2661 §5.1.1): CHAP-like Challenge Response.

use md5::{Digest, Md5};

/// MD5(message type as one byte + secret + challenge): the Challenge Response carried in an
/// SCCRP (type 2) or SCCCN (type 3).
pub(super) fn challenge_response(message_type: u8, secret: &[u8], challenge: &[u8]) -> [u8; 16] {
    Md5::new()
        .chain_update([message_type])
        .chain_update(secret)
        .chain_update(challenge)
        .finalize()
        .into()
}
