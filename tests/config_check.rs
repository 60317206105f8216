//! `rasd check-config` reports: ok line, warnings, and errors from either file.

use rasd::check_config::check_config;

#[test]
fn shipped_config_checks_ok() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/rasd.toml");
    let report = check_config(&path).unwrap();
    assert!(
        report.starts_with(&format!(
            "{}: ok (241 pool addresses, 0 users in ",
            path.display()
        )),
        "{report}"
    );
    assert!(!report.contains("warning"), "{report}");
}

#[test]
fn warnings_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("rasd.toml");
    std::fs::write(
        &cfg,
        "[server]\nusers_file = \"users\"\n[ppp]\nauth = [\"mschapv2\", \"chap-md5\"]\n",
    )
    .unwrap();
    let report = check_config(&cfg).unwrap();
    assert!(report.contains("warning: the users file"), "{report}");
    std::fs::write(
        dir.path().join("users"),
        "bob nthash:00000000000000000000000000000000\nal password:x\n",
    )
    .unwrap();
    let report = check_config(&cfg).unwrap();
    assert!(report.contains("only an NT hash: bob"), "{report}");
    std::fs::write(dir.path().join("users"), "# c\nbob nthash:00\n").unwrap();
    let e = check_config(&cfg).unwrap_err().to_string();
    assert!(
        e.ends_with("users:2: user `bob`: nthash must be 32 hex digits"),
        "{e}"
    );
}
