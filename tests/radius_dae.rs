//! RADIUS dynamic authorization (RFC 5176) from `radclient`: an allowed client ends a session by
//! User-Name or Acct-Session-Id and gets a Disconnect-ACK; a request for no session gets a NAK
//! with Error-Cause Session-Context-Not-Found; a wrong secret or a missing Message-Authenticator
//! gets no answer and ends nothing; a CoA-Request's Session-Timeout ends the session on time,
//! and one asking for what rasd cannot change gets a CoA-NAK.

mod e2e;

use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use e2e::daemon::{dial, wait_line, Daemon, Reaper};
use e2e::netns::Lab;

const SECRET: &str = "dae-secret";

/// Sends `attributes` as a Disconnect-Request from the client namespace; radclient's output.
fn disconnect(lab: &Lab, attributes: &str, secret: &str) -> String {
    dae(lab, "disconnect", attributes, secret)
}

/// Sends `attributes` as a `kind` ("disconnect" or "coa") request; radclient's output.
fn dae(lab: &Lab, kind: &str, attributes: &str, secret: &str) -> String {
    let mut child = lab
        .exec(&lab.cli, "radclient")
        .args([
            "-x",
            "-r",
            "1",
            "-t",
            "2",
            "198.51.100.1:3799",
            kind,
            secret,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(attributes.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// alice over PPTP, connected.
fn connect(lab: &Lab, rasd: &Daemon) -> Reaper {
    let args = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--tun",
        "daet",
    ];
    let mut client = dial(lab, &rasd.dir, "dial.log", "pptp", &args);
    let up = wait_line(&mut client.0, "connected", Duration::from_secs(15));
    assert!(up.is_some(), "alice did not connect\n{}", rasd.log());
    client
}

/// Waits for the dial client to end (its session was disconnected).
fn ends(client: &mut Reaper) -> bool {
    (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        client.0.try_wait().unwrap().is_some()
    })
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn disconnect_requests_end_the_sessions_they_name() {
    let lab = Lab::new("rasddae");
    let client_section = format!("address = \"198.51.100.2\"\nsecret = \"{SECRET}\"");
    let overrides = [
        ("radius", "dae_listen = \"198.51.100.1:3799\""),
        ("[[radius.dae_client]]", client_section.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasddae", &overrides);
    let mut alice = connect(&lab, &rasd);

    // Forged or unsigned requests: no answer, nothing ends.
    let wrong = disconnect(
        &lab,
        "User-Name = \"alice\", Message-Authenticator = 0x00\n",
        "guess",
    );
    assert!(!wrong.contains("Received Disconnect"), "{wrong}");
    let unsigned = disconnect(&lab, "User-Name = \"alice\"\n", SECRET);
    assert!(!unsigned.contains("Received Disconnect"), "{unsigned}");
    assert!(
        alice.0.try_wait().unwrap().is_none(),
        "a forged request ended the session"
    );
    assert!(
        rasd.log().contains("kind=\"dae_request_dropped\""),
        "{}",
        rasd.log()
    );

    // A session nobody has: NAK, Session-Context-Not-Found.
    let nobody = disconnect(
        &lab,
        "User-Name = \"nobody\", Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(nobody.contains("Received Disconnect-NAK"), "{nobody}");
    assert!(nobody.contains("Session-Context-Not-Found"), "{nobody}");

    // By User-Name: ACK, and the session ends with the admin-reset cause.
    let by_user = disconnect(
        &lab,
        "User-Name = \"alice\", Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(
        by_user.contains("Received Disconnect-ACK"),
        "{by_user}\n{}",
        rasd.log()
    );
    assert!(ends(&mut alice), "the session did not end\n{}", rasd.log());

    // By Acct-Session-Id (the session number in hex, as in Access-Requests).
    let mut again = connect(&lab, &rasd);
    let history = rasd.history();
    let session = history.last().unwrap()["session"].as_u64().unwrap();
    let by_id = format!("Acct-Session-Id = \"{session:016x}\", Message-Authenticator = 0x00\n");
    let answer = disconnect(&lab, &by_id, SECRET);
    assert!(
        answer.contains("Received Disconnect-ACK"),
        "{answer}\n{}",
        rasd.log()
    );
    assert!(ends(&mut again), "the session did not end\n{}", rasd.log());

    assert!(rasd.stop());
    let stops: Vec<_> = rasd
        .history()
        .into_iter()
        .filter(|l| l["event"] == "stop")
        .collect();
    assert_eq!(stops.len(), 2, "{stops:?}");
    for stop in stops {
        let cause = stop["cause"].as_str().unwrap_or_default();
        assert!(cause.contains("admin reset"), "{cause}");
    }
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_coa_session_timeout_ends_the_session_on_time() {
    let lab = Lab::new("rasdcoa");
    let client_section = format!("address = \"198.51.100.2\"\nsecret = \"{SECRET}\"");
    let overrides = [
        ("radius", "dae_listen = \"198.51.100.1:3799\""),
        ("[[radius.dae_client]]", client_section.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdcoa", &overrides);
    let mut alice = connect(&lab, &rasd);

    let unsupported = dae(
        &lab,
        "coa",
        "User-Name = \"alice\", Filter-Id = \"gold\", Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(unsupported.contains("Received CoA-NAK"), "{unsupported}");
    assert!(
        unsupported.contains("Unsupported-Attribute"),
        "{unsupported}"
    );
    let nobody = dae(
        &lab,
        "coa",
        "User-Name = \"nobody\", Session-Timeout = 2, Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(nobody.contains("Session-Context-Not-Found"), "{nobody}");
    assert!(
        alice.0.try_wait().unwrap().is_none(),
        "a refused CoA changed the session"
    );

    let interim = dae(
        &lab,
        "coa",
        "User-Name = \"alice\", Acct-Interim-Interval = 600, Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(interim.contains("Received CoA-ACK"), "{interim}");
    let sent = std::time::Instant::now();
    let coa = dae(
        &lab,
        "coa",
        "User-Name = \"alice\", Session-Timeout = 2, Message-Authenticator = 0x00\n",
        SECRET,
    );
    assert!(coa.contains("Received CoA-ACK"), "{coa}\n{}", rasd.log());
    assert!(
        ends(&mut alice),
        "the session outlived its new Session-Timeout\n{}",
        rasd.log()
    );
    let took = sent.elapsed();
    assert!(
        took >= Duration::from_millis(1500),
        "ended after {took:?}, before the 2 s it was given"
    );
    assert!(rasd.stop());
    let history = rasd.history();
    let stop = history.iter().find(|l| l["event"] == "stop").unwrap();
    assert_eq!(stop["cause"], "session timeout", "{history:?}");
}
