//! RFC 2865 §7.1's exchange, and vectors computed independently with Python's hashlib/hmac.

use super::*;
use crate::wire::{Builder, Code};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const RFC_REQUEST: &str = "01000038 0f403f9473978057bd83d5cb98f4227a 01066e656d6f
    02120dbe708d93d413ce3196e43f782a0aee 0406c0a80110 050600000003";
const RFC_ACCEPT: &str = "02000026 86fe220e7624ba2a1005f6bf9b55e0b2 060600000001 0f0600000000
    0e06c0a80103";

#[test]
fn rfc2865_accept_has_the_right_response_authenticator() {
    let request = Packet::new_checked(hex(RFC_REQUEST)).unwrap();
    let accept = Packet::new_checked(hex(RFC_ACCEPT)).unwrap();
    let auth = request.authenticator();
    assert_eq!(verify_reply(&accept, &auth, b"xyzzy5461", false), Ok(()));
    assert_eq!(
        verify_reply(&accept, &auth, b"xyzzy5462", false),
        Err(VerifyError::BadAuthenticator)
    );
    assert_eq!(
        verify_reply(&accept, &auth, b"xyzzy5461", true),
        Err(VerifyError::MissingMessageAuthenticator)
    );
}

#[test]
fn message_authenticator_matches_python_hmac() {
    // hmac.new(b"testing123", packet_with_zero_ma, hashlib.md5) over an Access-Request with
    // Identifier 7, authenticator 00..0f, User-Name "bob".
    let auth: [u8; 16] = core::array::from_fn(|i| i as u8);
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Code::AccessRequest, 7).unwrap();
    b.attribute(1, b"bob").unwrap();
    b.message_authenticator().unwrap();
    let len = b.finish_with_authenticator(&auth, b"testing123");
    assert_eq!(
        &buf[..len - 16],
        &hex("0107002b000102030405060708090a0b0c0d0e0f0105626f625012")[..]
    );
    assert_eq!(
        &buf[len - 16..len],
        &hex("dd834e5ec2f36bdb0554cf80852ee847")[..]
    );
    let request = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(verify_request(&request, b"testing123", true), Ok(()));
    assert_eq!(
        verify_request(&request, b"testing124", true),
        Err(VerifyError::BadMessageAuthenticator)
    );
}

#[test]
fn accounting_request_authenticator_matches_python_md5() {
    // hashlib.md5(packet_with_zero_authenticator + b"testing123")
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Code::AccountingRequest, 9).unwrap();
    b.attribute(40, &1u32.to_be_bytes()).unwrap();
    b.attribute(44, b"abc").unwrap();
    let len = b.finish_hashed_request(b"testing123");
    assert_eq!(&buf[4..20], &hex("7c64a8b7cd1858736dce7d1d3431b787")[..]);
    let request = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(verify_request(&request, b"testing123", false), Ok(()));
    assert_eq!(
        verify_request(&request, b"testing123", true),
        Err(VerifyError::MissingMessageAuthenticator)
    );
    assert_eq!(
        verify_request(&request, b"wrong", false),
        Err(VerifyError::BadAuthenticator)
    );
}

#[test]
fn signed_reply_and_dae_request_verify_and_tampering_is_caught() {
    let request_auth = [0x5a; 16];
    let mut buf = [0u8; 128];
    let mut b = Builder::new(&mut buf, Code::AccessAccept, 3).unwrap();
    b.message_authenticator().unwrap();
    b.attribute(27, &3600u32.to_be_bytes()).unwrap();
    let len = b.finish_response(&request_auth, b"s3cret");
    let reply = Packet::new_checked(buf[..len].to_vec()).unwrap();
    assert_eq!(verify_reply(&reply, &request_auth, b"s3cret", true), Ok(()));
    assert_eq!(
        verify_reply(&reply, &[0; 16], b"s3cret", true),
        Err(VerifyError::BadAuthenticator)
    );

    let mut buf = [0u8; 128];
    let mut b = Builder::new(&mut buf, Code::DisconnectRequest, 1).unwrap();
    b.attribute(44, b"sess-1").unwrap();
    b.message_authenticator().unwrap();
    let len = b.finish_hashed_request(b"dae");
    let request = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(verify_request(&request, b"dae", true), Ok(()));
    buf[22] ^= 1;
    let request = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(
        verify_request(&request, b"dae", true),
        Err(VerifyError::BadAuthenticator)
    );
}

#[test]
fn signed_accounting_request_matches_python_byte_for_byte() {
    // Message-Authenticator over a zero authenticator field, then the MD5 Request
    // Authenticator over the signed packet (as FreeRADIUS's rad_sign does), in Python.
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Code::AccountingRequest, 9).unwrap();
    b.message_authenticator().unwrap();
    b.attribute(40, &1u32.to_be_bytes()).unwrap();
    b.attribute(44, b"abc").unwrap();
    let len = b.finish_hashed_request(b"testing123");
    let want = hex(
        "040900313a91a3e4979472e76e814b97638a509e5012513f93c5a1b6c8d4ab4e8b245276f63f2806
        000000012c05616263",
    );
    assert_eq!(&buf[..len], &want[..]);
}

#[test]
fn signed_access_accept_matches_python_byte_for_byte() {
    // Message-Authenticator over the request's authenticator, then the Response Authenticator.
    let request_auth: [u8; 16] = core::array::from_fn(|i| i as u8);
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Code::AccessAccept, 7).unwrap();
    b.message_authenticator().unwrap();
    b.attribute(27, &3600u32.to_be_bytes()).unwrap();
    let len = b.finish_response(&request_auth, b"testing123");
    let want = hex(
        "0207002c20b464e16988b3e426df23abc32d5807501264079cd2788a0f6d595072b4a1ad5b631b06
        00000e10",
    );
    assert_eq!(&buf[..len], &want[..]);
    let reply = Packet::new_checked(&buf[..len]).unwrap();
    assert_eq!(
        verify_reply(&reply, &request_auth, b"testing123", true),
        Ok(())
    );
}

#[test]
fn rfc2865_access_request_is_rebuilt_byte_for_byte() {
    // RFC 2865 §7.1: User-Name "nemo", User-Password "arctangent", NAS-IP-Address
    // 192.168.1.16, NAS-Port 3, secret "xyzzy5461".
    let want = hex(RFC_REQUEST);
    let auth: [u8; 16] = want[4..20].try_into().unwrap();
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf, Code::AccessRequest, 0).unwrap();
    b.attribute(1, b"nemo").unwrap();
    b.attribute(
        2,
        &crate::crypto::hide_password(b"arctangent", b"xyzzy5461", &auth),
    )
    .unwrap();
    b.attribute(4, &[192, 168, 1, 16]).unwrap();
    b.attribute(5, &3u32.to_be_bytes()).unwrap();
    let len = b.finish_with_authenticator(&auth, b"xyzzy5461");
    assert_eq!(&buf[..len], &want[..]);
}
