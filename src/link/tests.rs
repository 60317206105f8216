use super::*;

#[test]
fn ipv4_source_reads_ipv4_only_and_zero_for_a_broken_header() {
    let mut p = [0u8; 20];
    p[0] = 0x45;
    p[3] = 20;
    p[12..16].copy_from_slice(&[10, 99, 0, 10]);
    assert_eq!(ipv4_source(&p), Some(Ipv4Addr::new(10, 99, 0, 10)));
    // truncated: the source bytes are there, the header is not
    assert_eq!(ipv4_source(&p[..16]), Some(Ipv4Addr::UNSPECIFIED));
    // total length past the packet
    p[3] = 40;
    assert_eq!(ipv4_source(&p), Some(Ipv4Addr::UNSPECIFIED));
    p[0] = 0x60;
    assert_eq!(ipv4_source(&p), None);
    assert_eq!(ipv4_source(&[]), None);
}
