use super::*;

#[test]
fn rekeys_compose_and_40_bit_is_salted() {
    let start = [0x42u8; 16];
    let mut a = DirectionKeys::new(&start, 16);
    let mut b = DirectionKeys::new(&start, 16);
    let initial = a.session;
    a.rekey(3);
    b.rekey(1);
    b.rekey(2);
    assert_eq!(a.session, b.session);
    assert_ne!(a.session, initial);
    let (mut x, mut y) = ([1u8; 8], [1u8; 8]);
    a.apply(&mut x);
    b.apply(&mut y);
    assert_eq!(x, y);

    let mut k40 = DirectionKeys::new(&start, 8);
    assert_eq!(k40.session[..3], SALT_40);
    assert_eq!(k40.session[8..], [0; 8]);
    k40.rekey(5);
    assert_eq!(k40.session[..3], SALT_40);
    assert_eq!(k40.session[8..], [0; 8]);
}
