use super::*;

#[test]
fn strips_the_ip_header_with_options() {
    let mut p = vec![0u8; 32];
    p[0] = 0x46; // IHL 6 words
    p[12..16].copy_from_slice(&[198, 51, 100, 2]);
    assert_eq!(split_ipv4(&p), Some((Ipv4Addr::new(198, 51, 100, 2), 24)));
}

#[test]
fn refuses_garbage() {
    assert_eq!(split_ipv4(&[0x45; 10]), None);
    assert_eq!(split_ipv4(&[0x4f; 20]), None);
    assert_eq!(split_ipv4(&[0x60; 40]), None);
}
