use super::*;

const TEXT: &str = "# comment\n\n  alice nthash:8846F7EAEE8FB117AD06BDD830B7586C\nbob password:two words # not a comment\r\nEXAMPLE\\carol password:x\n";

#[test]
fn parses_and_looks_up() {
    let u = Users::parse(TEXT, Path::new("users")).unwrap();
    assert_eq!(u.len(), 3);
    assert_eq!(
        u.lookup("alice"),
        Some(&Credential::NtHash(pppd::mschap::nt_password_hash(
            "password"
        )))
    );
    assert_eq!(
        u.lookup("bob"),
        Some(&Credential::Password("two words # not a comment".into()))
    );
    assert_eq!(u.lookup("CORP\\alice"), u.lookup("alice"));
    assert_eq!(u.lookup("a\\b\\alice"), u.lookup("alice"));
    assert!(u.lookup("EXAMPLE\\carol").is_some());
    assert!(u.lookup("carol").is_none());
    assert!(u.lookup("Alice").is_none());
    assert!(u.lookup("").is_none());
}

#[test]
fn errors_name_file_and_line() {
    for (text, line, part) in [
        ("a nthash:00\n", 1, "32 hex"),
        ("\na nthash:0123456789abcdef0123456789abcdeg\n", 2, "32 hex"),
        ("a\n", 1, "no credential"),
        ("a secret\n", 1, "expected `nthash"),
        ("a password:\n", 1, "empty password"),
        ("a password:x\n# c\na password:y\n", 3, "listed twice"),
        ("a nthash:é0123456789abcdef0123456789abcd\n", 1, "32 hex"),
    ] {
        let e = Users::parse(text, Path::new("/etc/rasd/users")).unwrap_err();
        assert_eq!(e.line, Some(line), "{text:?}");
        let s = e.to_string();
        assert!(s.starts_with(&format!("/etc/rasd/users:{line}: ")), "{s}");
        assert!(s.contains(part), "{s}");
    }
}

#[test]
fn format_round_trips() {
    for cred in [
        Credential::Password("p w".into()),
        Credential::NtHash([0xab; 16]),
    ] {
        let line = format_line("u", &cred);
        assert_eq!(parse_line(&line).unwrap(), Some(("u", cred)));
    }
}

#[test]
fn missing_file() {
    let p = Path::new("/nonexistent/users");
    assert!(Users::load(p)
        .unwrap_err()
        .to_string()
        .starts_with("/nonexistent/users: cannot read"));
    assert!(Users::load_or_empty(p).unwrap().is_empty());
}
