use super::*;

#[test]
fn chap_password_is_identifier_then_response() {
    // md5(b"\x01" + b"secret" + bytes(range(16))), computed with Python's hashlib.
    let challenge: Vec<u8> = (0..16).collect();
    let response = chap_response(1, b"secret", &challenge);
    let expected = "740e86463bda3a4d7017d6e0fba0699d";
    let hex: String = response.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, expected);
    let value = chap_password(1, &response);
    assert_eq!(value[0], 1);
    assert_eq!(&value[1..], &response);
}
