use super::*;

#[test]
fn debug_never_shows_the_secret() {
    let s = Secret::new("testing123");
    assert_eq!(format!("{s:?}"), "Secret(<hidden>)");
    assert_eq!(s.expose(), b"testing123");
}
