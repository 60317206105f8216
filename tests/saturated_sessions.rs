//! Sessions saturated with traffic stay up. Four sessions (PPTP with stateful and with
//! stateless MPPE-128, two L2TP sessions in one tunnel with MPPE-128) each get a UDP flood in
//! both directions, far more than the path carries, for 20 s, while the server sends an LCP
//! Echo-Request every second and gives a peer up after three unanswered: echoes and their
//! replies are lost in the flood, so only counting the flood itself as the client's liveness
//! (and sending control frames ahead of data) keeps the sessions alive. Every session must
//! survive the flood, still pass a ping after it, and end only when its client hangs up.
//! Figures are printed, never asserted.

mod e2e;

use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};

use e2e::daemon::{dial, field, sigterm, wait_line, wait_lines, Daemon, Reaper};
use e2e::netns::Lab;
use socket2::{Domain, Socket, Type};

/// How long each session is flooded.
const FLOOD: Duration = Duration::from_secs(20);
/// UDP payload of each flood packet (a 1400-byte IP packet: the tunnels' MTU).
const PAYLOAD: usize = 1372;
/// Port the floods are sent to (a socket there that is never read, so no ICMP comes back).
const SINK_PORT: u16 = 9000;
/// The rate of the link between client and server, each way.
const LINK_RATE: &str = "40mbit";
/// The server's end of every session.
const SERVER_END: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);

/// One session as its dial client printed it.
struct Session {
    tun: String,
    address: Ipv4Addr,
}

/// A UDP socket bound to `local` (on `device` when given).
fn udp(local: SocketAddrV4, device: Option<&str>) -> Socket {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, None).expect("UDP socket");
    if let Some(dev) = device {
        s.bind_device(Some(dev.as_bytes()))
            .expect("SO_BINDTODEVICE");
    }
    s.bind(&local.into()).expect("bind");
    s
}

