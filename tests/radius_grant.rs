//! What a real FreeRADIUS's Access-Accept grants, applied: Framed-IP-Address (inside the pool,
//! outside it with its own route, refused when taken or ours, 255.255.255.254 from the pool,
//! 255.255.255.255 the client's choice when free), Framed-Pool (a `[[ip.pool]]`), Framed-Route
//! (a network behind the client reachable through its session while it lives),
//! Session-Timeout and Idle-Timeout (the session ends on time with that cause in the history),
//! the MS DNS servers in IPCP, Framed-MTU (TCP MSS clamp) and Class (kept for accounting).

mod e2e;

use std::time::{Duration, Instant};

use e2e::daemon::{dial, wait_line, Daemon, Reaper};
use e2e::freeradius::{FreeRadius, SECRET};
use e2e::netns::Lab;

fn radius_server() -> String {
    format!("address = \"127.0.0.1\"\nsecret = \"{SECRET}\"")
}

/// A FreeRADIUS `users` entry: `user` with password `pw` and the reply items `items`.
fn user(name: &str, items: &[&str]) -> String {
    let mut entry = format!("{name}\tCleartext-Password := \"pw\"");
    if !items.is_empty() {
        entry += &format!("\n\t{}", items.join(",\n\t"));
    }
    entry + "\n\n"
}

/// `user` dials PPTP through TUN `tun`; the client and its `connected` line, if any.
fn connect(lab: &Lab, rasd: &Daemon, user: &str, tun: &str) -> (Reaper, Option<String>) {
    connect_with(lab, rasd, user, tun, &[])
}

/// [`connect`] with more `rasd dial` arguments.
fn connect_with(
    lab: &Lab,
    rasd: &Daemon,
    user: &str,
    tun: &str,
    extra: &[&str],
) -> (Reaper, Option<String>) {
    let mut args = vec!["--user", user, "--password", "pw", "--tun", tun];
    args.extend_from_slice(extra);
    let mut client = dial(lab, &rasd.dir, &format!("{user}.log"), "pptp", &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(15));
    (client, line)
}

