//! Bad input against a running daemon: malformed control messages, a connection that says
//! nothing, too many connections from one address, GRE for calls that do not exist. Each gets
//! a logged reason and a bounded reaction, and the daemon goes on serving good clients.

mod e2e;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use e2e::daemon::{assert_serves_a_good_client, dial, Daemon};
use e2e::netns::Lab;

/// A valid PPTP control header (length, type 1, magic, message type) followed by zeroes.
fn control(len: u16, message_type: u16, magic: u32) -> Vec<u8> {
    let mut m = vec![0u8; usize::from(len.max(12))];
    m[0..2].copy_from_slice(&len.to_be_bytes());
    m[2..4].copy_from_slice(&1u16.to_be_bytes());
    m[4..8].copy_from_slice(&magic.to_be_bytes());
    m[8..10].copy_from_slice(&message_type.to_be_bytes());
    m
}

const MAGIC: u32 = 0x1A2B_3C4D;

/// Sends `bytes` on a fresh connection; returns how long the server took to close it.
fn closed_after(bytes: Vec<u8>, wait: Duration) -> Option<Duration> {
    let mut s = TcpStream::connect("198.51.100.1:1723").unwrap();
    let t0 = Instant::now();
    s.write_all(&bytes).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(t0.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Some(t0.elapsed()),
            Err(_) => return None,
        }
    }
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn bad_control_input_is_refused_and_the_daemon_keeps_serving() {
    let lab = Lab::new("rasdbad");
    let mut rasd = Daemon::start(&lab, "rasdbad", &[("pptp", "max_connections_per_peer = 4")]);

    // Malformed messages: each closes its connection at once, with the reason logged.
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("wrong magic cookie", control(156, 1, 0xDEAD_BEEF)),
        ("declared length too large", control(2000, 1, MAGIC)),
        (
            "declared length shorter than the header",
            control(8, 1, MAGIC),
        ),
        ("unknown control message type", control(16, 99, MAGIC)),
        (
            "length does not match the message type",
            control(40, 1, MAGIC),
        ),
    ];
    let cases_for_thread = cases.clone();
    let closes = lab
        .in_ns(&lab.cli, move || {
            cases_for_thread
                .into_iter()
                .map(|(_, bytes)| closed_after(bytes, Duration::from_secs(3)))
                .collect::<Vec<_>>()
        })
        .join()
        .unwrap();
    for ((reason, _), closed) in cases.iter().zip(&closes) {
        assert!(
            closed.is_some(),
            "connection with `{reason}` was not closed"
        );
        assert!(
            rasd.log().contains(reason),
            "`{reason}` not logged:\n{}",
            rasd.log()
        );
    }

    // A truncated message followed by silence, and connections that say nothing: four are
    // admitted (the per-peer limit), a fifth is refused at once, and the silent ones are closed
    // by the setup timeout.
    let (refused, silent) = lab
        .in_ns(&lab.cli, || {
            let mut held: Vec<TcpStream> = Vec::new();
            let mut first = TcpStream::connect("198.51.100.1:1723").unwrap();
            first.write_all(&control(156, 1, MAGIC)[..40]).unwrap();
            held.push(first);
            for _ in 0..3 {
                held.push(TcpStream::connect("198.51.100.1:1723").unwrap());
            }
            std::thread::sleep(Duration::from_millis(300));
            let refused = closed_after(Vec::new(), Duration::from_secs(2));
            let silent: Vec<Option<Duration>> = held
                .into_iter()
                .map(|mut s| {
                    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
                    let t0 = Instant::now();
                    let mut buf = [0u8; 64];
                    match s.read(&mut buf) {
                        Ok(0) => Some(t0.elapsed()),
                        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                            Some(t0.elapsed())
                        }
                        _ => None,
                    }
                })
                .collect();
            (refused, silent)
        })
        .join()
        .unwrap();
    assert!(
        refused.is_some_and(|d| d < Duration::from_secs(1)),
        "fifth connection not refused"
    );
    assert!(
        rasd.log().contains("too many from this address"),
        "refusal not logged"
    );
    assert!(
        silent.iter().all(Option::is_some),
        "silent connections were not closed: {silent:?}"
    );
    assert!(
        rasd.log().contains("setup timeout"),
        "setup timeout not logged:\n{}",
        rasd.log()
    );

    // GRE for a call that does not exist is dropped.
    lab.in_ns(&lab.cli, || {
        let sock = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::RAW,
            Some(socket2::Protocol::from(47)),
        )
        .unwrap();
        let dst: std::net::SocketAddr = "198.51.100.1:0".parse().unwrap();
        let gre = [
            0x30, 0x81, 0x88, 0x0b, 0x00, 0x04, 0x12, 0x34, 0, 0, 0, 1, 0xff, 0x03, 0xc0, 0x21,
        ];
        for _ in 0..5 {
            sock.send_to(&gre, &dst.into()).unwrap();
        }
        sock.send_to(&[0x30, 0x81], &dst.into()).unwrap();
    })
    .join()
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        rasd.log().contains("GRE packet for no known call"),
        "unknown GRE not logged"
    );

    // The daemon is still up and serves a good client.
    assert_serves_a_good_client(&lab, &mut rasd, "pptp", "rasdbadc0");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn wrong_password_is_refused_with_691_and_logged() {
    let lab = Lab::new("rasdpw");
    let mut rasd = Daemon::start(&lab, "rasdpw", &[]);
    let args = [
        "--user",
        "alice",
        "--password",
        "wrong",
        "--tun",
        "rasdpwc0",
    ];
    let mut client = dial(&lab, &rasd.dir, "dial.log", "pptp", &args);
    let status = wait_exit(&mut client.0, Duration::from_secs(30));
    assert_eq!(
        status.map(|s| s.success()),
        Some(false),
        "client should fail and exit"
    );
    let dial_log = rasd.read("dial.log");
    assert!(
        dial_log.contains("E=691"),
        "the client saw no 691 failure:\n{dial_log}"
    );
    assert!(
        rasd.log()
            .lines()
            .any(|l| l.contains("authentication failed") && l.contains("alice")),
        "rasd did not log the failure with the user:\n{}",
        rasd.log()
    );
    assert!(
        rasd.history().is_empty(),
        "a refused session has no history record"
    );
    assert!(rasd.stop());
}

fn wait_exit(
    child: &mut std::process::Child,
    timeout: Duration,
) -> Option<std::process::ExitStatus> {
    let t0 = Instant::now();
    while t0.elapsed() < timeout {
        if let Some(st) = child.try_wait().unwrap() {
            return Some(st);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn total_control_connections_are_capped() {
    let lab = Lab::new("rasdcap");
    // max_sessions = 1 allows two control connections in all.
    let mut rasd = Daemon::start(&lab, "rasdcap", &[("server", "max_sessions = 1")]);
    let refused = lab
        .in_ns(&lab.cli, || {
            let held: Vec<TcpStream> = (0..2)
                .map(|_| TcpStream::connect("198.51.100.1:1723").unwrap())
                .collect();
            std::thread::sleep(Duration::from_millis(300));
            let refused = closed_after(Vec::new(), Duration::from_secs(2));
            drop(held);
            refused
        })
        .join()
        .unwrap();
    assert!(
        refused.is_some_and(|d| d < Duration::from_secs(1)),
        "third connection not refused"
    );
    assert!(
        rasd.log().contains("too many control connections in total"),
        "refusal not logged:\n{}",
        rasd.log()
    );
    assert!(rasd.stop());
}
