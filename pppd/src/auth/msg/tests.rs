use super::*;

#[test]
fn success_round_trip() {
    let ar: [u8; 20] = core::array::from_fn(|i| i as u8 * 13);
    let m = v2_success(&ar, "Access granted");
    assert!(m.starts_with("S=000D1A"));
    assert!(m.ends_with(" M=Access granted"));
    assert_eq!(parse_v2_success(m.as_bytes()), Some(ar));
    assert_eq!(parse_v2_success(&m.as_bytes()[..42]), Some(ar));
    assert_eq!(
        parse_v2_success(m.to_lowercase().replace("s=", "S=").as_bytes()),
        Some(ar)
    );
    assert_eq!(parse_v2_success(&m.as_bytes()[..41]), None);
    assert_eq!(parse_v2_success(b"M=hello"), None);
    assert_eq!(parse_v2_success(format!("{}X", &m[..42]).as_bytes()), None);
    assert_eq!(parse_v2_success("S=ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ".as_bytes()), None);
}

#[test]
fn failure_formats() {
    let m = v2_failure(true, &[0xab; 16], "bad\npassword");
    assert_eq!(
        m,
        format!("E=691 R=1 C={} V=3 M=bad password", "AB".repeat(16))
    );
    assert_eq!(failure_text(m.as_bytes()), "E=691: bad password");
    let m = v1_failure(false, &[1; 8]);
    assert_eq!(m, "E=691 R=0 C=0101010101010101 V=0");
    assert_eq!(failure_text(m.as_bytes()), m);
    assert_eq!(failure_text(&[0xff, b'M', b'=', b'x']), "x");
}
