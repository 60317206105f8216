//! Loading the configuration: the shipped file, defaults, and errors naming file, line and key.

use rasd::config::{AuthMethod, Config, ConfigError, MppePolicy};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
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

#[test]
fn shipped_config_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("conf/rasd.toml");
    let cfg = Config::load(&path).expect("conf/rasd.toml");
    assert_eq!(cfg.server.users_file, path.parent().unwrap().join("users"));
    assert_eq!(
        cfg.server.history_file,
        PathBuf::from("/var/log/rasd/history.jsonl")
    );
    assert_eq!(cfg.pptp.listen, vec!["0.0.0.0:1723".parse().unwrap()]);
    assert_eq!(cfg.server.tun_name, "rasd0");
    assert_eq!(cfg.ip.local, Ipv4Addr::new(10, 99, 0, 1));
    assert_eq!(cfg.ip.pools[0].to_string(), "10.99.0.10-10.99.0.250");
    let defaults = parse("").unwrap();
    assert_eq!(cfg.pptp, defaults.pptp);
    assert_eq!(cfg.ppp, defaults.ppp);
    assert_eq!(cfg.ip, defaults.ip);
}

#[test]
fn empty_file_gives_defaults() {
    let c = parse("").unwrap();
    assert_eq!(c.server.name, "rasd");
    assert_eq!(c.server.max_sessions, 1000);
    assert_eq!(c.server.users_file, PathBuf::from("/etc/rasd/users"));
    assert!(c.pptp.enabled);
    assert_eq!(c.pptp.mppe, MppePolicy::Require);
    assert_eq!((c.pptp.mtu, c.pptp.max_mss()), (1400, 1360));
    assert_eq!(c.pptp.max_connections_per_peer, 16);
    assert_eq!(c.pptp.max_calls_per_connection, 4);
    assert_eq!(c.ppp.auth, vec![AuthMethod::MsChapV2]);
    assert_eq!(c.ppp.auth_attempts, 3);
    assert!(c.ppp.mppe_128 && c.ppp.mppe_40 && c.ppp.mppe_stateful && !c.ppp.ipv6);
    assert_eq!(c.ppp.lcp_echo_interval, Some(Duration::from_secs(10)));
    assert_eq!(c.ppp.lcp_echo_failures, 3);
    assert!(c.ip.dns.is_empty() && c.ip.wins.is_empty() && !c.ip.sticky);
    assert!(!c.ppp.needs_passwords());
    assert_eq!(c.server.control_dscp, 0);
}

#[test]
fn full_custom_config() {
    // The same file with our end inside the /24 pool, then outside it.
    let text = |local: &str| {
        format!(
            r#"
[server]
users_file = "sub/users"
history_file = "hist.jsonl"
control_dscp = 48
[pptp]
listen = ["127.0.0.1:1723", "[::1]:1723"]
mppe = "allow"
mtu = 1500
[ppp]
auth = ["mschapv2", "pap"]
lcp_echo_interval = 0
ipv6 = true
[ip]
local = "{local}"
pools = ["192.168.5.0/24", "192.168.6.10-192.168.6.20"]
dns = ["192.168.5.1", "9.9.9.9"]
sticky = true
"#
        )
    };
    let e = parse(&text("192.168.5.1")).unwrap_err();
    assert_eq!(e.line, Some(16), "{e}");
    let c = parse(&text("192.168.4.1")).unwrap();
    assert_eq!(c.server.users_file, PathBuf::from("conf/sub/users"));
    assert_eq!(c.server.history_file, PathBuf::from("conf/hist.jsonl"));
    assert_eq!(c.server.control_dscp, 48);
    assert_eq!(c.pptp.listen.len(), 2);
    assert_eq!(c.pptp.mppe, MppePolicy::Allow);
    assert_eq!(c.ppp.auth, vec![AuthMethod::MsChapV2, AuthMethod::Pap]);
    assert!(!c.ppp.needs_passwords(), "PAP checks against the NT hash");
    let chap = parse("[ppp]\nauth = [\"mschapv2\", \"chap-md5\"]\n").unwrap();
    assert!(chap.ppp.needs_passwords());
    assert_eq!(c.ppp.lcp_echo_interval, None);
    assert_eq!(c.ip.pools[0].to_string(), "192.168.5.1-192.168.5.254");
    assert_eq!(c.ip.dns.len(), 2);
    assert!(c.ip.sticky && c.ppp.ipv6);
}

