//! The Access-Request attributes for each PPP authentication protocol, from what the PPP
//! engine collected from the peer (RFC 2865 §5.2-5.3, RFC 2548 §2.3). The caller adds the NAS,
//! port and tunnel attributes.

use crate::attr::{self, Attribute, Attributes};
use crate::crypto::chap_password;

fn user(name: &str) -> Attributes {
    Attributes::new().with(Attribute::string(attr::USER_NAME, name))
}

/// PAP: User-Name and User-Password (held in the clear here; hidden when sent).
pub fn pap(name: &str, password: &[u8]) -> Attributes {
    user(name).with(Attribute::octets(attr::USER_PASSWORD, password))
}

/// CHAP-MD5: CHAP-Password (identifier and response) and CHAP-Challenge.
pub fn chap(name: &str, ident: u8, challenge: &[u8], response: &[u8; 16]) -> Attributes {
    user(name)
        .with(Attribute::octets(
            attr::CHAP_PASSWORD,
            &chap_password(ident, response),
        ))
        .with(Attribute::octets(attr::CHAP_CHALLENGE, challenge))
}

/// MS-CHAPv1 (RFC 2548 §2.1.3): MS-CHAP-Challenge (8 octets) and MS-CHAP-Response with the
/// NT-Response (flags 1: use the NT response; the LM response is zero).
pub fn ms_chap_v1(
    name: &str,
    ident: u8,
    challenge: &[u8; 8],
    nt_response: &[u8; 24],
) -> Attributes {
    let mut response = vec![ident, 1];
    response.extend_from_slice(&[0; 24]);
    response.extend_from_slice(nt_response);
    user(name)
        .with(Attribute::octets(attr::MS_CHAP_CHALLENGE, challenge))
        .with(Attribute::octets(attr::MS_CHAP_RESPONSE, &response))
}

/// MS-CHAPv2 (RFC 2548 §2.3.2): MS-CHAP-Challenge (our 16-octet authenticator challenge) and
/// MS-CHAP2-Response (identifier, flags, peer challenge, 8 reserved octets, NT-Response).
pub fn ms_chap_v2(
    name: &str,
    ident: u8,
    authenticator_challenge: &[u8; 16],
    peer_challenge: &[u8; 16],
    nt_response: &[u8; 24],
) -> Attributes {
    let mut response = vec![ident, 0];
    response.extend_from_slice(peer_challenge);
    response.extend_from_slice(&[0; 8]);
    response.extend_from_slice(nt_response);
    user(name)
        .with(Attribute::octets(
            attr::MS_CHAP_CHALLENGE,
            authenticator_challenge,
        ))
        .with(Attribute::octets(attr::MS_CHAP2_RESPONSE, &response))
}

#[cfg(test)]
mod tests;
