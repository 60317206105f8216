//! Logins through a real FreeRADIUS: MS-CHAPv2 and v1 with the MPPE keys the server computed
//! (the PPTP session passes traffic, so the keys are right), PAP and CHAP-MD5 over L2TP with the
//! LAC's Calling Number as Calling-Station-Id, a wrong
//! password refused with the server's verdict, and a RADIUS outage refusing RADIUS users while
//! local users (`auth_backends = ["local", "radius"]`) still log in; a trusted LAC's proxied
//! login is verified through RADIUS too.

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, sigterm, wait_line, Daemon};
use e2e::freeradius::{FreeRadius, SECRET};
use e2e::netns::Lab;

/// A user FreeRADIUS knows and the local users file does not.
const BOB: &str = "bob\tCleartext-Password := \"radiuspass\"\n";

fn radius_server() -> String {
    format!("address = \"127.0.0.1\"\nsecret = \"{SECRET}\"")
}

/// Dials as `user`, pings through the session and hangs up; the `connected` line, or None.
fn connect(
    lab: &Lab,
    rasd: &Daemon,
    proto: &str,
    user: &str,
    password: &str,
    extra: &[&str],
) -> Option<String> {
    let tun = format!("rr{}", &proto[..1]);
    let mut args = vec!["--user", user, "--password", password, "--tun", &tun];
    args.extend_from_slice(extra);
    let mut client = dial(lab, &rasd.dir, &format!("{user}.log"), proto, &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(15));
    if line.is_some() {
        assert!(
            lab.ping_server_via(&tun).status.success(),
            "{user} connected but no traffic passes\n{}",
            rasd.log()
        );
        sigterm(&client.0);
        let _ = client.0.wait();
    }
    line
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn mschapv2_through_freeradius_gives_working_mppe_keys() {
    let lab = Lab::new("rasdrl");
    let radius = FreeRadius::start(&lab, &lab.srv, "rl", "127.0.0.1", "127.0.0.1", BOB);
    let server = radius_server();
    let mut rasd = Daemon::start(&lab, "rasdrl", &[("[[radius.server]]", &server)]);
    let line = connect(&lab, &rasd, "pptp", "bob", "radiuspass", &[]);
    let logs = || format!("{}\n{}", rasd.log(), radius.log());
    let line = line.unwrap_or_else(|| panic!("bob did not connect\n{}", logs()));
    assert!(line.contains("mppe=Bits128"), "{line}");
    assert!(radius.log().contains("Sent Access-Accept"), "{}", logs());
    // Our address on the control connection identifies what was called.
    let called = "Called-Station-Id = \"198.51.100.1\"";
    assert!(radius.log().contains(called), "{}", logs());

    // alice is only in the local file, which is not consulted: RADIUS decides.
    let refused = connect(&lab, &rasd, "pptp", "bob", "wrong", &[]);
    assert!(refused.is_none(), "a wrong password got in\n{}", logs());
    assert!(radius.log().contains("Sent Access-Reject"), "{}", logs());
    assert!(rasd.log().contains("authentication failed"), "{}", logs());
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
    let history = rasd.history();
    assert_eq!(history.len(), 2, "one session, start and stop: {history:?}");
    assert_eq!(history[1]["user"], "bob");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn pap_and_chap_md5_through_freeradius() {
    let lab = Lab::new("rasdrp");
    let radius = FreeRadius::start(&lab, &lab.srv, "rp", "127.0.0.1", "127.0.0.1", BOB);
    let server = radius_server();
    for method in ["pap", "chap-md5"] {
        let auth = format!("auth = [\"{method}\"]");
        // PAP and CHAP give no MPPE keys, so PPTP may not require MPPE here.
        let overrides = [
            ("ppp", auth.as_str()),
            ("pptp", "mppe = \"allow\""),
            ("[[radius.server]]", server.as_str()),
        ];
        let mut rasd = Daemon::start(&lab, "rasdrp", &overrides);
        let line = connect(
            &lab,
            &rasd,
            "l2tp",
            "bob",
            "radiuspass",
            &[
                "--mppe",
                "none",
                "--auth",
                method,
                "--calling-number",
                "5551234",
            ],
        );
        assert!(
            line.is_some(),
            "{method}: bob did not connect\n{}\n{}",
            rasd.log(),
            radius.log()
        );
        // The LAC's Calling Number, not its address, identifies the caller to RADIUS.
        let log = radius.log();
        assert!(log.contains("Calling-Station-Id = \"5551234\""), "{log}");
        assert!(rasd.stop());
    }
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn with_radius_down_local_users_still_log_in() {
    let lab = Lab::new("rasdro");
    // No FreeRADIUS runs: nothing answers on 127.0.0.1:1812.
    let server = format!("{}\n", radius_server());
    let overrides = [
        ("server", "auth_backends = [\"local\", \"radius\"]"),
        ("radius", "timeout = 1"),
        ("radius", "retries = 1"),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdro", &overrides);
    let bob = connect(&lab, &rasd, "pptp", "bob", "radiuspass", &[]);
    assert!(bob.is_none(), "bob is only known to RADIUS");
    assert!(
        rasd.log()
            .contains("RADIUS login not judged: no RADIUS server answered"),
        "{}",
        rasd.log()
    );
    let alice = connect(&lab, &rasd, "pptp", "alice", "secret123", &[]);
    assert!(alice.is_some(), "a local user is refused\n{}", rasd.log());
    assert!(rasd.stop());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn mschapv1_through_freeradius_gives_working_mppe_keys() {
    let lab = Lab::new("rasdr1");
    let radius = FreeRadius::start(&lab, &lab.srv, "r1", "127.0.0.1", "127.0.0.1", BOB);
    let server = radius_server();
    let overrides = [
        ("ppp", "auth = [\"mschapv1\"]"),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdr1", &overrides);
    let line = connect(
        &lab,
        &rasd,
        "pptp",
        "bob",
        "radiuspass",
        &["--auth", "mschapv1"],
    );
    let line =
        line.unwrap_or_else(|| panic!("bob did not connect\n{}\n{}", rasd.log(), radius.log()));
    assert!(line.contains("mppe=Bits128"), "{line}");
    assert!(
        radius.log().contains("Client is using MS-CHAPv1"),
        "{}",
        radius.log()
    );
    assert!(rasd.stop());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_trusted_lacs_proxied_login_is_verified_through_freeradius() {
    let lab = Lab::new("rasdrx");
    let radius = FreeRadius::start(&lab, &lab.srv, "rx", "127.0.0.1", "127.0.0.1", BOB);
    let server = radius_server();
    let overrides = [
        ("l2tp", "proxy_auth = \"trust\""),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdrx", &overrides);
    let proxied = ["--proxy-auth", "--mppe", "none"];
    let line = connect(&lab, &rasd, "l2tp", "bob", "radiuspass", &proxied);
    assert!(
        line.is_some(),
        "bob did not connect\n{}\n{}",
        rasd.log(),
        radius.log()
    );
    assert!(
        rasd.log().contains("proxy authentication accepted"),
        "{}",
        rasd.log()
    );
    assert!(
        radius.log().contains("Sent Access-Accept"),
        "{}",
        radius.log()
    );
    let wrong = connect(&lab, &rasd, "l2tp", "bob", "wrong", &proxied);
    assert!(
        wrong.is_none(),
        "a wrong proxied password got in\n{}",
        rasd.log()
    );
    assert!(
        rasd.log().contains("proxy authentication failed"),
        "{}",
        rasd.log()
    );
    assert!(rasd.stop());
}
