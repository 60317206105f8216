use super::*;

#[test]
fn each_protocol_carries_the_attributes_servers_expect() {
    let a = pap("bob", b"pw");
    assert_eq!(a.text(attr::USER_NAME).as_deref(), Some("bob"));
    assert_eq!(a.bytes(attr::USER_PASSWORD), Some(&b"pw"[..]));

    let a = chap("bob", 9, &[1; 16], &[2; 16]);
    let value = a.bytes(attr::CHAP_PASSWORD).unwrap();
    assert_eq!((value.len(), value[0]), (17, 9));
    assert_eq!(a.bytes(attr::CHAP_CHALLENGE), Some(&[1; 16][..]));

    let a = ms_chap_v1("bob", 3, &[4; 8], &[5; 24]);
    let r = a.bytes(attr::MS_CHAP_RESPONSE).unwrap();
    assert_eq!((r.len(), r[0], r[1]), (50, 3, 1));
    assert_eq!(&r[26..], &[5; 24]);

    let a = ms_chap_v2("bob", 7, &[6; 16], &[8; 16], &[9; 24]);
    assert_eq!(a.bytes(attr::MS_CHAP_CHALLENGE), Some(&[6; 16][..]));
    let r = a.bytes(attr::MS_CHAP2_RESPONSE).unwrap();
    assert_eq!((r.len(), r[0], r[1]), (50, 7, 0));
    assert_eq!(
        (&r[2..18], &r[18..26], &r[26..]),
        (&[8; 16][..], &[0; 8][..], &[9; 24][..])
    );
}
