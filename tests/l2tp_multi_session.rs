//! Several L2TP sessions in one tunnel: `rasd dial l2tp --sessions 2` beside a second,
//! one-session client. Each session gets its own pool address and pings the server through its
//! own TUN device; the history shows two sessions of one tunnel and a third of another tunnel,
//! and a stop record for every start once the clients hang up.

mod e2e;

use std::time::{Duration, Instant};

use e2e::daemon::{dial, field, sigterm, wait_line, wait_lines, Daemon};
use e2e::netns::Lab;

/// The history's start record for the client address `address`.
fn start_of<'a>(lines: &'a [serde_json::Value], address: &str) -> &'a serde_json::Value {
    lines
        .iter()
        .find(|l| l["event"] == "start" && l["address"] == address)
        .unwrap_or_else(|| panic!("no start record for {address}: {lines:?}"))
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn two_sessions_in_one_tunnel_beside_a_second_tunnel() {
    let lab = Lab::new("rasdms");
    let mut rasd = Daemon::start(&lab, "rasdms", &[]);
    let creds = ["--user", "alice", "--password", "secret123"];
    let multi_args = [&creds[..], &["--tun", "msa", "--sessions", "2"]].concat();
    let mut multi = dial(&lab, &rasd.dir, "multi.log", "l2tp", &multi_args);
    let multi_lines = wait_lines(&mut multi.0, "connected", 2, Duration::from_secs(20));
    let single_args = [&creds[..], &["--tun", "msb"]].concat();
    let mut single = dial(&lab, &rasd.dir, "single.log", "l2tp", &single_args);
    let single_line = wait_line(&mut single.0, "connected", Duration::from_secs(20));
    let logs = |rasd: &Daemon| {
        format!(
            "--- rasd:\n{}\n--- multi:\n{}\n--- single:\n{}",
            rasd.log(),
            rasd.read("multi.log"),
            rasd.read("single.log")
        )
    };
    assert_eq!(
        multi_lines.len(),
        2,
        "both sessions up: {multi_lines:?}\n{}",
        logs(&rasd)
    );
    let single_line =
        single_line.unwrap_or_else(|| panic!("second client did not connect\n{}", logs(&rasd)));

    // Each session names itself and its own device; three different pool addresses.
    let mut tuns: Vec<&str> = multi_lines.iter().map(|l| field(l, "tun")).collect();
    tuns.sort_unstable();
    assert_eq!(tuns, ["msa", "msa-2"], "one device each: {multi_lines:?}");
    let mut numbers: Vec<&str> = multi_lines.iter().map(|l| field(l, "session")).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["1", "2"], "sessions 1 and 2: {multi_lines:?}");
    assert!(
        !single_line.contains("session="),
        "a one-session client prints what it always did: {single_line}"
    );
    let multi_addrs: Vec<&str> = multi_lines.iter().map(|l| field(l, "address")).collect();
    let single_addr = field(&single_line, "address");
    assert_ne!(multi_addrs[0], multi_addrs[1], "{multi_lines:?}");
    assert!(
        !multi_addrs.contains(&single_addr),
        "the second tunnel's address differs: {single_line} vs {multi_lines:?}"
    );

    // Each session reaches the server's tunnel address through its own device.
    for dev in ["msa", "msa-2", "msb"] {
        let ping = lab.ping_server_via(dev);
        assert!(
            ping.status.success(),
            "ping via {dev}: {}\n{}",
            String::from_utf8_lossy(&ping.stdout),
            logs(&rasd)
        );
    }

    // The history: the two sessions share a tunnel, the second client has its own.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut lines = rasd.history();
    while lines.iter().filter(|l| l["event"] == "start").count() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        lines = rasd.history();
    }
    let (a, b) = (
        start_of(&lines, multi_addrs[0]),
        start_of(&lines, multi_addrs[1]),
    );
    let c = start_of(&lines, single_addr);
    for start in [a, b, c] {
        assert_eq!(start["protocol"], "l2tp", "{lines:?}");
    }
    assert_eq!(a["tunnel_id"], b["tunnel_id"], "one tunnel: {lines:?}");
    assert_ne!(
        a["l2tp_session_id"], b["l2tp_session_id"],
        "two sessions: {lines:?}"
    );
    assert_ne!(a["tunnel_id"], c["tunnel_id"], "a second tunnel: {lines:?}");

    // Both clients hang up cleanly; every start has its stop before rasd itself stops.
    sigterm(&multi.0);
    sigterm(&single.0);
    let multi_ok = multi.0.wait().unwrap().success();
    let single_ok = single.0.wait().unwrap().success();
    assert!(multi_ok && single_ok, "clients exit 0\n{}", logs(&rasd));
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut lines = rasd.history();
    while lines.iter().filter(|l| l["event"] == "stop").count() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
        lines = rasd.history();
    }
    let starts: Vec<_> = lines.iter().filter(|l| l["event"] == "start").collect();
    assert_eq!(starts.len(), 3, "three sessions: {lines:?}");
    for start in starts {
        let stopped = lines
            .iter()
            .any(|l| l["event"] == "stop" && l["session"] == start["session"]);
        assert!(stopped, "no stop record for {start}: {lines:?}");
    }
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", logs(&rasd));
}
