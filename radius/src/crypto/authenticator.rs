//! Request and Response Authenticators and the Message-Authenticator, computed over a packet
//! with its authenticator field (and the Message-Authenticator value) substituted, never
//! copied.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};

use super::ct_eq;
use crate::wire::{Code, Packet, AUTH_LEN, HEADER_LEN};

/// Attribute type of Message-Authenticator.
const MESSAGE_AUTHENTICATOR: u8 = 80;

/// MD5(Code + Identifier + Length + `authenticator` + Attributes + `secret`) over `packet`
/// with its authenticator field read as `authenticator`: the Response Authenticator when that
/// is the request's, the Accounting/DAE Request Authenticator when it is zero.
pub fn packet_hash(packet: &[u8], authenticator: &[u8; AUTH_LEN], secret: &[u8]) -> [u8; AUTH_LEN] {
    let mut md5 = Md5::new();
    md5.update(&packet[..4]);
    md5.update(authenticator);
    md5.update(&packet[HEADER_LEN..]);
    md5.update(secret);
    md5.finalize().into()
}

/// HMAC-MD5 keyed with `secret` over `packet`, with its authenticator field read as
/// `authenticator` and the 16 octets at `value_at` (the Message-Authenticator's value) as zero.
pub fn message_authenticator(
    packet: &[u8],
    authenticator: &[u8; AUTH_LEN],
    value_at: usize,
    secret: &[u8],
) -> [u8; AUTH_LEN] {
    let mut mac =
        <Hmac<Md5> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&packet[..4]);
    mac.update(authenticator);
    mac.update(&packet[HEADER_LEN..value_at]);
    mac.update(&[0; AUTH_LEN]);
    mac.update(&packet[value_at + AUTH_LEN..]);
    mac.finalize().into_bytes().into()
}

/// Why a packet's authenticators were refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The Response or Request Authenticator is wrong (wrong secret, or forged).
    BadAuthenticator,
    /// No Message-Authenticator, and one is required.
    MissingMessageAuthenticator,
    /// A Message-Authenticator that is not 16 octets, or whose HMAC is wrong.
    BadMessageAuthenticator,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VerifyError::BadAuthenticator => "bad RADIUS authenticator",
            VerifyError::MissingMessageAuthenticator => "no Message-Authenticator",
            VerifyError::BadMessageAuthenticator => "bad Message-Authenticator",
        })
    }
}

impl std::error::Error for VerifyError {}

fn check_message_authenticator<T: AsRef<[u8]>>(
    packet: &Packet<T>,
    authenticator: &[u8; AUTH_LEN],
    secret: &[u8],
    required: bool,
) -> Result<(), VerifyError> {
    match packet.find_top(MESSAGE_AUTHENTICATOR) {
        None if required => Err(VerifyError::MissingMessageAuthenticator),
        None => Ok(()),
        Some((at, AUTH_LEN)) => {
            let bytes = packet.as_bytes();
            let want = message_authenticator(bytes, authenticator, at, secret);
            if ct_eq(&want, &bytes[at..at + AUTH_LEN]) {
                Ok(())
            } else {
                Err(VerifyError::BadMessageAuthenticator)
            }
        }
        Some(_) => Err(VerifyError::BadMessageAuthenticator),
    }
}

/// Checks a reply to a request whose Request Authenticator was `request_authenticator`: the
/// Response Authenticator, then the Message-Authenticator (verified when present, and
/// demanded when `require_message_authenticator`).
pub fn verify_reply<T: AsRef<[u8]>>(
    reply: &Packet<T>,
    request_authenticator: &[u8; AUTH_LEN],
    secret: &[u8],
    require_message_authenticator: bool,
) -> Result<(), VerifyError> {
    let bytes = reply.as_bytes();
    let want = packet_hash(bytes, request_authenticator, secret);
    if !ct_eq(&want, &bytes[4..HEADER_LEN]) {
        return Err(VerifyError::BadAuthenticator);
    }
    check_message_authenticator(
        reply,
        request_authenticator,
        secret,
        require_message_authenticator,
    )
}

/// Checks an incoming request that carries a hashed Request Authenticator
/// (Accounting-Request, Disconnect-Request, CoA-Request), then its Message-Authenticator
/// (computed over a zero authenticator field, RFC 5176 §3.3). An Access-Request has a random
/// authenticator, so only its Message-Authenticator is checked.
pub fn verify_request<T: AsRef<[u8]>>(
    request: &Packet<T>,
    secret: &[u8],
    require_message_authenticator: bool,
) -> Result<(), VerifyError> {
    let bytes = request.as_bytes();
    if request.code() == Code::AccessRequest {
        let auth = request.authenticator();
        return check_message_authenticator(request, &auth, secret, require_message_authenticator);
    }
    let zero = [0; AUTH_LEN];
    if !ct_eq(&packet_hash(bytes, &zero, secret), &bytes[4..HEADER_LEN]) {
        return Err(VerifyError::BadAuthenticator);
    }
    check_message_authenticator(request, &zero, secret, require_message_authenticator)
}

#[cfg(test)]
mod tests;
