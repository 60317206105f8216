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

#[test]
fn shipped_config_checks_ok_with_ipsec_enabled() {
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/rasd.toml");
    let text = std::fs::read_to_string(&shipped).unwrap();
    let (head, example) = text.split_once("# [ipsec]\n").expect("an [ipsec] example");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ipsec.psk"), "a-long-pre-shared-key\n").unwrap();
    // Uncomment the example, with the key file where this test can write it.
    let mut enabled = format!("{head}[ipsec]\n");
    for line in example.lines() {
        enabled += line.strip_prefix("# ").unwrap_or(line);
        enabled.push('\n');
    }
    let enabled = enabled
        .replace("/etc/rasd/ipsec.psk", "ipsec.psk")
        .lines()
        .filter(|l| {
            !l.starts_with("certificate") && !l.starts_with("private_key") && !l.starts_with("ca ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let cfg = dir.path().join("rasd.toml");
    std::fs::write(&cfg, enabled).unwrap();
    let report = check_config(&cfg).unwrap();
    assert!(report.contains(": ok ("), "{report}");
    let loaded = rasd::config::Config::load(&cfg).unwrap();
    assert!(loaded.ipsec.enabled && loaded.l2tp.require_ipsec);
    assert_eq!(loaded.ipsec.auth.psk(), Some("a-long-pre-shared-key"));
}
