//! `add_user` against real files: creation with mode 0600, replacement, hashing.

use pppd::auth::Credential;
use rasd::users::{add_user, Users};
use std::os::unix::fs::PermissionsExt;

#[test]
fn add_creates_private_file_and_replaces_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/users");
    add_user(&path, "alice", "password", false).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "alice nthash:8846f7eaee8fb117ad06bdd830b7586c\n"
    );

    add_user(&path, "bob", "hunter 2", true).unwrap();
    add_user(&path, "alice", "new", false).unwrap();
    let users = Users::load(&path).unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        users.lookup("alice"),
        Some(&Credential::NtHash(pppd::mschap::nt_password_hash("new")))
    );
    assert_eq!(
        users.lookup("WORKGROUP\\bob"),
        Some(&Credential::Password("hunter 2".into()))
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("alice nthash:"), "{text}");
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn add_keeps_comments_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users");
    std::fs::write(&path, "# users\ncarol password:c\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    add_user(&path, "dave", "d", true).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "# users\ncarol password:c\ndave password:d\n"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(add_user(&path, "bad name", "x", true).is_err());
    assert!(add_user(&path, "eve", "a\nb", true).is_err());
}

#[test]
fn shipped_users_file_parses_empty() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/users");
    assert!(Users::load(&path).unwrap().is_empty());
}
