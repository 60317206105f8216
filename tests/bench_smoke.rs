//! A small bounded run of the load generator against a real daemon: 500 L2TP sessions over 5
//! tunnels and 20 PPTP calls, all MS-CHAPv2 + MPPE-128, each passing probe traffic for a few
//! seconds. Every session must come up, every probe come back intact, every session be torn
//! down cleanly (LCP Terminate, CDN or Call-Clear, StopCCN or Stop-Control-Connection all
//! answered), and the daemon must have a stop record, ended by the client, for every start.
//! Figures are printed, never asserted.

mod e2e;

use std::process::Output;
use std::time::{Duration, Instant};

use e2e::daemon::{Daemon, RASD};
use e2e::netns::Lab;

/// `rasd bench` in the client namespace with `--json --check` and these arguments.
fn bench(lab: &Lab, args: &[&str]) -> (Output, serde_json::Value) {
    let common = [
        "198.51.100.1",
        "--user",
        "alice",
        "--password",
        "secret123",
        "--auth",
        "mschapv2",
        "--mppe",
        "128",
        "--hold",
        "3",
        "--packet-size",
        "1000",
        "--packets-per-second",
        "5",
        "--setup-timeout",
        "60",
        "--json",
        "--check",
    ];
    let out = lab
        .exec(&lab.cli, RASD)
        .arg("bench")
        .args(args)
        .args(common)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, report)
}

/// Checks a run's report: all up, nothing dropped, every probe back intact, all torn down cleanly.
fn assert_all_good(what: &str, out: &Output, r: &serde_json::Value, sessions: u64) {
    let context = format!("{what}: {r:#}\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(r["up"], sessions, "every session came up: {context}");
    assert_eq!(r["failed"], 0, "{context}");
    assert_eq!(r["dropped_during_hold"], 0, "{context}");
    let t = &r["traffic"];
    assert!(
        t["sent_packets"].as_u64().unwrap_or(0) >= sessions * 10,
        "{context}"
    );
    assert_eq!(
        t["received_packets"], t["sent_packets"],
        "every probe came back: {context}"
    );
    assert_eq!(t["received_bytes"], t["sent_bytes"], "{context}");
    assert_eq!(t["corrupt_packets"], 0, "{context}");
    assert_eq!(r["clean_teardowns"], sessions, "{context}");
    assert!(out.status.success(), "--check passed: {context}");
    println!(
        "{what}: {} sessions up at {} sessions/s (p50 {} µs, p99 {} µs), {} probes back intact, generator {} ms CPU",
        r["up"], r["setup_rate_per_s"], r["setup_us_p50"], r["setup_us_p99"], t["received_packets"], r["generator_cpu_ms"]
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn five_hundred_l2tp_sessions_and_twenty_pptp_calls_come_up_pass_traffic_and_go() {
    let lab = Lab::new("rasdbs");
    let mut rasd = Daemon::start(
        &lab,
        "rasdbs",
        &[
            ("ip", "pools = [\"198.18.0.0/22\"]"),
            ("server", "max_sessions = 2000"),
            ("l2tp", "max_sessions_per_tunnel = 1000"),
            ("pptp", "max_connections_per_peer = 64"),
        ],
    );

    let (out, l2tp) = bench(&lab, &["l2tp", "--tunnels", "5", "--sessions", "100"]);
    assert_all_good("l2tp", &out, &l2tp, 500);
    let (out, pptp) = bench(&lab, &["pptp", "--sessions", "20"]);
    assert_all_good("pptp", &out, &pptp, 20);

    // The server saw the same: a start and a stop for each of the 520, ended by the peer.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut history = rasd.history();
    while history.iter().filter(|l| l["event"] == "stop").count() < 520 && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(200));
        history = rasd.history();
    }
    let count = |event: &str, protocol: &str| {
        history
            .iter()
            .filter(|l| l["event"] == event && l["protocol"] == protocol)
            .count()
    };
    assert_eq!((count("start", "l2tp"), count("stop", "l2tp")), (500, 500));
    assert_eq!((count("start", "pptp"), count("stop", "pptp")), (20, 20));
    // Ended by the client: its LCP Terminate-Request, its CDN, its StopCCN (which clears the
    // sessions whose CDN had not gone yet) or its Call-Clear-Request, whichever the server saw
    // first; never a timeout or the server's own doing.
    let by_client = |cause: &str| {
        cause == "peer closed"
            || cause.starts_with("L2TP session ended: peer CDN")
            || cause.starts_with("L2TP session ended: peer StopCCN")
            || cause == "call cleared: peer sent Call-Clear-Request"
    };
    let other: Vec<_> = history
        .iter()
        .filter(|l| l["event"] == "stop" && !by_client(l["cause"].as_str().unwrap_or("")))
        .take(3)
        .collect();
    assert!(
        other.is_empty(),
        "every session ended by its client: {other:?}"
    );
    assert!(rasd.alive(), "the daemon runs on:\n{}", rasd.log());
    assert!(rasd.stop(), "and stops cleanly");
}
