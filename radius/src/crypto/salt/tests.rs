use super::*;

const AUTH: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

#[test]
fn mppe_key_encryption_matches_python_and_decrypts() {
    // RFC 2548 §2.4.2 computed with Python's hashlib: key 16 x 0x11, secret "testing123",
    // Request Authenticator 00..0f, salt 80 01.
    let expected = "800122b5155c1b0b3429de36a17aa3ab04e24579b42584c5bdd35a3fcce1024b23c1";
    let value = salt_encrypt(&[0x11; 16], b"testing123", &AUTH, [0x80, 0x01]).unwrap();
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, expected);
    assert_eq!(
        salt_decrypt(&value, b"testing123", &AUTH).unwrap(),
        [0x11; 16]
    );
}

#[test]
fn wrong_secret_or_damaged_values_are_refused_or_garbled() {
    let value = salt_encrypt(&[0x22; 16], b"k", &AUTH, [0x00, 0x02]).unwrap();
    assert_eq!(value[0] & 0x80, 0x80, "the salt's high bit is forced on");
    assert_ne!(
        salt_decrypt(&value, b"other", &AUTH).ok(),
        Some(vec![0x22; 16])
    );
    assert_eq!(
        salt_decrypt(&value[..33], b"k", &AUTH),
        Err(SaltError::BadLength)
    );
    assert_eq!(
        salt_decrypt(&value[..2], b"k", &AUTH),
        Err(SaltError::BadLength)
    );
    let mut low = value.clone();
    low[0] &= 0x7f;
    assert_eq!(salt_decrypt(&low, b"k", &AUTH), Err(SaltError::BadSalt));
    assert_eq!(
        salt_encrypt(&[0; 240], b"k", &AUTH, [0x80, 0]),
        Err(SaltError::TooLong)
    );
}
