//! `[radius]`, `[[radius.server]]` and `[server] auth_backends`: defaults, a full section, and
//! errors naming file, line and key.

use rasd::config::{AuthBackend, Config, ConfigError};
use std::path::Path;
use std::time::Duration;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("conf/x.toml"))
}

/// Asserts `text` is rejected at `line` for `key` (as `section.key`).
fn bad(text: &str, line: usize, key: &str) -> ConfigError {
    let e = match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    };
    assert_eq!(e.line, Some(line), "{e}");
    assert_eq!(e.key.as_deref(), Some(key), "{e}");
    assert!(
        e.to_string().starts_with(&format!("conf/x.toml:{line}: ")),
        "{e}"
    );
    e
}

const SERVER: &str = "[[radius.server]]\naddress = \"192.0.2.5\"\nsecret = \"s3cret\"\n";

#[test]
fn without_servers_logins_stay_local() {
    let c = parse("").unwrap();
    assert_eq!(c.server.auth_backends, vec![AuthBackend::Local]);
    assert!(c.radius.servers.is_empty());
    assert_eq!(c.radius.nas_identifier, "rasd");
    assert!(c.radius.require_message_authenticator);
}

#[test]
fn a_server_makes_radius_the_default_backend() {
    let c = parse(SERVER).unwrap();
    assert_eq!(c.server.auth_backends, vec![AuthBackend::Radius]);
    let s = &c.radius.servers[0];
    assert_eq!(
        s.address,
        "192.0.2.5:1812".parse().unwrap(),
        "port 1812 by default"
    );
    assert_eq!(s.secret, "s3cret");
    assert!(
        !format!("{s:?}").contains("s3cret"),
        "Debug shows the secret"
    );
}

#[test]
fn full_section() {
    let text = format!(
        "[server]\nname = \"lns1\"\nauth_backends = [\"local\", \"radius\"]\n\n[radius]\n\
         nas_identifier = \"lns1.example\"\nnas_ip_address = \"2001:db8::1\"\ntimeout = 2\n\
         retries = 4\ndead_time = 30\nrequire_message_authenticator = false\nmax_in_flight = 64\n\n\
         {SERVER}priority = 5\n\n[[radius.server]]\naddress = \"[2001:db8::5]:11812\"\n\
         secret = \"other\"\npurpose = \"auth\"\n"
    );
    let c = parse(&text).unwrap();
    assert_eq!(
        c.server.auth_backends,
        vec![AuthBackend::Local, AuthBackend::Radius]
    );
    let r = &c.radius;
    assert_eq!(r.nas_identifier, "lns1.example");
    assert_eq!(r.nas_ip_address, Some("2001:db8::1".parse().unwrap()));
    assert_eq!(
        (r.timeout, r.retries, r.dead_time),
        (Duration::from_secs(2), 4, Duration::from_secs(30))
    );
    assert!(!r.require_message_authenticator);
    assert_eq!(r.max_in_flight, 64);
    assert_eq!(r.servers[0].priority, 5);
    assert_eq!(r.servers[1].address, "[2001:db8::5]:11812".parse().unwrap());
}

#[test]
fn accounting_servers_and_the_spool() {
    let c = parse(&format!("{SERVER}purpose = \"accounting\"\n")).unwrap();
    let r = &c.radius;
    assert_eq!(r.servers[0].address, "192.0.2.5:1813".parse().unwrap());
    assert!(r.accounting());
    assert_eq!(
        c.server.auth_backends,
        vec![AuthBackend::Local],
        "an accounting server alone does not make logins RADIUS ones"
    );
    assert_eq!(r.interim_interval, Duration::from_secs(300));
    assert_eq!(r.spool_dir, Path::new("/var/spool/rasd/acct"));
    assert_eq!(r.spool_limit, 64 << 20);
    let c = parse("[radius]\nspool_dir = \"spool\"\ninterim_interval = 0\n").unwrap();
    assert_eq!(
        c.radius.spool_dir,
        Path::new("conf/spool"),
        "relative to the config file"
    );
    assert_eq!(c.radius.interim_interval, Duration::ZERO);
    assert!(!c.radius.accounting());
    let e = bad(
        &format!("[server]\nauth_backends = [\"radius\"]\n{SERVER}purpose = \"accounting\"\n"),
        2,
        "server.auth_backends",
    );
    assert!(e.message.contains("purpose = \"auth\""), "{e}");
}

#[test]
fn errors_name_their_line_and_key() {
    bad(
        "[[radius.server]]\naddress = \"192.0.2.5\"\n",
        1,
        "radius.server.secret",
    );
    bad(
        "[[radius.server]]\nsecret = \"x\"\n",
        1,
        "radius.server.address",
    );
    bad(
        "[[radius.server]]\naddress = \"radius.example\"\nsecret = \"x\"\n",
        2,
        "radius.server.address",
    );
    let e = bad(
        &format!("{SERVER}purpose = \"billing\"\n"),
        4,
        "radius.server.purpose",
    );
    assert!(e.message.contains("auth, accounting"), "{e}");
    bad(
        "[radius]\ninterim_interval = -1\n",
        2,
        "radius.interim_interval",
    );
    bad("[radius]\nspool_limit = 10\n", 2, "radius.spool_limit");
    bad(&format!("{SERVER}{SERVER}"), 5, "radius.server.address");
    bad("[radius]\ntimeout = 0\n", 2, "radius.timeout");
    bad(
        "[radius]\nnas_ip_address = \"x\"\n",
        2,
        "radius.nas_ip_address",
    );
    let e = bad(
        "[server]\nauth_backends = [\"radius\"]\n",
        2,
        "server.auth_backends",
    );
    assert!(e.message.contains("[[radius.server]]"), "{e}");
    bad(
        "[server]\nauth_backends = [\"ldap\"]\n",
        2,
        "server.auth_backends",
    );
    bad("[radius]\nsecrte = \"x\"\n", 2, "radius.secrte");
}

#[test]
fn shipped_config_has_the_defaults() {
    let shipped = Config::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/conf/rasd.toml"
    )))
    .unwrap();
    let defaults = parse("").unwrap();
    assert_eq!(shipped.radius, defaults.radius);
    assert_eq!(shipped.server.auth_backends, defaults.server.auth_backends);
}

#[test]
fn the_dynamic_authorization_server_needs_its_clients() {
    let c = parse("").unwrap();
    assert_eq!(c.radius.dae_listen, None);
    let text = "[radius]\ndae_listen = \"192.0.2.1\"\n\n[[radius.dae_client]]\naddress = \"192.0.2.9\"\nsecret = \"d\"\n";
    let c = parse(text).unwrap();
    assert_eq!(c.radius.dae_listen, Some("192.0.2.1:3799".parse().unwrap()));
    assert_eq!(
        c.radius.dae_clients[0].address,
        "192.0.2.9".parse::<std::net::IpAddr>().unwrap()
    );
    assert!(!format!("{:?}", c.radius.dae_clients).contains("\"d\""));
    let e = bad(
        "[radius]\ndae_listen = \"192.0.2.1\"\n",
        2,
        "radius.dae_listen",
    );
    assert!(e.message.contains("[[radius.dae_client]]"), "{e}");
    bad(
        "[[radius.dae_client]]\naddress = \"x\"\nsecret = \"d\"\n",
        2,
        "radius.dae_client.address",
    );
    bad(
        "[[radius.dae_client]]\naddress = \"192.0.2.9\"\n",
        1,
        "radius.dae_client.secret",
    );
}