/// The history's stop record of `user`, waiting up to `timeout` for it.
fn stop_of(rasd: &Daemon, user: &str, timeout: Duration) -> Option<serde_json::Value> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        let stop = rasd
            .history()
            .into_iter()
            .find(|r| r["event"] == "stop" && r["user"] == user);
        if stop.is_some() {
            return stop;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// The server namespace's route to `addr`, empty when there is none.
fn route_to(lab: &Lab, addr: &str) -> String {
    let out = lab
        .exec(&lab.srv, "ip")
        .args(["route", "show", addr])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn framed_ip_address_is_the_clients_while_the_session_lives() {
    let lab = Lab::new("rasdga");
    let users = [
        user("bob", &["Framed-IP-Address = 192.0.2.15"]),
        user("carol", &["Framed-IP-Address = 192.0.2.15"]),
        user("dave", &["Framed-IP-Address = 192.0.2.99"]),
        user("erin", &["Framed-IP-Address = 192.0.2.1"]),
        user("fred", &["Framed-IP-Address = 255.255.255.254"]),
    ]
    .concat();
    let radius = FreeRadius::start(&lab, &lab.srv, "ga", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    let mut rasd = Daemon::start(&lab, "rasdga", &[("[[radius.server]]", &server)]);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());

    // A pool address: bob gets it and nobody else does while he holds it.
    let (bob, line) = connect(&lab, &rasd, "bob", "gab");
    let line = line.unwrap_or_else(|| panic!("bob did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.15"), "{line}");
    assert!(
        lab.ping_server_via("gab").status.success(),
        "{}",
        logs(&rasd)
    );
    let (carol, refused) = connect(&lab, &rasd, "carol", "gac");
    assert!(refused.is_none(), "two sessions with one address");
    drop(carol);
    assert!(
        rasd.log()
            .contains("Framed-IP-Address refused: 192.0.2.15 is held by another session"),
        "{}",
        logs(&rasd)
    );
    let (_fred, line) = connect(&lab, &rasd, "fred", "gaf");
    let line = line.unwrap_or_else(|| panic!("fred did not connect\n{}", logs(&rasd)));
    assert!(
        line.contains("address=192.0.2.10"),
        "255.255.255.254: the pool's first address: {line}"
    );

    // Given back when bob's session ends: carol may have it now.
    drop(bob);
    assert!(stop_of(&rasd, "bob", Duration::from_secs(10)).is_some());
    let (_carol, line) = connect(&lab, &rasd, "carol", "gac");
    let line = line.unwrap_or_else(|| panic!("carol did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.15"), "{line}");

    // Outside every pool: routed to the TUN device while the session lives, not after.
    let (dave, line) = connect(&lab, &rasd, "dave", "gad");
    let line = line.unwrap_or_else(|| panic!("dave did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.99"), "{line}");
    assert!(
        lab.ping_server_via("gad").status.success(),
        "{}",
        logs(&rasd)
    );
    assert!(route_to(&lab, "192.0.2.99").contains("dev rasdga0"));
    drop(dave);
    assert!(stop_of(&rasd, "dave", Duration::from_secs(10)).is_some());
    assert_eq!(route_to(&lab, "192.0.2.99"), "", "host route left behind");

    // Our own tunnel address is nobody's.
    let (_erin, refused) = connect(&lab, &rasd, "erin", "gae");
    assert!(refused.is_none(), "erin got our own address");
    assert!(
        rasd.log().contains("192.0.2.1 is our own tunnel address"),
        "{}",
        logs(&rasd)
    );
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn framed_ip_address_255_255_255_255_lets_the_client_choose_a_free_address() {
    let lab = Lab::new("rasdgu");
    let users = [
        user("gina", &["Framed-IP-Address = 255.255.255.255"]),
        user("harry", &["Framed-IP-Address = 255.255.255.255"]),
        user("bob", &[]),
    ]
    .concat();
    let radius = FreeRadius::start(&lab, &lab.srv, "gu", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    let mut rasd = Daemon::start(&lab, "rasdgu", &[("[[radius.server]]", &server)]);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());
    let asking = ["--address", "192.0.2.17"];

    let (_gina, line) = connect_with(&lab, &rasd, "gina", "gug", &asking);
    let line = line.unwrap_or_else(|| panic!("gina did not connect\n{}", logs(&rasd)));
    assert!(
        line.contains("address=192.0.2.17"),
        "her own choice: {line}"
    );
    assert!(
        lab.ping_server_via("gug").status.success(),
        "{}",
        logs(&rasd)
    );

    let (_harry, line) = connect_with(&lab, &rasd, "harry", "guh", &asking);
    let line = line.unwrap_or_else(|| panic!("harry did not connect\n{}", logs(&rasd)));
    assert!(
        line.contains("address=192.0.2.10"),
        "gina holds .17: the pool's address: {line}"
    );
    assert!(
        lab.ping_server_via("guh").status.success(),
        "{}",
        logs(&rasd)
    );

    // Outside every pool: not a client's to choose.
    let outside = ["--address", "192.0.2.99"];
    let (_harry2, line) = connect_with(&lab, &rasd, "harry", "guo", &outside);
    let line = line.unwrap_or_else(|| panic!("harry did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.11"), "{line}");

    // Without 255.255.255.255 the client's wish is not asked about.
    let ask = ["--address", "192.0.2.18"];
    let (_bob, line) = connect_with(&lab, &rasd, "bob", "gub", &ask);
    let line = line.unwrap_or_else(|| panic!("bob did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.12"), "{line}");
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn framed_pool_takes_the_address_from_that_named_pool() {
    let lab = Lab::new("rasdgp");
    let users = [
        user("ivy", &["Framed-Pool = \"gold\""]),
        user("jack", &["Framed-Pool = \"nope\""]),
    ]
    .concat();
    let radius = FreeRadius::start(&lab, &lab.srv, "gp", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    let overrides = [
        (
            "[[ip.pool]]",
            "name = \"gold\"\nranges = [\"192.0.2.100-192.0.2.101\"]",
        ),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdgp", &overrides);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());

    let (_ivy, line) = connect(&lab, &rasd, "ivy", "gpi");
    let line = line.unwrap_or_else(|| panic!("ivy did not connect\n{}", logs(&rasd)));
    assert!(line.contains("address=192.0.2.100"), "{line}");
    assert!(
        lab.ping_server_via("gpi").status.success(),
        "{}",
        logs(&rasd)
    );

    let (_jack, refused) = connect(&lab, &rasd, "jack", "gpj");
    assert!(
        refused.is_none(),
        "jack got in from a pool that does not exist"
    );
    assert!(
        rasd.log().contains("no pool is named `nope`"),
        "{}",
        logs(&rasd)
    );
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn framed_route_reaches_the_network_behind_the_client_while_it_lives() {
    let lab = Lab::new("rasdgr");
    let users = user("kim", &["Framed-Route = \"10.1.0.0/24 0.0.0.0 1\""]);
    let radius = FreeRadius::start(&lab, &lab.srv, "gr", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    let mut rasd = Daemon::start(&lab, "rasdgr", &[("[[radius.server]]", &server)]);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());
    // The network behind kim's router: one address of it on the client's loopback.
    e2e::netns::ip(&["-n", &lab.cli, "addr", "add", "10.1.0.1/32", "dev", "lo"]);
    let ping_behind = || {
        lab.exec(&lab.srv, "ping")
            .args(["-c", "2", "-W", "2", "10.1.0.1"])
            .output()
            .unwrap()
    };

    let (kim, line) = connect(&lab, &rasd, "kim", "grk");
    line.unwrap_or_else(|| panic!("kim did not connect\n{}", logs(&rasd)));
    assert!(route_to(&lab, "10.1.0.0/24").contains("dev rasdgr0"));
    let ping = ping_behind();
    assert!(
        ping.status.success(),
        "the server cannot reach kim's network: {}\n{}",
        String::from_utf8_lossy(&ping.stdout),
        logs(&rasd)
    );
    assert!(
        !rasd
            .log()
            .contains("client sent from an address not its own"),
        "replies from kim's network were taken for spoofing\n{}",
        rasd.log()
    );
    drop(kim);
    assert!(stop_of(&rasd, "kim", Duration::from_secs(10)).is_some());
    assert_eq!(route_to(&lab, "10.1.0.0/24"), "", "route left behind");
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn session_and_idle_timeouts_end_the_session_with_their_cause() {
    let lab = Lab::new("rasdgt");
    let users = [
        user("bob", &["Session-Timeout = 3"]),
        user("carol", &["Idle-Timeout = 3"]),
    ]
    .concat();
    let radius = FreeRadius::start(&lab, &lab.srv, "gt", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    // Keepalives every second: they must not count as traffic.
    let overrides = [
        ("ppp", "lcp_echo_interval = 1"),
        ("[[radius.server]]", server.as_str()),
    ];
    let rasd = Daemon::start(&lab, "rasdgt", &overrides);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());

    // Session-Timeout: traffic or not, the session ends 3 s after it came up.
    let (_bob, line) = connect(&lab, &rasd, "bob", "gtb");
    let up = Instant::now();
    line.unwrap_or_else(|| panic!("bob did not connect\n{}", logs(&rasd)));
    let stop = stop_of(&rasd, "bob", Duration::from_secs(2))
        .map(|_| "too early")
        .or_else(|| {
            assert!(lab.ping_server_via("gtb").status.success());
            stop_of(&rasd, "bob", Duration::from_secs(5)).map(|s| {
                assert_eq!(s["cause"], "session timeout", "{s}");
                "on time"
            })
        });
    assert_eq!(stop, Some("on time"), "{:?}\n{}", up.elapsed(), logs(&rasd));

    // Idle-Timeout: the session lives while it passes traffic, and ends 3 s after the last.
    let (_carol, line) = connect(&lab, &rasd, "carol", "gtc");
    line.unwrap_or_else(|| panic!("carol did not connect\n{}", logs(&rasd)));
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(1500));
        assert!(
            lab.ping_server_via("gtc").status.success(),
            "carol's traffic did not keep her session\n{}",
            logs(&rasd)
        );
    }
    let last = Instant::now();
    let stop = stop_of(&rasd, "carol", Duration::from_secs(8))
        .unwrap_or_else(|| panic!("carol's idle session lives on\n{}", logs(&rasd)));
    let idle = last.elapsed();
    assert_eq!(stop["cause"], "idle timeout", "{stop}");
    assert!(
        idle >= Duration::from_millis(2500) && idle < Duration::from_secs(6),
        "ended {idle:?} after the last traffic"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn dns_mtu_and_class_from_the_reply_apply_to_that_session() {
    let lab = Lab::new("rasdgd");
    let users = user(
        "bob",
        &[
            "MS-Primary-DNS-Server = 9.9.9.9",
            "MS-Secondary-DNS-Server = 9.9.9.10",
            "Framed-MTU = 1200",
            "Class = \"gold\"",
        ],
    );
    let radius = FreeRadius::start(&lab, &lab.srv, "gd", "127.0.0.1", "127.0.0.1", &users);
    let server = radius_server();
    let overrides = [
        ("ip", "dns = [\"192.0.2.53\"]"),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdgd", &overrides);
    let logs = |rasd: &Daemon| format!("{}\n{}", rasd.log(), radius.log());

    let (_bob, line) = connect(&lab, &rasd, "bob", "gdb");
    let line = line.unwrap_or_else(|| panic!("bob did not connect\n{}", logs(&rasd)));
    assert!(line.contains("dns=9.9.9.9,9.9.9.10"), "{line}");
    assert!(
        lab.ping_server_via("gdb").status.success(),
        "{}",
        logs(&rasd)
    );
    let log = rasd.log();
    assert!(
        log.contains("Framed-MTU: TCP MSS clamped") && log.contains("mss=1160"),
        "{log}"
    );
    assert!(log.contains("classes=1"), "{log}");

    // alice (FreeRADIUS knows her too) has no DNS in her reply: she gets `[ip] dns`.
    let (_alice, line) = {
        let args = ["--user", "alice", "--password", "secret123", "--tun", "gda"];
        let mut client = dial(&lab, &rasd.dir, "alice.log", "pptp", &args);
        let line = wait_line(&mut client.0, "connected", Duration::from_secs(15));
        (client, line)
    };
    let line = line.unwrap_or_else(|| panic!("alice did not connect\n{}", logs(&rasd)));
    assert!(line.contains("dns=192.0.2.53"), "{line}");
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}
