//! MS-CHAPv1 MPPE start key (RFC 3079 §2.4, 128-bit; 40-bit uses the first 8 octets as
//! pppd does, not the LAN Manager hash).

use sha1::{Digest, Sha1};

/// GetStartKey for MS-CHAPv1: SHA1(hash hash, hash hash, challenge), first 16 octets.
/// The same key is used in both directions.
pub fn v1_start_key(password_hash_hash: &[u8; 16], challenge: &[u8; 8]) -> [u8; 16] {
    let digest = Sha1::new()
        .chain_update(password_hash_hash)
        .chain_update(password_hash_hash)
        .chain_update(challenge)
        .finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}