#[test]
fn misspelled_key_names_file_line_and_key() {
    let e = err("[pptp]\nenabled = true\nlisen = [\"0.0.0.0:1723\"]\n");
    assert_eq!(e.line, Some(3));
    assert_eq!(e.key.as_deref(), Some("pptp.lisen"));
    let s = e.to_string();
    assert!(
        s.starts_with(
            "conf/x.toml:3: unknown key `lisen` in [pptp] (expected one of `enabled`, `listen`"
        ),
        "{s}"
    );
}

#[test]
fn unknown_section_and_top_level_key() {
    let e = err("[server]\nname = \"x\"\n\n[pptpp]\nlisten = []\n");
    assert_eq!(e.line, Some(4));
    assert!(e.to_string().contains("unknown section [pptpp]"), "{e}");
    let e = err("debug = true\n");
    assert_eq!(e.line, Some(1));
    assert!(
        e.to_string().contains("unknown top-level key `debug`"),
        "{e}"
    );
    let e = err("pptp.lisen = 3\n");
    assert!(
        e.to_string().contains("unknown key `lisen` in [pptp]"),
        "{e}"
    );
}

#[test]
fn wrong_types_name_line_and_key() {
    let e = err("[server]\nname = \"a\"\n[pptp]\n# comment\nmtu = \"big\"\n");
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(5), Some("pptp.mtu")),
        "{e}"
    );
    assert!(
        e.to_string().contains("bad value for `mtu` in [pptp]"),
        "{e}"
    );
    let e = err("[ip]\npools = [\n  \"10.1.0.0/24\",\n  7,\n]\n");
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(4), Some("ip.pools")),
        "{e}"
    );
    let e = err("[ppp]\nipv6 = \"yes\"\n");
    assert_eq!(
        (e.line, e.key.as_deref()),
        (Some(2), Some("ppp.ipv6")),
        "{e}"
    );
    let e = err("[ppp]\nipv6 = tru\n");
    assert_eq!(e.line, Some(2), "{e}");
    let e = err("pptp = 3\n");
    assert!(e.to_string().contains("expected a table"), "{e}");
}

