//! The `[l2tp]` section: defaults, a full section, and errors naming file, line and key.

use rasd::config::{Config, ConfigError, L2tpConfig, L2tpPeer, MppePolicy, ProxyAuth};
use std::path::Path;
use std::time::Duration;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("conf/x.toml"))
}

fn err(text: &str) -> ConfigError {
    match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

/// Asserts `text` is rejected at `line` for `l2tp.key`.
fn bad(text: &str, line: usize, key: &str) -> ConfigError {
    let e = err(text);
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(
        e.key.as_deref(),
        Some(format!("l2tp.{key}").as_str()),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(&format!("conf/x.toml:{line}: ")),
        "{e}"
    );
    assert!(e.message.contains(&format!("`{key}`")), "{e}");
    e
}

#[test]
fn defaults() {
    let c = parse("").unwrap();
    assert_eq!(
        c.l2tp,
        L2tpConfig {
            enabled: true,
            listen: vec!["0.0.0.0:1701".parse().unwrap()],
            secret: None,
            hide_avps: false,
            hello_interval: Duration::from_secs(60),
            retransmit_initial: Duration::from_secs(1),
            retransmit_max: Duration::from_secs(8),
            retransmit_attempts: 5,
            receive_window: 16,
            max_tunnels: 1000,
            max_tunnels_in_setup_per_peer: 8,
            max_tunnels_in_setup: 256,
            max_tunnel_setups_per_second: 200,
            socket_buffer: 4 << 20,
            max_sessions_per_tunnel: 256,
            mppe: MppePolicy::Allow,
            mtu: 1400,
            proxy_auth: ProxyAuth::Renegotiate,
            peers: vec![],
            require_ipsec: false,
        }
    );
    assert_eq!(c.l2tp.max_mss(), 1360);
    assert_eq!(Config::default().l2tp, c.l2tp);
    assert_eq!(parse("[l2tp]\n").unwrap().l2tp, c.l2tp);
}

#[test]
fn shipped_config_has_the_defaults() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/rasd.toml");
    let cfg = Config::load(&path).expect("conf/rasd.toml");
    assert_eq!(cfg.l2tp, parse("").unwrap().l2tp);
}

#[test]
fn full_section() {
    let c = parse(
        r#"
[l2tp]
enabled = true
listen = ["127.0.0.1:1701", "[::1]:1701"]
secret = "s3cret"
hide_avps = true
hello_interval = 30
retransmit_initial = 2
retransmit_max = 16
retransmit_attempts = 7
receive_window = 4
max_tunnels = 50
max_tunnels_in_setup_per_peer = 2
max_tunnels_in_setup = 20
max_tunnel_setups_per_second = 5
socket_buffer = 1048576
max_sessions_per_tunnel = 10
mppe = "require"
mtu = 1460
"#,
    )
    .unwrap();
    let l = c.l2tp;
    assert!(l.enabled);
    assert_eq!(
        l.listen,
        vec![
            "127.0.0.1:1701".parse().unwrap(),
            "[::1]:1701".parse().unwrap()
        ]
    );
    assert_eq!(l.secret.as_deref(), Some("s3cret"));
    assert!(l.hide_avps);
    assert_eq!(l.hello_interval, Duration::from_secs(30));
    assert_eq!(l.retransmit_initial, Duration::from_secs(2));
    assert_eq!(l.retransmit_max, Duration::from_secs(16));
    assert_eq!(l.retransmit_attempts, 7);
    assert_eq!(l.receive_window, 4);
    assert_eq!(l.max_tunnels, 50);
    assert_eq!(l.max_tunnels_in_setup_per_peer, 2);
    assert_eq!(l.max_tunnels_in_setup, 20);
    assert_eq!(l.max_tunnel_setups_per_second, 5);
    assert_eq!(l.socket_buffer, 1 << 20);
    assert_eq!(l.max_sessions_per_tunnel, 10);
    assert_eq!(l.mppe, MppePolicy::Require);
    assert_eq!((l.mtu, l.max_mss()), (1460, 1420));
}

#[test]
fn empty_secret_is_none() {
    let c = parse("[l2tp]\nsecret = \"\"\n").unwrap();
    assert_eq!(c.l2tp.secret, None);
    let e = bad("[l2tp]\nsecret = \"\"\nhide_avps = true\n", 3, "hide_avps");
    assert!(e.message.contains("secret"), "{e}");
}

