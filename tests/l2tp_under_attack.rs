//! L2TP faults found under load and attack, each with a witness session that must survive:
//! the StopCCN of a hanging-up LAC is acknowledged, and again when it comes again after the
//! tunnel closed (from the record rasd keeps of it, not from another port); messages for an
//! established tunnel from another port are dropped and counted; a burst of forged SCCRQs from
//! hundreds of addresses neither stalls established PPTP and L2TP sessions nor locks a real LAC
//! out.

mod e2e;

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use e2e::daemon::{dial, sigterm, Daemon, Reaper};
use e2e::forge::{addresses, raw_ipv4, sccrq, send_udp};
use e2e::netns::Lab;
use l2tpd::avp::{result, AvpValue, ResultCode};
use l2tpd::data::DataChannel;
use l2tpd::header::Header;
use l2tpd::message::{ControlMessage, MessageType};
use l2tpd::tunnel::{Role, Tunnel, TunnelConfig, TunnelEvent, MAX_DATAGRAM};
use rand::{rngs::StdRng, SeedableRng};

const SERVER: SocketAddrV4 = SocketAddrV4::new(Ipv4Addr::new(198, 51, 100, 1), 1701);

/// Every stdout line of a dial client, as it comes.
fn stdout_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// The first line starting with `prefix` within `timeout`.
fn next_line(lines: &mpsc::Receiver<String>, prefix: &str, timeout: Duration) -> Option<String> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines.recv_timeout(left).ok()?;
        if line.starts_with(prefix) {
            return Some(line);
        }
    }
}

/// `rasd dial l2tp` as alice on TUN `tun`, connected; with its stdout lines.
fn connect_l2tp(lab: &Lab, rasd: &Daemon, tun: &str) -> (Reaper, mpsc::Receiver<String>) {
    let args = ["--user", "alice", "--password", "secret123", "--tun", tun];
    let mut client = dial(lab, &rasd.dir, &format!("{tun}.log"), "l2tp", &args);
    let lines = stdout_lines(&mut client.0);
    let up = next_line(&lines, "connected", Duration::from_secs(20));
    assert!(
        up.is_some(),
        "{tun} did not connect\n{}\n{}",
        rasd.log(),
        rasd.read(&format!("{tun}.log"))
    );
    (client, lines)
}

/// The value of `key=` in the last log line containing `what`.
fn log_field(log: &str, what: &str, key: &str) -> Option<String> {
    let line = log.lines().rev().find(|l| l.contains(what))?;
    let value = line.split(&format!(" {key}=")).nth(1)?.split(' ').next()?;
    Some(value.to_owned())
}

