//! PPTP and L2TP sessions in one daemon at the same time: one pool (different addresses), one
//! data plane (both ping), one history (a start and a stop for each, by protocol).

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, sigterm, wait_line, Daemon};
use e2e::netns::Lab;

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn pptp_and_l2tp_share_pool_and_history() {
    let lab = Lab::new("rasdmix");
    let mut rasd = Daemon::start(&lab, "rasdmix", &[]);
    let creds = ["--user", "alice", "--password", "secret123"];
    let mut pptp = dial(
        &lab,
        &rasd.dir,
        "pptp.log",
        "pptp",
        &[&creds[..], &["--tun", "mixp"]].concat(),
    );
    let pptp_line = wait_line(&mut pptp.0, "connected", Duration::from_secs(20));
    let mut l2tp = dial(
        &lab,
        &rasd.dir,
        "l2tp.log",
        "l2tp",
        &[&creds[..], &["--tun", "mixl"]].concat(),
    );
    let l2tp_line = wait_line(&mut l2tp.0, "connected", Duration::from_secs(20));
    let logs = format!(
        "{}\n{}\n{}",
        rasd.log(),
        rasd.read("pptp.log"),
        rasd.read("l2tp.log")
    );
    let (pptp_line, l2tp_line) = (pptp_line.expect(&logs), l2tp_line.expect(&logs));
    assert!(pptp_line.contains("address=192.0.2.10"), "{pptp_line}");
    assert!(
        l2tp_line.contains("address=192.0.2.11"),
        "the L2TP client gets the next address: {l2tp_line}"
    );

    // Both reach the server's tunnel address, each through its own interface.
    for dev in ["mixp", "mixl"] {
        let ping = lab.ping_server_via(dev);
        assert!(
            ping.status.success(),
            "ping via {dev}: {}",
            String::from_utf8_lossy(&ping.stdout)
        );
    }

    sigterm(&pptp.0);
    sigterm(&l2tp.0);
    let _ = pptp.0.wait();
    let _ = l2tp.0.wait();
    std::thread::sleep(Duration::from_millis(500));
    assert!(rasd.stop(), "rasd did not exit cleanly:\n{}", rasd.log());
    let lines = rasd.history();
    let count = |event: &str, proto: &str| {
        lines
            .iter()
            .filter(|l| l["event"] == event && l["protocol"] == proto)
            .count()
    };
    for proto in ["pptp", "l2tp"] {
        assert_eq!(count("start", proto), 1, "one {proto} start: {lines:?}");
        assert_eq!(count("stop", proto), 1, "one {proto} stop: {lines:?}");
    }
}
