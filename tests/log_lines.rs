//! At info level each session makes one line when it comes up and one when it ends (with its
//! cause and counters); everything else about it is at debug. A PPTP and an L2TP client
//! connect, pass a ping and hang up.

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, sigterm, wait_line, Daemon};
use e2e::netns::Lab;

/// Lines about the daemon itself rather than a session.
const DAEMON_LINES: [&str; 6] = [
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
