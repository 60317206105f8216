use super::*;

const RFC_AUTH: [u8; 16] = [
    0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57, 0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a,
];

#[test]
fn rfc2865_example_password_hides_to_the_published_value() {
    let hidden = hide_password(b"arctangent", b"xyzzy5461", &RFC_AUTH);
    assert_eq!(
        hidden,
        [
            0x0d, 0xbe, 0x70, 0x8d, 0x93, 0xd4, 0x13, 0xce, 0x31, 0x96, 0xe4, 0x3f, 0x78, 0x2a,
            0x0a, 0xee
        ]
    );
    assert_eq!(
        unhide_password(&hidden, b"xyzzy5461", &RFC_AUTH).unwrap(),
        b"arctangent"
    );
}

#[test]
fn long_passwords_chain_blocks_and_round_trip() {
    let password: Vec<u8> = (1..=40).collect();
    let hidden = hide_password(&password, b"secret", &[7; 16]);
    assert_eq!(hidden.len(), 48);
    assert_eq!(
        unhide_password(&hidden, b"secret", &[7; 16]).unwrap(),
        password
    );
    assert_ne!(
        unhide_password(&hidden, b"other", &[7; 16]).unwrap(),
        password
    );
}

#[test]
fn empty_password_is_one_block_and_bad_lengths_are_refused() {
    assert_eq!(hide_password(b"", b"s", &[0; 16]).len(), 16);
    assert_eq!(unhide_password(&[0; 15], b"s", &[0; 16]), None);
    assert_eq!(unhide_password(&[], b"s", &[0; 16]), None);
    assert_eq!(unhide_password(&[0; 144], b"s", &[0; 16]), None);
}

#[test]
fn octets_keep_trailing_zeros() {
    let mut keys = [7u8; 32];
    keys[23..].fill(0);
    let hidden = hide_password(&keys, b"s", &[3; 16]);
    assert_eq!(unhide_octets(&hidden, b"s", &[3; 16]).unwrap(), keys);
    assert_eq!(
        unhide_password(&hidden, b"s", &[3; 16]).unwrap(),
        &keys[..23]
    );
}
