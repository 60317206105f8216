//! A client may only send from the address it was given: packets with another source are
//! dropped (and logged once), its own traffic still flows.

mod e2e;

use std::time::Duration;

use e2e::daemon::{dial, wait_line, Daemon};
use e2e::netns::Lab;

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn packets_from_a_foreign_source_address_are_dropped() {
    let lab = Lab::new("rasdspf");
    let rasd = Daemon::start(&lab, "rasdspf", &[]);
    let args = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--tun",
        "spft",
    ];
    let mut client = dial(&lab, &rasd.dir, "dial.log", "l2tp", &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    assert!(line.is_some(), "client did not connect\n{}", rasd.log());
    let ping = |source: &str| lab.ping_server_via(source).status.success();
    assert!(ping("192.0.2.10"), "own address\n{}", rasd.log());
    // Another pool address, as if the client pretended to be someone else.
    let add = lab
        .exec(&lab.cli, "ip")
        .args(["addr", "add", "192.0.2.11/32", "dev", "spft"])
        .status()
        .unwrap();
    assert!(add.success());
    assert!(!ping("192.0.2.11"), "a spoofed source got through");
    let log = rasd.log();
    assert!(
        log.contains("client sent from an address not its own") && log.contains("192.0.2.11"),
        "{log}"
    );
    assert!(ping("192.0.2.10"), "own address after the spoofing\n{log}");
}
