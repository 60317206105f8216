use super::*;

#[test]
fn read_line_strips_line_ends_only() {
    assert_eq!(read_line(&mut &b" pw x \r\nnext"[..]).unwrap(), " pw x ");
    assert_eq!(read_line(&mut &b"last"[..]).unwrap(), "last");
}
