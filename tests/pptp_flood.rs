//! A flood of bad PPTP control input against a running daemon: thousands of messages for calls
//! that do not exist on one connection, and a hundred connections opening with a wrong magic
//! cookie. Every one is counted, and the log gets at most one warning per kind per second
//! instead of a line per message.

mod e2e;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use e2e::daemon::{assert_serves_a_good_client, Daemon};
use e2e::netns::Lab;

const MAGIC: u32 = 0x1A2B_3C4D;
const SERVER: &str = "198.51.100.1:1723";

/// A control message of `len` bytes and `message_type`, body zeroed.
fn control(len: u16, message_type: u16, magic: u32) -> Vec<u8> {
    let mut m = vec![0u8; usize::from(len)];
    m[0..2].copy_from_slice(&len.to_be_bytes());
    m[2..4].copy_from_slice(&1u16.to_be_bytes());
    m[4..8].copy_from_slice(&magic.to_be_bytes());
    m[8..10].copy_from_slice(&message_type.to_be_bytes());
    m
}

/// An established control connection (SCCRQ sent, SCCRP read).
fn established() -> TcpStream {
    let mut s = TcpStream::connect(SERVER).unwrap();
    let mut sccrq = control(156, 1, MAGIC);
    sccrq[12..14].copy_from_slice(&0x0100u16.to_be_bytes());
    s.write_all(&sccrq).unwrap();
    let mut sccrp = [0u8; 156];
    s.read_exact(&mut sccrp).unwrap();
    assert_eq!(sccrp[14], 1, "SCCRP success");
    s
}

/// Set-Link-Info for call `call_id` (24 bytes).
fn sli(call_id: u16) -> Vec<u8> {
    let mut m = control(24, 15, MAGIC);
    m[12..14].copy_from_slice(&call_id.to_be_bytes());
    m
}

/// Log lines at INFO level or above.
fn loud(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| !l.contains(" DEBUG ") && !l.contains(" TRACE "))
        .collect()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_flood_of_bad_control_input_is_counted_with_few_log_lines() {
    let lab = Lab::new("rasdfl");
    let mut rasd = Daemon::start(
        &lab,
        "rasdfl",
        &[("pptp", "max_connections_per_peer = 200")],
    );
    let before = loud(&rasd.log()).len();
    let kept = lab
        .in_ns(&lab.cli, || {
            let mut s = established();
            let flood: Vec<u8> = (0..3000u16).flat_map(|i| sli(1000 + i)).collect();
            s.write_all(&flood).unwrap();
            for _ in 0..100 {
                let mut bad = TcpStream::connect(SERVER).unwrap();
                bad.write_all(&control(156, 1, 0xDEAD_BEEF)).unwrap();
                let _ = bad.read(&mut [0u8; 16]);
            }
            s
        })
        .join()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let log = rasd.log();
    let new_lines: Vec<&str> = loud(&log)[before..].to_vec();
    assert!(
        new_lines.len() <= 4,
        "3100 bad messages, at most a few lines: {new_lines:#?}"
    );
    assert!(
        new_lines.iter().any(|l| l.contains("pptp_bad_message")),
        "the bad input was reported: {new_lines:#?}"
    );

    // One more after the log interval: its line says how many there were in all.
    std::thread::sleep(Duration::from_millis(1000));
    let mut kept = kept;
    lab.in_ns(&lab.cli, move || {
        kept.write_all(&sli(7)).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    })
    .join()
    .unwrap();
    let log = rasd.log();
    assert!(
        log.lines()
            .any(|l| l.contains("pptp_bad_message") && l.contains("total=3101")),
        "all 3101 bad messages are counted\n{}",
        loud(&log).join("\n")
    );
    assert_serves_a_good_client(&lab, &mut rasd, "pptp", "rasdflc0");
}