/// One direction of the flood, on a thread in namespace `ns`: `sinks` are bound there first
/// (the other direction's receivers), then each (device, from, to) flow gets packets in turn
/// until `FLOOD` has passed. Returns how many packets the kernel took.
fn flood(
    lab: &Lab,
    ns: &str,
    flows: Vec<(Option<String>, SocketAddrV4, SocketAddrV4)>,
    sinks: Vec<(Option<String>, SocketAddrV4)>,
) -> std::thread::JoinHandle<u64> {
    lab.in_ns(ns, move || {
        let _sinks: Vec<Socket> = sinks.iter().map(|(d, a)| udp(*a, d.as_deref())).collect();
        let socks: Vec<Socket> = flows
            .iter()
            .map(|(dev, from, to)| {
                let s = udp(*from, dev.as_deref());
                s.connect(&(*to).into()).expect("connect");
                s.set_nonblocking(true).expect("nonblocking");
                s
            })
            .collect();
        let payload = [0x5au8; PAYLOAD];
        let until = Instant::now() + FLOOD;
        let mut sent = 0u64;
        while Instant::now() < until {
            for s in &socks {
                for _ in 0..32 {
                    if s.send(&payload).is_ok() {
                        sent += 1;
                    }
                }
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        sent
    })
}

/// Stop records in the history so far.
fn stops(rasd: &Daemon) -> Vec<serde_json::Value> {
    rasd.history()
        .into_iter()
        .filter(|l| l["event"] == "stop")
        .collect()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn saturated_sessions_survive_their_echo_timeouts() {
    let lab = Lab::new("rasdsat");
    // The link between client and server is the bottleneck, as an access line is: its queue
    // drops what the flood brings beyond its rate, control and data alike.
    for (ns, dev) in [(&lab.srv, "rasdsats"), (&lab.cli, "rasdsatc")] {
        lab.run(
            ns,
            &[
                "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", LINK_RATE, "burst",
                "32kb", "latency", "50ms",
            ],
        );
    }
    let mut rasd = Daemon::start(
        &lab,
        "rasdsat",
        &[
            ("ppp", "lcp_echo_interval = 1"),
            ("ppp", "lcp_echo_failures = 3"),
        ],
    );
    let creds = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--mppe",
        "128",
    ];
    let clients: Vec<(&str, Vec<&str>, usize)> = vec![
        ("pptp", vec!["--tun", "satp1", "--stateful"], 1),
        ("pptp", vec!["--tun", "satp2"], 1),
        ("l2tp", vec!["--tun", "satl", "--sessions", "2"], 2),
    ];
    let mut dials: Vec<Reaper> = Vec::new();
    let mut sessions = Vec::new();
    for (i, (protocol, args, count)) in clients.iter().enumerate() {
        let args = [&creds[..], args].concat();
        let mut client = dial(&lab, &rasd.dir, &format!("dial{i}.log"), protocol, &args);
        let lines = if *count == 1 {
            wait_line(&mut client.0, "connected", Duration::from_secs(20))
                .into_iter()
                .collect()
        } else {
            wait_lines(&mut client.0, "connected", *count, Duration::from_secs(20))
        };
        assert_eq!(
            lines.len(),
            *count,
            "{protocol} {args:?} connected\n{}",
            rasd.log()
        );
        for line in &lines {
            let tun = line
                .split_whitespace()
                .find_map(|w| w.strip_prefix("tun="))
                .unwrap_or(args[args.iter().position(|a| *a == "--tun").unwrap() + 1]);
            sessions.push(Session {
                tun: tun.to_string(),
                address: field(line, "address").parse().unwrap(),
            });
        }
        dials.push(client);
    }
    let logs = |rasd: &Daemon| {
        let dials: String = (0..clients.len())
            .map(|i| format!("--- dial{i}:\n{}\n", rasd.read(&format!("dial{i}.log"))))
            .collect();
        format!("--- rasd:\n{}\n{dials}", rasd.log())
    };
    for s in &sessions {
        assert!(
            lab.ping_server_via(&s.tun).status.success(),
            "{} passes a ping before the flood\n{}",
            s.tun,
            logs(&rasd)
        );
    }

    // Both directions at once: client → server's end through each session, and back.
    let sink = SocketAddrV4::new(SERVER_END, SINK_PORT);
    let up = flood(
        &lab,
        &lab.cli,
        sessions
            .iter()
            .map(|s| (Some(s.tun.clone()), SocketAddrV4::new(s.address, 0), sink))
            .collect(),
        sessions
            .iter()
            .map(|s| (Some(s.tun.clone()), SocketAddrV4::new(s.address, SINK_PORT)))
            .collect(),
    );
    let down = flood(
        &lab,
        &lab.srv,
        sessions
            .iter()
            .map(|s| {
                let to = SocketAddrV4::new(s.address, SINK_PORT);
                (None, SocketAddrV4::new(SERVER_END, 0), to)
            })
            .collect(),
        vec![(None, sink)],
    );
    let started = Instant::now();
    while started.elapsed() < FLOOD {
        std::thread::sleep(Duration::from_secs(1));
        let ended = stops(&rasd);
        assert!(
            ended.is_empty(),
            "a session ended during the flood: {ended:?}\n{}",
            logs(&rasd)
        );
    }
    let (sent_up, sent_down) = (up.join().unwrap(), down.join().unwrap());

    // After it: every session is still up and passes traffic.
    std::thread::sleep(Duration::from_secs(2));
    for s in &sessions {
        let ping = lab.ping_server_via(&s.tun);
        assert!(
            ping.status.success(),
            "{} passes a ping after the flood: {}\n{}",
            s.tun,
            String::from_utf8_lossy(&ping.stdout),
            logs(&rasd)
        );
    }
    assert!(
        !rasd.log().contains("lcp echo timeout"),
        "no session timed out\n{}",
        logs(&rasd)
    );

    // The clients hang up: one stop record each, ended by the client, with the flood counted.
    for d in &dials {
        sigterm(&d.0);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut ended = stops(&rasd);
    while ended.len() < sessions.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        ended = stops(&rasd);
    }
    assert_eq!(ended.len(), sessions.len(), "{ended:?}\n{}", logs(&rasd));
    let (mut got_up, mut got_down) = (0u64, 0u64);
    for s in &sessions {
        let stop = ended
            .iter()
            .find(|l| l["address"] == s.address.to_string())
            .unwrap_or_else(|| panic!("no stop record for {}: {ended:?}", s.address));
        let cause = stop["cause"].as_str().unwrap_or("");
        assert!(
            cause == "peer closed"
                || cause.starts_with("L2TP session ended: peer")
                || cause == "call cleared: peer sent Call-Clear-Request",
            "{} ended by its client, not {cause:?}",
            s.tun
        );
        let (pin, pout) = (
            stop["packets_in"].as_u64().unwrap(),
            stop["packets_out"].as_u64().unwrap(),
        );
        println!(
            "{} ({}): {pin} packets from the client, {pout} to it",
            s.tun, stop["protocol"]
        );
        assert!(
            pin >= 1000 && pout >= 1000,
            "{}: the flood went through both ways: {stop}",
            s.tun
        );
        got_up += pin;
        got_down += pout;
    }
    println!(
        "flood: {sent_up} packets offered up, {got_up} reached the server; \
         {sent_down} offered down, {got_down} sent to the clients"
    );
    assert!(
        sent_up + sent_down > got_up + got_down,
        "the flood offered more than the sessions carried (they were saturated)"
    );
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", logs(&rasd));
}
