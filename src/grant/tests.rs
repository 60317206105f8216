use super::{Grant, NO_GRANT};

#[test]
fn no_grant_is_the_default_grant() {
    assert_eq!(NO_GRANT, Grant::default());
}
