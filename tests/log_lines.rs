//! At info level each session makes one line when it comes up and one when it ends (with its
//! cause and counters); everything else about it is at debug. A PPTP and an L2TP client
//! connect, pass a ping and hang up.

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, sigterm, wait_line, Daemon};
use e2e::netns::Lab;

/// Lines about the daemon itself rather than a session.
const DAEMON_LINES: [&str; 7] = [
    "sessions: ",
    "listening for",
    "rasd running",
    "shutting down",
    "rasd stopped",
    "dropped while running",
    "RADIUS client",
];

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_session_makes_two_info_lines() {
    let lab = Lab::new("rasdlog");
    let mut rasd = Daemon::start(&lab, "rasdlog", &[]);
    let creds = ["--user", "alice", "--password", "secret123"];
    for (protocol, tun) in [("pptp", "logp"), ("l2tp", "logl")] {
        let log = format!("{protocol}.log");
        let args = [&creds[..], &["--tun", tun]].concat();
        let mut client = dial(&lab, &rasd.dir, &log, protocol, &args);
        let up = wait_line(&mut client.0, "connected", Duration::from_secs(20));
        assert!(up.is_some(), "{protocol} did not connect:\n{}", rasd.log());
        assert!(lab.ping_server_via(tun).status.success(), "ping via {tun}");
        sigterm(&client.0);
        let _ = client.0.wait();
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(rasd.stop(), "rasd did not exit cleanly:\n{}", rasd.log());
    let log = rasd.log();
    let info: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" INFO "))
        .filter(|l| !DAEMON_LINES.iter().any(|d| l.contains(d)))
        .collect();
    let text = info.join("\n");
    assert_eq!(info.len(), 4, "info lines about sessions:\n{text}");
    for protocol in ["pptp", "l2tp"] {
        let of = |what: &str| {
            info.iter()
                .filter(|l| l.contains(what) && l.contains(&format!("protocol=\"{protocol}\"")))
                .count()
        };
        assert_eq!(of("session up"), 1, "{protocol}:\n{text}");
        assert_eq!(of("session down"), 1, "{protocol}:\n{text}");
    }
    // The rest is still there at debug.
    assert!(
        log.contains("DEBUG pppd::session::control: LCP opened"),
        "{log}"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn the_summary_line_counts_sessions_and_failures_by_cause() {
    let lab = Lab::new("rasdsum");
    let mut rasd = Daemon::start(&lab, "rasdsum", &[("server", "summary_interval = 1")]);
    let good = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--tun",
        "sump",
    ];
    let mut client = dial(&lab, &rasd.dir, "good.log", "pptp", &good);
    let up = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    assert!(up.is_some(), "did not connect:\n{}", rasd.log());
    let bad = ["--user", "alice", "--password", "wrong", "--tun", "sumq"];
    let mut refused = dial(&lab, &rasd.dir, "bad.log", "pptp", &bad);
    let _ = refused.0.wait();
    let summary = (0..40).find_map(|_| {
        std::thread::sleep(Duration::from_millis(100));
        let log = rasd.log();
        let line = log
            .lines()
            .rev()
            .find(|l| l.contains("failed ("))?
            .to_owned();
        Some(line)
    });
    let log = rasd.log();
    let summary = summary.unwrap_or_else(|| panic!("no summary line with a failure:\n{log}"));
    assert!(summary.contains("sessions: 1 up,"), "{summary}");
    assert!(
        summary.contains("1 failed (authentication failed: 1)"),
        "{summary}"
    );
    let came_up: u64 = log
        .lines()
        .filter_map(|l| {
            l.split(" came up")
                .next()?
                .rsplit(", ")
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum();
    assert_eq!(
        came_up, 1,
        "one session came up in all the summaries:\n{log}"
    );
    sigterm(&client.0);
    let _ = client.0.wait();
    assert!(rasd.stop(), "rasd did not exit cleanly:\n{}", rasd.log());
}
