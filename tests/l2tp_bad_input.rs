//! Bad input against a running LNS: malformed headers, L2F and L2TPv3 packets, an SCCRQ flood
//! from many source ports, control messages for a tunnel that does not exist. Each is counted
//! by kind and logged with a reason at most once a second per kind, state stays bounded, and a
//! good client still connects afterwards.

mod e2e;

use std::net::UdpSocket;
use std::time::Duration;

use e2e::daemon::{assert_serves_a_good_client, dropped_total, Daemon};
use e2e::forge::sccrq;
use e2e::netns::Lab;

const SERVER: &str = "198.51.100.1:1701";

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn bad_l2tp_input_is_logged_bounded_and_survived() {
    let lab = Lab::new("rasdl2b");
    let limits = [
        ("l2tp", "max_tunnels_in_setup_per_peer = 3"),
        ("l2tp", "hello_interval = 2"),
        ("l2tp", "retransmit_max = 1"),
        ("l2tp", "retransmit_attempts = 2"),
    ];
    let mut rasd = Daemon::start(&lab, "rasdl2b", &limits);
    lab.in_ns(&lab.cli, || {
        let sock = UdpSocket::bind("0.0.0.0:0").unwrap();
        let garbage: [&[u8]; 5] = [
            &[0x00, 0x03, 0, 0, 0, 0],                         // L2TPv3
            &[0x00, 0x01, 0, 0, 0, 0],                         // L2F
            &[0xc8],                                           // truncated
            &[0xc8, 0x02, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0], // Length 256 beyond the datagram
            &[0x80, 0x02, 0, 1, 0, 0, 0, 0, 0, 0],             // control without L and S
        ];
        for g in garbage {
            sock.send_to(g, SERVER).unwrap();
        }
        // Then a flood of the same: counted whole, logged at most once a second.
        for _ in 0..1000 {
            sock.send_to(&[0xc8], SERVER).unwrap();
            std::thread::sleep(Duration::from_micros(200));
        }
        // A control message (an ICRQ-sized body) for a tunnel that does not exist.
        let mut stray = sccrq(77);
        stray[4..6].copy_from_slice(&4242u16.to_be_bytes());
        sock.send_to(&stray, SERVER).unwrap();
        // An SCCRQ flood from six source ports: three get a tunnel in setup, the rest are refused.
        let flood: Vec<UdpSocket> = (0..6)
            .map(|_| UdpSocket::bind("0.0.0.0:0").unwrap())
            .collect();
        for (i, s) in flood.iter().enumerate() {
            s.send_to(&sccrq(100 + i as u16), SERVER).unwrap();
        }
        std::thread::sleep(Duration::from_millis(500));
    })
    .join()
    .unwrap();

    let log = rasd.log();
    // The first of each kind is logged with its reason.
    for reason in [
        "L2TPv3 (version 3) packet",
        "control message for unknown tunnel 4242",
        "max_tunnels_in_setup_per_peer reached for this address",
    ] {
        assert!(log.contains(reason), "`{reason}` not logged:\n{log}");
    }
    let lines = log
        .lines()
        .filter(|l| l.contains("kind=\"l2tp_malformed\""))
        .count();
    assert!(
        (1..=3).contains(&lines),
        "{lines} log lines for 1,005 malformed datagrams:\n{log}"
    );

    // The half-open tunnels time out and free their slots; then a good client connects.
    std::thread::sleep(Duration::from_secs(6));
    assert_serves_a_good_client(&lab, &mut rasd, "l2tp", "rasdl2bt");
    let log = rasd.log();
    assert_eq!(dropped_total(&log, "l2tp_malformed"), 1005, "{log}");
    assert_eq!(dropped_total(&log, "l2tp_unknown_tunnel"), 1, "{log}");
    assert_eq!(
        dropped_total(&log, "l2tp_tunnel_refused"),
        3,
        "three of six SCCRQs refused:\n{log}"
    );
}