#[test]
fn hide_avps_needs_a_secret() {
    let e = bad("[l2tp]\nmtu = 1400\nhide_avps = true\n", 3, "hide_avps");
    assert!(e.message.contains("secret"), "{e}");
    assert!(parse("[l2tp]\nhide_avps = false\n").is_ok());
}

#[test]
fn each_invalid_value_names_its_line_and_key() {
    let cases: &[(&str, &str)] = &[
        ("enabled", "\"yes\""),
        ("listen", "[\"0.0.0.0\"]"),
        ("listen", "[\"0.0.0.0:1701\", \"0.0.0.0:1701\"]"),
        ("listen", "[]"),
        ("listen", "\"0.0.0.0:1701\""),
        ("secret", "5"),
        ("hide_avps", "1"),
        ("hello_interval", "0"),
        ("hello_interval", "3601"),
        ("retransmit_initial", "0"),
        ("retransmit_initial", "11"),
        ("retransmit_max", "61"),
        ("retransmit_max", "0"),
        ("retransmit_attempts", "0"),
        ("retransmit_attempts", "21"),
        ("receive_window", "0"),
        ("receive_window", "1025"),
        ("max_tunnels", "0"),
        ("max_tunnels_in_setup_per_peer", "0"),
        ("max_tunnels_in_setup", "0"),
        ("max_tunnel_setups_per_second", "0"),
        ("socket_buffer", "1000"),
        ("max_sessions_per_tunnel", "0"),
        ("max_sessions_per_tunnel", "65536"),
        ("mppe", "\"always\""),
        ("mtu", "575"),
        ("mtu", "1501"),
    ];
    for (key, value) in cases {
        let text = format!("[pptp]\nmtu = 1400\n\n[l2tp]\n# a comment\n{key} = {value}\n");
        bad(&text, 6, key);
    }
}

#[test]
fn retransmit_max_is_at_least_retransmit_initial() {
    let e = bad(
        "[l2tp]\nretransmit_initial = 5\nretransmit_max = 4\n",
        3,
        "retransmit_max",
    );
    assert!(e.message.contains("retransmit_initial"), "{e}");
    let c = parse("[l2tp]\nretransmit_initial = 5\nretransmit_max = 5\n").unwrap();
    assert_eq!(c.l2tp.retransmit_max, Duration::from_secs(5));
    // Unset, the cap follows a first timeout above its default.
    let c = parse("[l2tp]\nretransmit_initial = 10\n").unwrap();
    assert_eq!(c.l2tp.retransmit_max, Duration::from_secs(10));
}

#[test]
fn misspelled_key_lists_the_expected_ones() {
    let e = err("[l2tp]\nenabled = true\nhelo_interval = 30\n");
    assert_eq!(e.line, Some(3), "{e}");
    assert_eq!(e.key.as_deref(), Some("l2tp.helo_interval"), "{e}");
    let s = e.to_string();
    assert!(
        s.starts_with("conf/x.toml:3: unknown key `helo_interval` in [l2tp] (expected one of `enabled`, `listen`"),
        "{s}"
    );
    for key in [
        "secret",
        "hide_avps",
        "hello_interval",
        "retransmit_initial",
        "retransmit_max",
        "retransmit_attempts",
        "receive_window",
        "max_tunnels_in_setup_per_peer",
        "max_sessions_per_tunnel",
        "mppe",
        "mtu",
    ] {
        assert!(s.contains(&format!("`{key}`")), "{key}: {s}");
    }
}

#[test]
fn unknown_section_lists_l2tp() {
    let e = err("[l2tpp]\n");
    assert_eq!(e.line, Some(1), "{e}");
    assert!(e.to_string().contains("`l2tp`"), "{e}");
}