/// `count` pings over `dev`; how many were answered.
fn pings_answered(lab: &Lab, dev: &str, count: u32) -> u32 {
    let out = lab
        .exec(&lab.cli, "ping")
        .args([
            "-c",
            &count.to_string(),
            "-i",
            "0.2",
            "-W",
            "1",
            "-I",
            dev,
            "192.0.2.1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split(" received")
        .next()
        .and_then(|s| s.rsplit(", ").next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_hanging_up_lac_sees_its_stopccn_acknowledged() {
    let lab = Lab::new("rasdstp");
    let mut rasd = Daemon::start(&lab, "rasdstp", &[]);
    let (client, lines) = connect_l2tp(&lab, &rasd, "stpt");
    sigterm(&client.0);
    let closed = next_line(&lines, "tunnel closed:", Duration::from_secs(10));
    let logs = format!("{}\n{}", rasd.log(), rasd.read("stpt.log"));
    let closed = closed.unwrap_or_else(|| panic!("no tunnel closed line\n{logs}"));
    assert_eq!(
        closed, "tunnel closed: sent StopCCN: user hung up, acknowledged",
        "\n{logs}"
    );
    // rasd logs the close right after the acknowledgement went out.
    let logged = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        rasd.log().contains("tunnel closed: peer StopCCN")
    });
    assert!(logged, "{logs}");
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
    let history = rasd.history();
    assert_eq!(history.len(), 2, "one start, one stop: {history:?}");
}

/// Drives `lac` over `sock` (connected to the server) until `done` holds for one of its events,
/// within 5 s; false if it never did.
fn drive_lac(sock: &UdpSocket, lac: &mut Tunnel, done: impl Fn(&TunnelEvent) -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; MAX_DATAGRAM];
    while Instant::now() < deadline {
        while let Some(n) = lac.poll_transmit(Instant::now(), &mut buf) {
            sock.send(&buf[..n]).unwrap();
        }
        while let Some(event) = lac.poll_event() {
            if done(&event) {
                return true;
            }
        }
        match sock.recv(&mut buf) {
            Ok(n) => lac.handle_control(Instant::now(), &buf[..n]),
            Err(_) => lac.handle_timeout(Instant::now()),
        }
    }
    false
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_lac_whose_stopccn_ack_was_lost_is_acknowledged_again() {
    let lab = Lab::new("rasdlng");
    let mut rasd = Daemon::start(&lab, "rasdlng", &[]);
    const LAC_TID: u16 = 0x4242;
    let (first, again, stranger) = lab
        .in_ns(&lab.cli, || {
            let sock = UdpSocket::bind("198.51.100.2:0").unwrap();
            sock.connect(SERVER).unwrap();
            sock.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let cfg = TunnelConfig {
                role: Role::Lac,
                ..TunnelConfig::default()
            };
            let now = Instant::now();
            let mut lac = Tunnel::new(cfg, LAC_TID, now, StdRng::seed_from_u64(7));
            lac.start(now);
            let up = drive_lac(&sock, &mut lac, |e| {
                matches!(e, TunnelEvent::Established { .. })
            });
            assert!(up, "the tunnel did not come up");
            lac.shutdown(Instant::now(), "hanging up");
            let mut buf = [0u8; MAX_DATAGRAM];
            let n = lac
                .poll_transmit(Instant::now(), &mut buf)
                .expect("StopCCN");
            let stop = buf[..n].to_vec();
            let ack = |sock: &UdpSocket| {
                let mut zlb = [0u8; 64];
                sock.recv(&mut zlb).ok().map(|n| zlb[..n].to_vec())
            };
            sock.send(&stop).unwrap();
            let first = ack(&sock);
            // That ack is "lost": the LAC sends its StopCCN again, long after rasd closed the
            // tunnel, and once more from another port.
            std::thread::sleep(Duration::from_secs(2));
            sock.send(&stop).unwrap();
            let again = ack(&sock);
            let other = UdpSocket::bind("198.51.100.2:0").unwrap();
            other.connect(SERVER).unwrap();
            other
                .set_read_timeout(Some(Duration::from_millis(500)))
                .unwrap();
            other.send(&stop).unwrap();
            (first, again, ack(&other))
        })
        .join()
        .unwrap();
    let log = rasd.log();
    let first = first.unwrap_or_else(|| panic!("the StopCCN was not acknowledged\n{log}"));
    let (header, body) = Header::parse(&first).unwrap();
    assert!(body.is_empty() && header.tunnel_id == LAC_TID, "{header:?}");
    assert_eq!(
        again.as_deref(),
        Some(&first[..]),
        "the retransmission is acknowledged with the same ZLB\n{log}"
    );
    assert_eq!(stranger, None, "answered another port\n{log}");
    assert_eq!(
        log.matches("tunnel closed: peer StopCCN").count(),
        1,
        "{log}"
    );
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn messages_for_a_tunnel_from_another_port_are_dropped() {
    let lab = Lab::new("rasdprt");
    let mut rasd = Daemon::start(&lab, "rasdprt", &[("ppp", "lcp_echo_interval = 1")]);
    let (mut client, _lines) = connect_l2tp(&lab, &rasd, "prtt");
    let log = rasd.log();
    let tunnel: u16 = log_field(&log, "L2TP session up", "tunnel")
        .unwrap()
        .parse()
        .unwrap();
    let session: u16 = log_field(&log, "L2TP session up", "l2tp_session")
        .unwrap()
        .parse()
        .unwrap();
    lab.in_ns(&lab.cli, move || {
        // Same address as the LAC, another port: a StopCCN with every plausible Ns, and a PPP
        // LCP Terminate-Request in a data message for its session.
        let sock = UdpSocket::bind("198.51.100.2:0").unwrap();
        let stop = ControlMessage::new(MessageType::StopCcn)
            .with(AvpValue::AssignedTunnelId(1))
            .with(AvpValue::ResultCode(ResultCode {
                result: result::STOPCCN_CLEAR,
                error: None,
                message: b"forged".to_vec(),
            }));
        for ns in 0..16 {
            let header = Header::control(tunnel, 0, ns, 0);
            let d = stop.to_datagram(&header, None, &[]).unwrap();
            sock.send_to(&d, SERVER).unwrap();
        }
        let terminate = [0xff, 0x03, 0xc0, 0x21, 0x05, 0x01, 0x00, 0x04];
        let mut data = DataChannel::new(tunnel, session, false);
        let mut buf = [0u8; 64];
        let n = data.encapsulate(&terminate, &mut buf).unwrap();
        sock.send_to(&buf[..n], SERVER).unwrap();
    })
    .join()
    .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        client.0.try_wait().unwrap().is_none(),
        "the witness hung up\n{}",
        rasd.log()
    );
    assert_eq!(
        pings_answered(&lab, "prtt", 3),
        3,
        "witness pings\n{}",
        rasd.log()
    );
    let log = rasd.log();
    assert!(log.contains("kind=\"l2tp_wrong_peer\""), "{log}");
    assert!(
        !log.contains("peer StopCCN"),
        "a forged StopCCN was taken\n{log}"
    );
    assert!(
        !log.contains("Terminate-Request"),
        "a forged Terminate was taken\n{log}"
    );
    drop(client);
    assert!(rasd.stop());
    let stopped = rasd.log();
    let total = log_field(
        &stopped,
        "dropped while running kind=\"l2tp_wrong_peer\"",
        "total",
    )
    .unwrap();
    assert_eq!(
        total, "17",
        "16 control and 1 data message dropped\n{stopped}"
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_burst_of_forged_sccrqs_spares_established_sessions_and_real_lacs() {
    let lab = Lab::new("rasdflo");
    // LCP echo every second, three misses: a stall of 3 s would end the witnesses.
    let echo = [
        ("ppp", "lcp_echo_interval = 1"),
        ("ppp", "lcp_echo_failures = 3"),
    ];
    let mut rasd = Daemon::start(&lab, "rasdflo", &echo);
    let (l2tp_witness, _l2tp_lines) = connect_l2tp(&lab, &rasd, "flol");
    let args = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--tun",
        "flop",
    ];
    let mut pptp_witness = dial(&lab, &rasd.dir, "flop.log", "pptp", &args);
    let pptp_lines = stdout_lines(&mut pptp_witness.0);
    assert!(
        next_line(&pptp_lines, "connected", Duration::from_secs(20)).is_some(),
        "PPTP witness did not connect\n{}",
        rasd.log()
    );

    // The burst: 8 SCCRQs from each of 192 forged addresses, 128 on the server's own subnet
    // (their SCCRPs wait for ARP that never resolves) and 64 off-link (no route back).
    let burst = lab.in_ns(&lab.cli, || {
        let sock = raw_ipv4();
        let on_link = addresses(Ipv4Addr::new(198, 51, 100, 100), 128);
        let off_link = addresses(Ipv4Addr::new(203, 0, 113, 1), 64);
        let sources: Vec<Ipv4Addr> = on_link.chain(off_link).collect();
        let mut sent = 0u32;
        for round in 0..8u16 {
            for (i, src) in sources.iter().enumerate() {
                let tid = 1 + round * 1000 + i as u16;
                send_udp(&sock, SocketAddrV4::new(*src, 1701), SERVER, &sccrq(tid));
                sent += 1;
            }
        }
        sent
    });
    // During the burst: the witnesses keep answering, and a real LAC gets a tunnel.
    let during = pings_answered(&lab, "flol", 10);
    let (late_lac, _late_lines) = connect_l2tp(&lab, &rasd, "flon");
    let sent = burst.join().unwrap();
    assert_eq!(sent, 1536);
    let pptp_during = pings_answered(&lab, "flop", 10);
    let log = rasd.log();
    assert!(
        during >= 9,
        "L2TP witness answered {during} of 10 pings\n{log}"
    );
    assert!(
        pptp_during >= 9,
        "PPTP witness answered {pptp_during} of 10\n{log}"
    );
    // After it: everyone is still up.
    std::thread::sleep(Duration::from_secs(4));
    for (dev, name) in [
        ("flol", "L2TP witness"),
        ("flop", "PPTP witness"),
        ("flon", "late LAC"),
    ] {
        assert_eq!(
            pings_answered(&lab, dev, 3),
            3,
            "{name} after the burst\n{}",
            rasd.log()
        );
    }
    let log = rasd.log();
    assert!(
        !log.contains("lcp echo timeout"),
        "a session timed out\n{log}"
    );
    assert!(
        log.contains("kind=\"l2tp_tunnel_refused\""),
        "excess SCCRQs counted\n{log}"
    );
    drop((l2tp_witness, pptp_witness, late_lac));
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}
