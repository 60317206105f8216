use super::*;

#[test]
fn lcp_option_round_trip() {
    for m in ALL {
        assert_eq!(Method::from_lcp_option_data(m.lcp_option_data()), Some(m));
        assert_eq!(m.name().parse::<Method>(), Ok(m));
    }
    assert_eq!(Method::MsChapV2.lcp_option_data(), &[0xc2, 0x23, 0x81]);
    assert_eq!(Method::from_lcp_option_data(&[0xc2, 0x23, 0x06]), None);
    assert_eq!(Method::from_lcp_option_data(&[0xc2, 0x23]), None);
    assert_eq!(Method::from_lcp_option_data(&[]), None);
    assert!("eap".parse::<Method>().is_err());
}
