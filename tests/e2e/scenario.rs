//! One whole session through the lab: connect, ping, 1 MB each way byte-exact, hang up, and
//! the history's start and stop records.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use super::daemon::{dial, sigterm, wait_line, Daemon};
use super::netns::Lab;

fn pattern(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Connects, pings, moves 1 MB each way byte-exact, hangs up, and checks the history.
pub fn session_scenario(
    protocol: &str,
    tag: &str,
    server: &[(&str, &str)],
    client_args: &[&str],
    mppe: &str,
) {
    let lab = Lab::new(tag);
    let mut rasd = Daemon::start(&lab, tag, server);
    let tun = format!("{tag}t");
    let mut args = vec!["--user", "alice", "--password", "secret123", "--tun", &tun];
    args.extend_from_slice(client_args);
    let mut client = dial(&lab, &rasd.dir, "dial.log", protocol, &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    let logs = |rasd: &Daemon| {
        format!(
            "--- rasd:\n{}\n--- dial:\n{}",
            rasd.log(),
            rasd.read("dial.log")
        )
    };
    let line = line.unwrap_or_else(|| panic!("client did not connect\n{}", logs(&rasd)));
    assert!(
        line.contains("address=192.0.2.10"),
        "first pool address expected: {line}"
    );
    assert!(line.contains(mppe), "MPPE {mppe} expected: {line}");

    let ping = lab
        .exec(&lab.cli, "ping")
        .args(["-c", "3", "-W", "2", "192.0.2.1"])
        .output()
        .unwrap();
    assert!(
        ping.status.success(),
        "ping through the tunnel failed: {}",
        String::from_utf8_lossy(&ping.stdout)
    );

    // 1 MB each way: the server echoes what it gets; the client checks every byte.
    let data = pattern(1 << 20);
    let expect = data.clone();
    let listener = lab
        .in_ns(&lab.srv, || TcpListener::bind("192.0.2.1:5001").unwrap())
        .join()
        .unwrap();
    let echo = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = vec![0u8; 1 << 20];
        s.read_exact(&mut got).unwrap();
        s.write_all(&got).unwrap();
        got
    });
    let back = lab
        .in_ns(&lab.cli, move || {
            let mut s = TcpStream::connect("192.0.2.1:5001").unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            s.write_all(&data).unwrap();
            let mut back = vec![0u8; 1 << 20];
            s.read_exact(&mut back).unwrap();
            back
        })
        .join()
        .expect("transfer through the tunnel failed");
    let received = echo.join().unwrap();
    assert!(received == expect, "server side received different bytes");
    assert!(back == expect, "client side received different bytes");

    // Hang up; the history has the session with its traffic.
    sigterm(&client.0);
    let _ = client.0.wait();
    std::thread::sleep(Duration::from_millis(500));
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", logs(&rasd));
    let lines = rasd.history();
    assert_eq!(lines.len(), 2, "one start and one stop: {lines:?}");
    assert_eq!(lines[0]["event"], "start");
    assert_eq!(lines[1]["event"], "stop");
    assert_eq!(lines[1]["user"], "alice");
    assert_eq!(lines[1]["address"], "192.0.2.10");
    assert_eq!(lines[1]["protocol"], protocol);
    let ids: &[&str] = if protocol == "l2tp" {
        &["tunnel_id", "l2tp_session_id"]
    } else {
        &["call_id"]
    };
    for id in ids {
        assert!(
            lines[1][id].as_u64().is_some_and(|v| v > 0),
            "history names the {id}: {lines:?}"
        );
    }
    assert!(
        lines[1]["bytes_in"].as_u64().unwrap() >= 1 << 20,
        "bytes_in counts the upload: {lines:?}"
    );
    assert!(
        lines[1]["bytes_out"].as_u64().unwrap() >= 1 << 20,
        "bytes_out counts the download: {lines:?}"
    );
}
