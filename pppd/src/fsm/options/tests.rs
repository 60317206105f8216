use super::*;

#[test]
fn parses_and_validates() {
    let list = [1, 4, 5, 0x78, 7, 2];
    let o: Vec<_> = Options::new_checked(&list).unwrap().iter().collect();
    assert_eq!(o.len(), 2);
    assert_eq!(o[0].u16(), Some(0x578));
    assert_eq!(o[0].u32(), None);
    assert_eq!(o[1], RawOption { kind: 7, data: &[] });
    assert!(Options::new_checked(&list).unwrap().contains(&o[1]));
    assert!(Options::new_checked(&[1, 1]).is_none());
    assert!(Options::new_checked(&[1, 5, 0, 0]).is_none());
    assert!(Options::new_checked(&[1]).is_none());
    assert!(Options::new_checked(&[]).unwrap().is_empty());
}

#[test]
fn reply_precedence() {
    let a = RawOption {
        kind: 5,
        data: &[1, 2, 3, 4],
    };
    let mut r = Reply::new(false);
    assert!(r.is_ack());
    r.nak(&a, &[9, 9, 9, 9]);
    assert_eq!(
        r.finish(&[0]),
        (code::CONFIGURE_NAK, vec![5, 6, 9, 9, 9, 9])
    );
    let mut r = Reply::new(false);
    r.nak(&a, &[9, 9, 9, 9]);
    r.reject(&RawOption {
        kind: 13,
        data: &[6],
    });
    assert_eq!(r.finish(&[0]), (code::CONFIGURE_REJECT, vec![13, 3, 6]));
    let mut r = Reply::new(true);
    r.nak(&a, &[9, 9, 9, 9]);
    r.nak_missing(3, &[0; 4]);
    assert_eq!(
        r.finish(&[0]),
        (code::CONFIGURE_REJECT, vec![5, 6, 1, 2, 3, 4])
    );
    assert_eq!(
        Reply::new(false).finish(&[7, 2]),
        (code::CONFIGURE_ACK, vec![7, 2])
    );
}
