//! The `[ipsec]` section and `require_ipsec`: defaults, credentials from files, proposals, and
//! errors naming file, line and key.

use rasd::config::{Config, ConfigError, IpsecAuth, DEFAULT_ESP_PROPOSALS, DEFAULT_IKE_PROPOSALS};
use std::path::Path;
use std::time::Duration;

fn parse_in(dir: &Path, text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, &dir.join("x.toml"))
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("conf/x.toml"))
}

/// Asserts `text` is rejected at `line` for `sec.key`, with a message containing `says`.
fn bad(text: &str, line: usize, key: &str, says: &str) {
    let e = match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    };
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.key.as_deref(), Some(key), "{e}");
    assert!(e.to_string().contains(says), "{e}");
}

#[test]
fn off_by_default_and_l2tp_then_needs_no_ipsec() {
    let c = parse("").unwrap();
    assert!(!c.ipsec.enabled);
    assert!(!c.l2tp.require_ipsec);
    assert_eq!(c.ipsec.auth, IpsecAuth::None);
}

#[test]
fn enabled_with_a_psk_takes_the_defaults_and_requires_ipsec() {
    let c = parse("[ipsec]\nenabled = true\npsk = \"s3cret\"\n").unwrap();
    let i = &c.ipsec;
    assert!(i.enabled);
    assert_eq!(i.auth.psk(), Some("s3cret"));
    assert_eq!(i.vici_socket, Path::new("/run/charon.vici"));
    assert_eq!(i.ike_proposals, DEFAULT_IKE_PROPOSALS.map(String::from));
    assert_eq!(i.esp_proposals, DEFAULT_ESP_PROPOSALS.map(String::from));
    assert_eq!(i.dpd_delay, Duration::from_secs(30));
    assert_eq!(i.child_rekey_time, Duration::from_secs(3600));
    assert!(
        c.l2tp.require_ipsec,
        "require_ipsec defaults to on with [ipsec]"
    );
}

#[test]
fn the_default_proposals_cover_each_built_in_client() {
    let ike = DEFAULT_IKE_PROPOSALS;
    // Windows' default set, macOS/iOS' first choice, Android's (modp1024 only).
    for wanted in [
        "3des-sha1-modp1024",
        "aes256-sha1-modp1024",
        "aes256-sha256-modp2048",
    ] {
        assert!(ike.contains(&wanted), "{wanted}");
    }
    assert!(DEFAULT_ESP_PROPOSALS.contains(&"aes128-sha1"));
    assert!(DEFAULT_ESP_PROPOSALS.contains(&"3des-sha1"));
    let weak = |p: &&str| p.contains("md5") || p.split('-').any(|a| a == "des");
    assert!(!ike.iter().any(weak) && !DEFAULT_ESP_PROPOSALS.iter().any(weak));
}

#[test]
fn a_peer_section_may_take_plain_l2tp() {
    let text = "[ipsec]\nenabled = true\npsk = \"k\"\n\n[[l2tp.peer]]\naddress = \"192.0.2.0/24\"\nrequire_ipsec = false\n";
    let c = parse(text).unwrap();
    assert!(c.l2tp.require_ipsec);
    assert!(!c.l2tp.peers[0].require_ipsec);
}

#[test]
fn credentials_come_from_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("psk"), "from-a-file\n# comment\n").unwrap();
    for f in ["server.pem", "server.key", "ca.pem"] {
        std::fs::write(dir.path().join(f), "-----BEGIN X-----\n-----END X-----\n").unwrap();
    }
    let text = "[ipsec]\nenabled = true\npsk_file = \"psk\"\ncertificate = \"server.pem\"\nprivate_key = \"server.key\"\nca = \"ca.pem\"\n";
    let c = parse_in(dir.path(), text).unwrap();
    assert_eq!(c.ipsec.auth.psk(), Some("from-a-file"));
    let cert = c.ipsec.auth.certificate().unwrap();
    assert_eq!(cert.ca, dir.path().join("ca.pem"));
    assert!(cert.key_pem.starts_with(b"-----BEGIN"));
}

#[test]
fn bad_sections_name_the_line_and_key() {
    bad(
        "[ipsec]\nenabled = true\n",
        2,
        "ipsec.enabled",
        "needs a `psk`",
    );
    bad(
        "[ipsec]\nenabled = true\npsk = \"k\"\nike_proposals = [\"aes256-sha1\"]\n",
        4,
        "ipsec.ike_proposals",
        "is not an IKE proposal",
    );
    bad(
        "[ipsec]\nenabled = true\npsk = \"k\"\nesp_proposals = [\"aes256-md5\"]\n",
        4,
        "ipsec.esp_proposals",
        "allow_weak_proposals",
    );
    bad(
        "[ipsec]\nenabled = true\npsk = \"k\"\nesp_proposals = [\"aes256-whirlpool\"]\n",
        4,
        "ipsec.esp_proposals",
        "`whirlpool`",
    );
    bad(
        "[ipsec]\nenabled = true\npsk = \"k\"\ncertificate = \"c.pem\"\n",
        4,
        "ipsec.certificate",
        "needs `private_key`",
    );
    bad(
        "[ipsec]\nenabled = true\npsk_file = \"/nonexistent/psk\"\n",
        3,
        "ipsec.psk_file",
        "cannot read /nonexistent/psk",
    );
    bad(
        "[l2tp]\nrequire_ipsec = true\n",
        2,
        "l2tp.require_ipsec",
        "[ipsec] enabled",
    );
    bad(
        "[ipsec]\nenabled = true\npsk = \"k\"\ndpd_delay = -1\n",
        4,
        "ipsec.dpd_delay",
        "out of range",
    );
}

#[test]
fn weak_proposals_only_when_asked() {
    let text = "[ipsec]\nenabled = true\npsk = \"k\"\nallow_weak_proposals = true\nike_proposals = [\"3des-md5-modp1024\"]\nesp_proposals = [\"aes128gcm16\", \"des-md5\"]\n";
    let c = parse(text).unwrap();
    assert_eq!(c.ipsec.ike_proposals, ["3des-md5-modp1024"]);
    assert_eq!(c.ipsec.esp_proposals, ["aes128gcm16", "des-md5"]);
}