#[test]
fn nothing_to_serve() {
    let e = err("[pptp]\nenabled = false\n\n[l2tp]\nenabled = false\n");
    assert_eq!(e.line, Some(5), "{e}");
    assert_eq!(e.key.as_deref(), Some("l2tp.enabled"), "{e}");
    assert!(e.message.contains("nothing to serve"), "{e}");
    let c = parse("[l2tp]\nenabled = false\nlisten = []\n").unwrap();
    assert!(c.pptp.enabled && !c.l2tp.enabled && c.l2tp.listen.is_empty());
    let c = parse("[pptp]\nenabled = false\n").unwrap();
    assert!(!c.pptp.enabled && c.l2tp.enabled);
}

#[test]
fn l2tp_mppe_checks_ppp() {
    // PPTP off, L2TP requiring MPPE: the PPP methods must give MPPE keys.
    let e = err("[pptp]\nenabled = false\n[l2tp]\nmppe = \"require\"\n[ppp]\nauth = [\"pap\"]\n");
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(6), Some("ppp.auth")),
        "{e}"
    );
    assert!(e.message.contains("[l2tp]"), "{e}");
    let off = "[ppp]\nmppe_128 = false\nmppe_40 = false\n";
    let e = err(&format!(
        "[pptp]\nmppe = \"refuse\"\n[l2tp]\nmppe = \"require\"\n{off}"
    ));
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(6), Some("ppp.mppe_128")),
        "{e}"
    );
    assert!(e.message.contains("[l2tp]"), "{e}");
    // For L2TP, "allow" with MPPE off only means no MPPE (the usual case under IPsec).
    assert!(parse(&format!("[pptp]\nmppe = \"refuse\"\n{off}")).is_ok());
    assert!(parse(&format!("[pptp]\nenabled = false\n{off}")).is_ok());
}

#[test]
fn peer_sections_default_to_the_l2tp_section() {
    let c = parse(
        r#"[l2tp]
secret = "global"
proxy_auth = "trust"

[[l2tp.peer]]
address = "198.51.100.0/24"
secret = "lac-secret"
hide_avps = true

[[l2tp.peer]]
address = "2001:db8::7"
secret = ""
proxy_auth = "renegotiate"

[[l2tp.peer]]
address = "203.0.113.9"
"#,
    )
    .unwrap();
    let p = &c.l2tp.peers;
    assert_eq!(c.l2tp.proxy_auth, ProxyAuth::Trust);
    assert_eq!(p.len(), 3);
    assert_eq!(
        p[0],
        L2tpPeer {
            net: "198.51.100.0/24".parse().unwrap(),
            secret: Some("lac-secret".into()),
            hide_avps: true,
            proxy_auth: ProxyAuth::Trust,
            require_ipsec: false,
        }
    );
    assert_eq!(
        (p[1].secret.as_deref(), p[1].proxy_auth),
        (None, ProxyAuth::Renegotiate)
    );
    assert_eq!(p[1].net.prefix, 128);
    assert_eq!(
        (p[2].secret.as_deref(), p[2].hide_avps),
        (Some("global"), false)
    );
}

#[test]
fn bad_peer_sections_name_their_line_and_key() {
    for (text, line, key) in [
        ("[[l2tp.peer]]\nsecret = \"x\"\n", 1, "address"),
        ("[[l2tp.peer]]\naddress = \"lac.example\"\n", 2, "address"),
        ("[[l2tp.peer]]\naddress = \"198.51.100.1/24\"\n", 2, "address"),
        ("[[l2tp.peer]]\naddress = \"198.51.100.1\"\nhide_avps = true\n", 3, "hide_avps"),
        ("[[l2tp.peer]]\naddress = \"198.51.100.1\"\nproxy_auth = \"always\"\n", 3, "proxy_auth"),
        (
            "[[l2tp.peer]]\naddress = \"198.51.100.1\"\n[[l2tp.peer]]\naddress = \"198.51.100.1/32\"\n",
            4,
            "address",
        ),
        ("[[l2tp.peer]]\naddress = \"198.51.100.1\"\nsecrte = \"x\"\n", 3, "secrte"),
    ] {
        let e = err(text);
        assert_eq!(e.line, Some(line), "{text}: {e}");
        assert!(e.to_string().contains(key), "{text}: {e}");
    }
    let e = err("[l2tp]\nproxy_auth = \"yes\"\n");
    assert_eq!(e.key.as_deref(), Some("l2tp.proxy_auth"), "{e}");
    assert!(e.message.contains("renegotiate, trust"), "{e}");
}
