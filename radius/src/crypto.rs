//! RADIUS cryptography: authenticators (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3),
//! Message-Authenticator (RFC 2869 §5.14, RFC 3579 §3.2), User-Password hiding (RFC 2865
//! §5.2), CHAP-Password (RFC 2865 §5.3) and the salt encryption of RFC 2548 §2.4.2-2.4.3 /
//! RFC 2868 §3.5.

mod authenticator;
mod chap;
mod password;
mod salt;

pub use authenticator::{
    message_authenticator, packet_hash, verify_reply, verify_request, VerifyError,
};
pub use chap::{chap_password, chap_response};
pub use password::{hide_password, unhide_octets, unhide_password};
pub use salt::{salt_decrypt, salt_encrypt, SaltError};

/// Constant-time equality of two byte strings of the same length.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
