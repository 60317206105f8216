use super::is_ip;

#[path = "../../../tests/support/ipv4.rs"]
mod support;

/// A 20-byte IPv4 header with a correct checksum, then `data`.
fn ipv4(data: &[u8]) -> Vec<u8> {
    support::ipv4_packet(1, 20 + data.len(), |j| data[j])
}

#[test]
fn ip_behind_either_protocol_field_is_recognized() {
    let packet = ipv4(b"payload");
    assert!(is_ip(&[&[0x00, 0x21][..], &packet].concat()));
    assert!(is_ip(&[&[0x21][..], &packet].concat()), "compressed field");
    let v6 = [&[0x00, 0x57, 0x60][..], &[0u8; 39]].concat();
    assert!(is_ip(&v6));
}

#[test]
fn junk_is_not_ip() {
    let mut packet = [&[0x00, 0x21][..], &ipv4(b"x")].concat();
    packet[12] ^= 1; // one bit of the header changed: the checksum fails
    assert!(!is_ip(&packet));
    assert!(!is_ip(&[0x00, 0x21, 0x45, 0, 0]), "header cut short");
    assert!(!is_ip(&[0x00, 0x21, 0x44]), "header length under 20");
    assert!(
        !is_ip(&[&[0x80, 0x21][..], &ipv4(b"x")].concat()),
        "IPCP, not IP"
    );
    assert!(!is_ip(&[0x00, 0x57, 0x45, 0]), "IPv6 field, IPv4 version");
    assert!(!is_ip(&[]));
}
