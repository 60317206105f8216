//! A LAC's proxy LCP and authentication (`rasd dial l2tp --proxy-auth`, PAP): trusted per peer
//! they are verified and taken over, a wrong password ends the session, and untrusted they are
//! renegotiated. Per-peer tunnel secrets pick the section by the LAC's address.

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, wait_line, Daemon};
use e2e::netns::Lab;

const CLIENT: [&str; 4] = ["--user", "alice", "--password", "secret123"];

fn trusted_peer() -> (&'static str, &'static str) {
    (
        "[[l2tp.peer]]",
        "address = \"198.51.100.2\"\nproxy_auth = \"trust\"",
    )
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn trusted_lac_login_skips_authentication() {
    let lab = Lab::new("rasdpxa");
    let rasd = Daemon::start(&lab, "rasdpxa", &[trusted_peer()]);
    let args = [
        &CLIENT[..],
        &["--tun", "pxat", "--proxy-auth", "--mppe", "none"],
    ]
    .concat();
    let mut client = dial(&lab, &rasd.dir, "dial.log", "l2tp", &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    let log = rasd.log();
    let line = line.unwrap_or_else(|| panic!("no session\n{log}\n{}", rasd.read("dial.log")));
    assert!(line.contains("address=192.0.2.10"), "{line}");
    assert!(log.contains("proxy authentication accepted"), "{log}");
    assert!(
        log.contains("LCP opened with the LAC's proxied options"),
        "{log}"
    );
    // No authentication exchange and no LCP negotiation of our own.
    assert!(!log.contains("authentication phase"), "{log}");
    assert!(!log.contains("fsm=\"LCP\" from=ReqSent"), "{log}");
    let ping = lab.ping_server_via("pxat").status;
    assert!(ping.success(), "ping through the proxied session\n{log}");
    let start = rasd
        .history()
        .into_iter()
        .find(|r| r["event"] == "start")
        .unwrap_or_else(|| panic!("no start record\n{log}"));
    assert_eq!(start["user"], "alice");
    assert_eq!(start["address"], "192.0.2.10");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn trusted_lac_with_a_wrong_password_gets_no_session() {
    let lab = Lab::new("rasdpxb");
    let rasd = Daemon::start(&lab, "rasdpxb", &[trusted_peer()]);
    let args = [
        "--user",
        "alice",
        "--password",
        "wrong",
        "--tun",
        "pxbt",
        "--proxy-auth",
        "--mppe",
        "none",
    ];
    let mut client = dial(&lab, &rasd.dir, "dial.log", "l2tp", &args);
    let line = wait_line(&mut client.0, "disconnected", Duration::from_secs(20));
    let log = rasd.log();
    assert!(line.is_some(), "the session was not ended\n{log}");
    assert!(log.contains("proxy authentication failed"), "{log}");
    assert!(log.contains("user=alice"), "{log}");
    assert!(rasd.history().is_empty(), "a session started\n{log}");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn untrusted_lac_login_is_renegotiated() {
    let lab = Lab::new("rasdpxc");
    let rasd = Daemon::start(&lab, "rasdpxc", &[]);
    let args = [
        &CLIENT[..],
        &["--tun", "pxct", "--proxy-auth", "--mppe", "none"],
    ]
    .concat();
    let mut client = dial(&lab, &rasd.dir, "dial.log", "l2tp", &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    let log = rasd.log();
    assert!(
        line.is_some(),
        "no session\n{log}\n{}",
        rasd.read("dial.log")
    );
    assert!(log.contains("proxy_auth = renegotiate"), "{log}");
    assert!(!log.contains("proxy authentication accepted"), "{log}");
    // rasd negotiated LCP itself and ran MS-CHAPv2.
    assert!(log.contains("fsm=\"LCP\" from=ReqSent"), "{log}");
    assert!(
        log.contains("authentication phase method=\"mschapv2\""),
        "{log}"
    );
    // The client had taken over the LAC's LCP and started over when rasd renegotiated.
    let dial_log = rasd.read("dial.log");
    assert!(
        dial_log.contains("LCP renegotiation before the network came up"),
        "{dial_log}"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn per_peer_secret_overrides_the_global_one() {
    let lab = Lab::new("rasdpxd");
    let peer = (
        "[[l2tp.peer]]",
        "address = \"198.51.100.0/24\"\nsecret = \"lac-secret\"",
    );
    let global = ("l2tp", "secret = \"global-secret\"");
    let rasd = Daemon::start(&lab, "rasdpxd", &[global, peer]);
    let with = |secret: &str, tun: &str, log: &str| {
        let args = [&CLIENT[..], &["--tun", tun, "--secret", secret]].concat();
        let mut client = dial(&lab, &rasd.dir, log, "l2tp", &args);
        wait_line(&mut client.0, "connected", Duration::from_secs(10))
    };
    assert!(
        with("global-secret", "pxdg", "global.log").is_none(),
        "the global secret opened a tunnel for a peer with its own\n{}",
        rasd.log()
    );
    assert!(
        with("lac-secret", "pxdp", "peer.log").is_some(),
        "the peer's secret was refused\n{}\n{}",
        rasd.log(),
        rasd.read("peer.log")
    );
}
