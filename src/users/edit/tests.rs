use super::*;

#[test]
fn replaces_only_that_user() {
    let text = "# head\nalice password:a\nbob password:b\nalice password:dup\n";
    assert_eq!(
        replace_user(text, "alice", "alice nthash:00"),
        "# head\nalice nthash:00\nbob password:b\n"
    );
    assert_eq!(
        replace_user("# c", "carol", "carol password:c"),
        "# c\ncarol password:c\n"
    );
    assert_eq!(replace_user("", "x", "x password:y"), "x password:y\n");
    // a broken line for the same user is replaced too
    assert_eq!(
        replace_user("alice junk\n", "alice", "alice password:a"),
        "alice password:a\n"
    );
}

#[test]
fn rejects_bad_names_and_passwords() {
    for n in ["", "a b", "#a", "a\tb", "a\u{7}"] {
        assert!(check_name(n).is_err(), "{n:?}");
    }
    assert!(check_name("DOMAIN\\user").is_ok());
    for p in ["", "a\nb", "a\rb", "a\0"] {
        assert!(check_password(p).is_err(), "{p:?}");
    }
    assert!(check_password(" spaces are fine # too ").is_ok());
}
