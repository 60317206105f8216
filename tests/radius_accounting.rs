//! RADIUS accounting through a real FreeRADIUS, read back from its detail files: Start,
//! Interim-Update and Stop with the session's id, its traffic and User-Request on hang-up,
//! Accounting-On and -Off; records kept through an accounting outage and sent with
//! Acct-Delay-Time; after kill -9 a Stop with NAS-Reboot for the session left open; and both at
//! once: an outage with a crash in it still gives every Start exactly one Stop.

mod e2e;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use e2e::daemon::{dial, sigterm, wait_line, Daemon, Reaper};
use e2e::freeradius::{FreeRadius, SECRET};
use e2e::netns::Lab;

type Record = HashMap<String, String>;

/// The accounting server section, and timing that makes an outage short to wait out.
fn overrides(server: &str, interim: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("radius", "spool_dir = \"spool\"".into()),
        ("radius", interim.into()),
        ("radius", "timeout = 1".into()),
        ("radius", "retries = 0".into()),
        ("radius", "dead_time = 1".into()),
        ("[[radius.server]]", server.to_owned()),
    ]
}

fn accounting_server() -> String {
    format!("address = \"127.0.0.1\"\nsecret = \"{SECRET}\"\npurpose = \"accounting\"")
}

/// rasd with an accounting server (and `extra` lines); logins stay local unless `extra` adds an
/// auth server.
fn start(lab: &Lab, tag: &str, interim: &'static str, extra: &[(&'static str, String)]) -> Daemon {
    let mut o = overrides(&accounting_server(), interim);
    o.extend_from_slice(extra);
    let o: Vec<(&str, &str)> = o.iter().map(|(s, l)| (*s, l.as_str())).collect();
    Daemon::start(lab, tag, &o)
}

/// `user` dials PPTP and pings through the tunnel; the client and the session's
/// Acct-Session-Id (from the history's start line).
fn connect(lab: &Lab, rasd: &Daemon, user: &str, password: &str) -> (Reaper, String) {
    let args = ["--user", user, "--password", password, "--tun", "ra0"];
    let mut client = dial(lab, &rasd.dir, "dial.log", "pptp", &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(15));
    assert!(line.is_some(), "{user} did not connect\n{}", rasd.log());
    assert!(
        lab.ping_server_via("ra0").status.success(),
        "no traffic passes"
    );
    let history = rasd.history();
    let session = history[0]["session"].as_u64().unwrap();
    (client, format!("{session:016x}"))
}

/// Hangs up like a user (SIGTERM: LCP Terminate-Request, call clear).
fn hang_up(mut client: Reaper) {
    sigterm(&client.0);
    let _ = client.0.wait();
}

/// The session's records with status `status`.
fn records<'a>(all: &'a [Record], session: &str, status: &str) -> Vec<&'a Record> {
    all.iter()
        .filter(|r| r.get("Acct-Session-Id").map(String::as_str) == Some(session))
        .filter(|r| r.get("Acct-Status-Type").map(String::as_str) == Some(status))
        .collect()
}

