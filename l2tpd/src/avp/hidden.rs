//! Hiding of AVP values (§4.3): MD5-based XOR stream keyed by the tunnel secret.
//!
//! The hidden subformat is Original Length (2 bytes) + value + padding, XORed with
//! b(1) = MD5(Attribute Type + secret + Random Vector), b(i) = MD5(secret + c(i-1)),
//! c(i) being the previous 16-byte cipher block. A short last block uses a prefix of b(i).

use crate::wire::be16;
use md5::{Digest, Md5};

fn xor_stream(attribute: u16, secret: &[u8], rv: &[u8], data: &mut [u8], decrypt: bool) {
    let mut key: [u8; 16] = Md5::new()
        .chain_update(attribute.to_be_bytes())
        .chain_update(secret)
        .chain_update(rv)
        .finalize()
        .into();
    for block in data.chunks_mut(16) {
        let mut cipher = [0u8; 16];
        for (i, byte) in block.iter_mut().enumerate() {
            let c_in = *byte;
            *byte ^= key[i];
            cipher[i] = if decrypt { c_in } else { *byte };
        }
        key = Md5::new()
            .chain_update(secret)
            .chain_update(&cipher[..block.len()])
            .finalize()
            .into();
    }
}

/// Hides `value` of `attribute`; `None` if the value exceeds 65535 bytes.
pub fn hide(
    attribute: u16,
    value: &[u8],
    secret: &[u8],
    rv: &[u8],
    padding: &[u8],
) -> Option<Vec<u8>> {
    let original = u16::try_from(value.len()).ok()?;
    let mut data = Vec::with_capacity(2 + value.len() + padding.len());
    data.extend_from_slice(&original.to_be_bytes());
    data.extend_from_slice(value);
    data.extend_from_slice(padding);
    xor_stream(attribute, secret, rv, &mut data, false);
    Some(data)
}

/// Reveals a hidden value: the original value without length prefix and padding.
///
/// `None` if the data is shorter than 2 bytes or its Original Length exceeds it.
pub fn unhide(attribute: u16, hidden: &[u8], secret: &[u8], rv: &[u8]) -> Option<Vec<u8>> {
    let mut data = hidden.to_vec();
    xor_stream(attribute, secret, rv, &mut data, true);
    let original = usize::from(be16(data.get(..2)?, 0));
    data.get(2..2 + original).map(<[u8]>::to_vec)
}
