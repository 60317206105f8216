//! MPPE key derivation from MS-CHAPv2 (RFC 3079 §3.4) and the key change function (§3.2/§3.3).

use sha1::{Digest, Sha1};

const MASTER_MAGIC: &[u8; 27] = b"This is the MPPE Master Key";
/// "On the client side, this is the send key; on the server side, it is the receive key."
const CLIENT_SEND_MAGIC: &[u8; 84] =
    b"On the client side, this is the send key; on the server side, it is the receive key.";
/// "On the client side, this is the receive key; on the server side, it is the send key."
const SERVER_SEND_MAGIC: &[u8; 84] =
    b"On the client side, this is the receive key; on the server side, it is the send key.";
const SHS_PAD1: [u8; 40] = [0; 40];
const SHS_PAD2: [u8; 40] = [0xf2; 40];

/// GetMasterKey (RFC 3079 §3.4): 16 octets from the password hash hash and the NT-Response.
pub fn get_master_key(password_hash_hash: &[u8; 16], nt_response: &[u8; 24]) -> [u8; 16] {
    let digest = Sha1::new()
        .chain_update(password_hash_hash)
        .chain_update(nt_response)
        .chain_update(MASTER_MAGIC)
        .finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// GetAsymmetricStartKey (RFC 3079 §3.4) for 128-bit keys; a 40-bit key is the first 8 octets
/// of the same value (the SHA1 output is truncated, so the shorter key is a prefix).
pub fn get_asymmetric_start_key(master_key: &[u8; 16], is_send: bool, is_server: bool) -> [u8; 16] {
    let magic = if is_send == is_server {
        SERVER_SEND_MAGIC
    } else {
        CLIENT_SEND_MAGIC
    };
    let digest = Sha1::new()
        .chain_update(master_key)
        .chain_update(SHS_PAD1)
        .chain_update(magic)
        .chain_update(SHS_PAD2)
        .finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// GetNewKeyFromSHA (RFC 3079 §3.3): the interim key from the start key and the current
/// session key, both of the session key length (8 or 16 octets); `out` gets that many octets.
pub fn get_new_key_from_sha(start_key: &[u8], session_key: &[u8], out: &mut [u8]) {
    let digest = Sha1::new()
        .chain_update(start_key)
        .chain_update(SHS_PAD1)
        .chain_update(session_key)
        .chain_update(SHS_PAD2)
        .finalize();
    for (o, d) in out.iter_mut().zip(digest.iter()) {
        *o = *d;
    }
}
