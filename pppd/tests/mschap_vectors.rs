//! Published test vectors (RFC 2759 §9.2, RFC 3079 §3.5.1/§3.5.3) from `tests/vectors/mschapv2-mppe.toml`.

use pppd::mschap;

fn vectors() -> toml::Table {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/mschapv2-mppe.toml"
    );
    let text = std::fs::read_to_string(path).expect("vectors file");
    text.parse().expect("vectors toml")
}

fn s<'a>(t: &'a toml::Table, section: &str, key: &str) -> &'a str {
    t[section][key].as_str().expect("string value")
}

fn hex<const N: usize>(t: &toml::Table, section: &str, key: &str) -> [u8; N] {
    let h = s(t, section, key);
    assert_eq!(h.len(), 2 * N, "{section}.{key} length");
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

#[test]
fn rfc2759_hash_example() {
    let t = vectors();
    let sec = "rfc2759_9_2";
    let user = s(&t, sec, "user_name");
    let auth_ch: [u8; 16] = hex(&t, sec, "authenticator_challenge");
    let peer_ch: [u8; 16] = hex(&t, sec, "peer_challenge");

    let pw_hash = mschap::nt_password_hash(s(&t, sec, "password"));
    assert_eq!(pw_hash, hex::<16>(&t, sec, "password_hash"));
    assert_eq!(
        mschap::hash_nt_password_hash(&pw_hash),
        hex::<16>(&t, sec, "password_hash_hash")
    );
    assert_eq!(
        mschap::challenge_hash(&peer_ch, &auth_ch, user),
        hex::<8>(&t, sec, "challenge_hash")
    );
    let nt = mschap::generate_nt_response(&auth_ch, &peer_ch, user, &pw_hash);
    assert_eq!(nt, hex::<24>(&t, sec, "nt_response"));
    // DOMAIN\ is stripped for the challenge hash.
    let domain_user = format!("EXAMPLE\\{user}");
    assert_eq!(
        mschap::generate_nt_response(&auth_ch, &peer_ch, &domain_user, &pw_hash),
        nt
    );

    let ar = mschap::generate_authenticator_response(&pw_hash, &nt, &peer_ch, &auth_ch, user);
    let expected = s(&t, sec, "authenticator_response");
    let formatted: String = ar.iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(format!("S={formatted}"), expected);
    assert!(mschap::check_authenticator_response(
        &pw_hash, &nt, &peer_ch, &auth_ch, user, &ar
    ));
    let mut bad = ar;
    bad[19] ^= 1;
    assert!(!mschap::check_authenticator_response(
        &pw_hash, &nt, &peer_ch, &auth_ch, user, &bad
    ));
}

#[test]
fn rfc3079_master_and_start_keys() {
    let t = vectors();
    let pw_hash_hash: [u8; 16] = hex(&t, "rfc2759_9_2", "password_hash_hash");
    let nt: [u8; 24] = hex(&t, "rfc2759_9_2", "nt_response");
    let master = mschap::get_master_key(&pw_hash_hash, &nt);
    assert_eq!(master, hex::<16>(&t, "rfc3079_3_5_3", "master_key"));

    let server_send = mschap::get_asymmetric_start_key(&master, true, true);
    assert_eq!(
        server_send,
        hex::<16>(&t, "rfc3079_3_5_3", "send_start_key_128")
    );
    assert_eq!(
        server_send[..8],
        hex::<8>(&t, "rfc3079_3_5_1", "send_start_key_40")
    );
    // The client's receive key is the server's send key, and vice versa.
    assert_eq!(
        mschap::get_asymmetric_start_key(&master, false, false),
        server_send
    );
    assert_eq!(
        mschap::get_asymmetric_start_key(&master, true, false),
        mschap::get_asymmetric_start_key(&master, false, true)
    );
    assert_ne!(
        mschap::get_asymmetric_start_key(&master, true, false),
        server_send
    );
}

/// RFC 3079 §3.5.1/§3.5.3: the first stateful packet is encrypted with the initial session key.
#[test]
fn rfc3079_encrypted_test_message() {
    use pppd::auth::MppeKeys;
    use pppd::mppe::{Mppe, Strength};
    let t = vectors();
    let start: [u8; 16] = hex(&t, "rfc3079_3_5_3", "send_start_key_128");
    let message = s(&t, "rfc3079_3_5_3", "test_message").as_bytes();
    let keys = MppeKeys {
        send: start,
        recv: start,
    };
    for (strength, section, key) in [
        (Strength::Bits128, "rfc3079_3_5_3", "encrypted_message_128"),
        (Strength::Bits40, "rfc3079_3_5_1", "encrypted_message_40"),
    ] {
        let expected: [u8; 12] = hex(&t, section, key);
        let mut tx = Mppe::new(&keys, strength, false);
        let mut out = [0u8; 64];
        let n = tx.encrypt(message, &mut out);
        assert_eq!(n, 14);
        assert_eq!(out[..2], [0x10, 0x00], "encrypted, count 0, not flushed");
        assert_eq!(out[2..n], expected, "{strength:?}");
        // And back (the receiver's recv key is the sender's send key).
        let mut rx = Mppe::new(&keys, strength, false);
        let mut plain = [0u8; 64];
        // "test message" starts with 't' (even), so no PFC expansion happens.
        assert_eq!(rx.decrypt(&out[..n], &mut plain), Ok(12));
        assert_eq!(&plain[..12], message);
    }
}