/// Waits until the detail files hold a Stop for `session`.
fn wait_for_stop(radius: &FreeRadius, session: &str, within: Duration) -> Vec<Record> {
    let deadline = Instant::now() + within;
    loop {
        let all = radius.accounting();
        if !records(&all, session, "Stop").is_empty() || Instant::now() > deadline {
            return all;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn number(r: &Record, key: &str) -> u64 {
    r.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{key} missing or not a number: {r:?}"))
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn start_interim_and_stop_reach_freeradius_with_the_traffic() {
    let lab = Lab::new("rasdra");
    let radius = FreeRadius::start(&lab, &lab.srv, "ra", "127.0.0.1", "127.0.0.1", "");
    let mut rasd = start(&lab, "rasdra", "interim_interval = 2", &[]);
    let (client, session) = connect(&lab, &rasd, "alice", "secret123");
    std::thread::sleep(Duration::from_secs(3));
    hang_up(client);
    let all = wait_for_stop(&radius, &session, Duration::from_secs(10));
    let logs = || format!("{}\n{}", rasd.log(), radius.detail());
    let starts = records(&all, &session, "Start");
    let stops = records(&all, &session, "Stop");
    assert_eq!((starts.len(), stops.len()), (1, 1), "{}", logs());
    assert!(
        !records(&all, &session, "Interim-Update").is_empty(),
        "{}",
        logs()
    );
    let stop = stops[0];
    assert_eq!(stop["User-Name"], "alice");
    assert_eq!(stop["Framed-IP-Address"], "192.0.2.10");
    assert_eq!(stop["Acct-Terminate-Cause"], "User-Request", "{}", logs());
    // Two pings of 84 bytes each way went through the tunnel.
    assert!(number(stop, "Acct-Input-Octets") >= 168, "{stop:?}");
    assert!(number(stop, "Acct-Output-Octets") >= 168, "{stop:?}");
    assert!(number(stop, "Acct-Input-Packets") >= 2, "{stop:?}");
    assert!(number(stop, "Acct-Session-Time") >= 3, "{stop:?}");
    let status = |s: &str| all.iter().filter(|r| r["Acct-Status-Type"] == s).count();
    assert_eq!(status("Accounting-On"), 1, "{}", logs());
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
    let all = radius.accounting();
    let offs = all
        .iter()
        .filter(|r| r["Acct-Status-Type"] == "Accounting-Off");
    assert_eq!(offs.count(), 1, "{}", radius.detail());
    assert_eq!(
        rasd.history().len(),
        2,
        "the history file still has start and stop"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn records_wait_out_an_accounting_outage_and_arrive_once_with_their_delay() {
    let lab = Lab::new("rasdrb");
    // No FreeRADIUS yet: nothing answers on 127.0.0.1:1813.
    let mut rasd = start(&lab, "rasdrb", "interim_interval = 0", &[]);
    let (client, session) = connect(&lab, &rasd, "alice", "secret123");
    hang_up(client);
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        rasd.log().contains("accounting records wait in the spool"),
        "{}",
        rasd.log()
    );
    let radius = FreeRadius::start(&lab, &lab.srv, "rb", "127.0.0.1", "127.0.0.1", "");
    let all = wait_for_stop(&radius, &session, Duration::from_secs(20));
    let logs = || format!("{}\n{}", rasd.log(), radius.detail());
    let starts = records(&all, &session, "Start");
    let stops = records(&all, &session, "Stop");
    assert_eq!((starts.len(), stops.len()), (1, 1), "{}", logs());
    for r in [starts[0], stops[0]] {
        assert!(number(r, "Acct-Delay-Time") > 0, "{r:?}");
    }
    assert!(rasd.stop());
    assert_eq!(
        std::fs::read_dir(rasd.dir.join("spool/queue"))
            .unwrap()
            .count(),
        0,
        "every acknowledged record left the spool"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn after_kill_9_the_open_session_gets_one_stop_with_nas_reboot() {
    let lab = Lab::new("rasdrc");
    let bob = "bob\tCleartext-Password := \"radiuspass\"\n";
    let radius = FreeRadius::start(&lab, &lab.srv, "rc", "127.0.0.1", "127.0.0.1", bob);
    // bob logs in through RADIUS: his Access-Request names the session as accounting does.
    let auth = format!("address = \"127.0.0.1\"\nsecret = \"{SECRET}\"");
    let mut rasd = start(
        &lab,
        "rasdrc",
        "interim_interval = 0",
        &[("[[radius.server]]", auth)],
    );
    let (client, session) = connect(&lab, &rasd, "bob", "radiuspass");
    let id = format!("Acct-Session-Id = \"{session}\"");
    assert!(
        radius.log().contains(&id),
        "the Access-Request carries {id}\n{}",
        radius.log()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while records(&radius.accounting(), &session, "Start").is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    rasd.kill_and_restart(&lab);
    let all = wait_for_stop(&radius, &session, Duration::from_secs(10));
    let logs = || format!("{}\n{}", rasd.log(), radius.detail());
    let starts = records(&all, &session, "Start");
    let stops = records(&all, &session, "Stop");
    assert_eq!((starts.len(), stops.len()), (1, 1), "{}", logs());
    assert_eq!(stops[0]["Acct-Terminate-Cause"], "NAS-Reboot", "{}", logs());
    drop(client);
    assert!(rasd.stop(), "{}", rasd.log());
    let all = radius.accounting();
    assert_eq!(
        records(&all, &session, "Stop").len(),
        1,
        "no second Stop\n{}",
        radius.detail()
    );
}

/// The Acct-Session-Id of the newest session in the history.
fn newest_session(rasd: &Daemon) -> String {
    let history = rasd.history();
    let start = history
        .iter()
        .rev()
        .find(|l| l["event"] == "start")
        .unwrap();
    format!("{:016x}", start["session"].as_u64().unwrap())
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn an_outage_with_a_kill_9_in_it_still_gives_every_start_one_stop() {
    let lab = Lab::new("rasdrd");
    // FreeRADIUS is down throughout the sessions and the crash.
    let mut rasd = start(&lab, "rasdrd", "interim_interval = 0", &[]);
    let (first, _) = connect(&lab, &rasd, "alice", "secret123");
    let ended = newest_session(&rasd);
    hang_up(first);
    let (second, _) = connect(&lab, &rasd, "alice", "secret123");
    let left_open = newest_session(&rasd);
    assert_ne!(ended, left_open);
    rasd.kill_and_restart(&lab);
    drop(second);
    std::thread::sleep(Duration::from_secs(1));
    let radius = FreeRadius::start(&lab, &lab.srv, "rd", "127.0.0.1", "127.0.0.1", "");
    let all = wait_for_stop(&radius, &left_open, Duration::from_secs(30));
    let all = if records(&all, &ended, "Stop").is_empty() {
        wait_for_stop(&radius, &ended, Duration::from_secs(10))
    } else {
        all
    };
    let logs = || format!("{}\n{}", rasd.log(), radius.detail());
    for (session, cause) in [(&ended, "User-Request"), (&left_open, "NAS-Reboot")] {
        let starts = records(&all, session, "Start");
        let stops = records(&all, session, "Stop");
        assert_eq!((starts.len(), stops.len()), (1, 1), "{session}\n{}", logs());
        assert_eq!(stops[0]["Acct-Terminate-Cause"], cause, "{}", logs());
        for r in [starts[0], stops[0]] {
            assert!(number(r, "Acct-Delay-Time") > 0, "{r:?}");
        }
    }
    assert!(rasd.stop(), "{}", rasd.log());
    // Nothing is sent twice after a clean stop either.
    let all = radius.accounting();
    for session in [&ended, &left_open] {
        let stops = records(&all, session, "Stop").len();
        assert_eq!(stops, 1, "{}\n{}", rasd.log(), radius.detail());
    }
}