/// (text, line, key, part of the message)
#[rustfmt::skip]
const BAD_VALUES: &[(&str, usize, &str, &str)] = &[
    ("[pptp]\nmtu = 9000\n", 2, "pptp.mtu", "9000 is out of range 576..=1500"),
    ("[pptp]\nmtu = 500\n", 2, "pptp.mtu", "out of range"),
    ("[pptp]\nmppe = \"maybe\"\n", 2, "pptp.mppe", "unknown mppe policy `maybe`"),
    ("[pptp]\nlisten = [\"0.0.0.0\"]\n", 2, "pptp.listen", "not an address:port"),
    ("[pptp]\nlisten = []\n", 2, "pptp.listen", "no address to listen on"),
    ("[pptp]\nlisten = [\"0.0.0.0:1\", \"0.0.0.0:1\"]\n", 2, "pptp.listen", "listed twice"),
    ("[ppp]\nauth = [\"mschapv2\",\n \"chap\"]\n", 3, "ppp.auth", "unknown authentication method \"chap\""),
    ("[ppp]\nauth = []\n", 2, "ppp.auth", "at least one"),
    ("[ppp]\nauth = [\"pap\"]\n", 2, "ppp.auth", "needs `mschapv2`"),
    ("[ppp]\nauth = [\"pap\", \"pap\", \"mschapv2\"]\n", 2, "ppp.auth", "listed twice"),
    ("[ppp]\nauth_attempts = 0\n", 2, "ppp.auth_attempts", "out of range"),
    ("[ppp]\nmppe_128 = false\nmppe_40 = false\n", 2, "ppp.mppe_128", "both off"),
    ("[ppp]\nlcp_echo_interval = 86400\n", 2, "ppp.lcp_echo_interval", "out of range"),
    ("[ip]\npools = []\n", 2, "ip.pools", "empty"),
    ("[ip]\npools = [\"10.1.0.9-10.1.0.1\"]\n", 2, "ip.pools", "is empty"),
    ("[ip]\npools = [\"10.1.0.0/33\"]\n", 2, "ip.pools", "prefix"),
    ("[ip]\npools = [\"10.1.0.0/24\",\n\"10.1.0.200-10.1.1.5\"]\n", 3, "ip.pools", "overlaps pool 10.1.0.1-10.1.0.254"),
    ("[ip]\nlocal = \"10.1.0.1\"\npools = [\"10.1.0.0/24\"]\n", 3, "ip.pools", "contains the local address 10.1.0.1"),
    ("[ip]\npools = [\"127.0.0.0/24\"]\n", 2, "ip.pools", "loopback"),
    ("[ip]\nlocal = \"9.0.0.1\"\npools = [\"10.0.0.0/7\"]\n", 3, "ip.pools", "more than"),
    ("[ip]\npools = [\"10.1.0.0/24\"]\n[[ip.pool]]\nname = \"a\"\nranges = [\"10.1.0.9\"]\n", 5, "ip.pool.ranges", "overlaps pool 10.1.0.1-10.1.0.254"),
    ("[[ip.pool]]\nname = \"a\"\nranges = [\"10.2.0.0/24\"]\n[[ip.pool]]\nname = \"a\"\nranges = [\"10.3.0.0/24\"]\n", 5, "ip.pool.name", "used twice"),
    ("[[ip.pool]]\nranges = [\"10.2.0.0/24\"]\n", 1, "ip.pool.name", "needs a name"),
    ("[[ip.pool]]\nname = \"a\"\nranges = []\n", 3, "ip.pool.ranges", "empty"),
    ("[ip]\nlocal = \"10.1.0\"\n", 2, "ip.local", "not an IPv4 address"),
    ("[ip]\nlocal = \"224.0.0.1\"\n", 2, "ip.local", "unicast"),
    ("[ip]\ndns = [\"1.1.1.1\", \"1.0.0.1\", \"8.8.8.8\"]\n", 2, "ip.dns", "at most 2"),
    ("[ip]\nwins = [\"1.1.1\"]\n", 2, "ip.wins", "not an IPv4 address"),
    ("[server]\ntun_name = \"a-very-long-interface\"\n", 2, "server.tun_name", "1 to 15"),
    ("[server]\nname = \"\"\n", 2, "server.name", "must not be empty"),
    ("[server]\nmax_sessions = -1\n", 2, "server.max_sessions", "out of range"),
    ("[server]\ncontrol_dscp = 64\n", 2, "server.control_dscp", "out of range 0..=63"),
    ("[server]\nusers_file = \"\"\n", 2, "server.users_file", "must not be empty"),
];

#[test]
fn bad_values_name_line_and_key() {
    for &(text, line, key, part) in BAD_VALUES {
        let e = err(text);
        let s = e.to_string();
        assert_eq!(e.line, Some(line), "{text:?}: {s}");
        assert_eq!(e.key.as_deref(), Some(key), "{text:?}: {s}");
        assert!(s.starts_with(&format!("conf/x.toml:{line}: ")), "{s}");
        assert!(s.contains(part), "{text:?}: {s}");
    }
}

#[test]
fn refuse_and_disabled_relax_mppe_checks() {
    assert!(parse(
        "[pptp]\nmppe = \"refuse\"\n[ppp]\nauth = [\"pap\"]\nmppe_128 = false\nmppe_40 = false\n"
    )
    .is_ok());
    assert!(parse("[pptp]\nenabled = false\nlisten = []\n").is_ok());
}

#[test]
fn missing_file_is_named() {
    let e = Config::load(Path::new("/nonexistent/rasd.toml")).unwrap_err();
    assert_eq!(e.line, None);
    assert!(
        e.to_string()
            .starts_with("/nonexistent/rasd.toml: cannot read"),
        "{e}"
    );
}

#[test]
fn named_pools_load_beside_the_default_pool() {
    let c = parse(
        "[ip]\npools = [\"10.1.0.0/24\"]\n[[ip.pool]]\nname = \"gold\"\nranges = [\"10.2.0.10-10.2.0.20\", \"10.2.1.5\"]\n",
    )
    .unwrap();
    assert_eq!(c.ip.named_pools.len(), 1);
    assert_eq!(c.ip.named_pools[0].name, "gold");
    let ranges: Vec<String> = c.ip.named_pools[0]
        .ranges
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(ranges, ["10.2.0.10-10.2.0.20", "10.2.1.5-10.2.1.5"]);
    assert!(parse("").unwrap().ip.named_pools.is_empty());
}
