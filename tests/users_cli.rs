//! `rasd user add` logic: where the user goes and in which form, per the configuration.

use pppd::auth::Credential;
use rasd::users::Users;

#[test]
fn stores_hash_or_password_by_enabled_methods() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("rasd.toml");
    std::fs::write(&cfg, "[server]\nusers_file = \"users\"\n").unwrap();
    rasd::cli_user::add_user(&cfg, "alice", "secret").unwrap();
    let users = Users::load(&dir.path().join("users")).unwrap();
    let hash = pppd::mschap::nt_password_hash("secret");
    assert_eq!(users.lookup("alice"), Some(&Credential::NtHash(hash)));

    std::fs::write(
        &cfg,
        "[server]\nusers_file = \"users\"\n[ppp]\nauth = [\"mschapv2\", \"chap-md5\"]\n",
    )
    .unwrap();
    rasd::cli_user::add_user(&cfg, "alice", "secret").unwrap();
    let users = Users::load(&dir.path().join("users")).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        users.lookup("alice"),
        Some(&Credential::Password("secret".into()))
    );
}

#[test]
fn bad_config_or_name_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("rasd.toml");
    std::fs::write(&cfg, "[server]\nuser_file = \"users\"\n").unwrap();
    let e = rasd::cli_user::add_user(&cfg, "alice", "x").unwrap_err();
    assert!(e.to_string().contains(":2: unknown key `user_file`"), "{e}");
    std::fs::write(&cfg, "[server]\nusers_file = \"users\"\n").unwrap();
    let e = rasd::cli_user::add_user(&cfg, "al ice", "x").unwrap_err();
    assert!(format!("{e:#}").contains("no spaces"), "{e:#}");
}
