use super::*;

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|n| u8::from_str_radix(&text[n..n + 2], 16).unwrap())
        .collect()
}

/// The key stream's first `len` octets for `key`.
fn stream(key: &[u8], len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    Rc4::new(key).apply(&mut buf);
    buf
}

/// RFC 6229 §2, keys 0x0102..: the key stream at offsets 0, 4080 and 4096, for a key of the
/// generic schedule (5 octets) and for MPPE's two lengths (8 and 16 octets, unrolled).
#[test]
fn rfc6229_key_streams() {
    let cases = [
        (
            "0102030405",
            "b2396305f03dc027ccc3524a0a1118a8",
            "068326a2118416d21f9d04b2cd1ca050",
            "ff25b58995996707e51fbdf08b34d875",
        ),
        (
            "0102030405060708",
            "97ab8a1bf0afb96132f2f67258da15a8",
            "d5fa5a3469d29aaaf83d23589db8c85b",
            "3fb46e2c8f0f068edce8cdcd7dfc5862",
        ),
        (
            "0102030405060708090a0b0c0d0e0f10",
            "9ac7cc9a609d1ef7b2932899cde41b97",
            "ff38265c1642c1abe8d3c2fe5e572bf8",
            "a36a4c301ae8ac13610ccbc12256cacc",
        ),
    ];
    for (key, at_0, at_4080, at_4096) in cases {
        let out = stream(&hex(key), 4112);
        assert_eq!(out[..16], hex(at_0)[..], "key {key} at 0");
        assert_eq!(out[4080..4096], hex(at_4080)[..], "key {key} at 4080");
        assert_eq!(out[4096..], hex(at_4096)[..], "key {key} at 4096");
    }
}

/// The classic ciphertexts: "Plaintext" under "Key", "Attack at dawn" under "Secret".
#[test]
fn encrypts_known_plaintexts() {
    for (key, plain, cipher) in [
        ("Key", "Plaintext", "bbf316e8d940af0ad3"),
        ("Secret", "Attack at dawn", "45a01f645fc35b383552544b9bf5"),
    ] {
        let mut buf = plain.as_bytes().to_vec();
        Rc4::new(key.as_bytes()).apply(&mut buf);
        assert_eq!(buf, hex(cipher), "{plain} under {key}");
    }
}

/// The unrolled schedules make the permutation the generic one makes.
#[test]
fn unrolled_schedule_matches_generic() {
    let key: [u8; 16] = std::array::from_fn(|n| (n as u8).wrapping_mul(151).wrapping_add(7));
    assert_eq!(schedule_unrolled(&key), schedule(&key));
    let short: [u8; 8] = key[..8].try_into().unwrap();
    assert_eq!(schedule_unrolled(&short), schedule(&short));
}

/// The stream continues across calls whatever their lengths, words or not.
#[test]
fn stream_continues_across_calls() {
    let key = hex("0102030405060708090a0b0c0d0e0f10");
    let whole = stream(&key, 1403);
    let mut pieces = vec![0u8; 1403];
    let mut rc4 = Rc4::new(&key);
    let mut at = 0;
    for len in [0, 1, 7, 8, 9, 13, 16, 1349] {
        rc4.apply(&mut pieces[at..at + len]);
        at += len;
    }
    assert_eq!(at, 1403);
    assert_eq!(pieces, whole);
}
