//! `[l2tp] require_ipsec`: with `[ipsec]` on, L2TP that did not come through an IPsec SA is
//! refused, counted and logged, while a `[[l2tp.peer]]` with `require_ipsec = false` (a LAC
//! in front of the LNS) still gets plain L2TP. charon is not running here: rasd says it cannot
//! reach it and keeps serving everything else. (IPsec itself needs kernel ESP: it is tested in
//! the QEMU interop suite, tests/interop/run-ipsec.sh.)

mod e2e;

use std::net::UdpSocket;
use std::time::Duration;

use e2e::daemon::{assert_serves_a_good_client, dropped_total, Daemon};
use e2e::forge::sccrq;
use e2e::netns::Lab;

const SERVER: &str = "198.51.100.1:1701";

fn ipsec_on(dir_tag: &str) -> Vec<(&'static str, String)> {
    let socket = std::env::temp_dir().join(format!("{dir_tag}-no-charon.vici"));
    vec![(
        "[ipsec]",
        format!(
            "enabled = true\npsk = \"k\"\nvici_socket = \"{}\"",
            socket.display()
        ),
    )]
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn cleartext_l2tp_is_refused_when_ipsec_is_required() {
    let lab = Lab::new("rasdipr");
    let extra = ipsec_on("rasdipr");
    let overrides: Vec<(&str, &str)> = extra.iter().map(|(s, l)| (*s, l.as_str())).collect();
    let mut rasd = Daemon::start(&lab, "rasdipr", &overrides);
    let answered = lab
        .in_ns(&lab.cli, || {
            let sock = UdpSocket::bind("0.0.0.0:0").unwrap();
            sock.set_read_timeout(Some(Duration::from_millis(300)))
                .unwrap();
            let mut answered = 0;
            for tid in 1..=5u16 {
                sock.send_to(&sccrq(tid), SERVER).unwrap();
                let mut buf = [0u8; 1500];
                if sock.recv_from(&mut buf).is_ok() {
                    answered += 1;
                }
            }
            answered
        })
        .join()
        .unwrap();
    assert_eq!(answered, 0, "an SCCRQ outside IPsec got an answer");
    let log = rasd.log();
    assert!(
        log.contains("L2TP outside IPsec refused (require_ipsec)"),
        "{log}"
    );
    assert!(
        log.contains("L2TP/IPsec clients cannot connect until charon answers"),
        "{log}"
    );
    // PPTP is untouched by [ipsec].
    assert_serves_a_good_client(&lab, &mut rasd, "pptp", "rasdipr1");
    let log = rasd.log();
    assert_eq!(dropped_total(&log, "l2tp_cleartext"), 5, "{log}");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn a_peer_section_may_serve_plain_l2tp_next_to_ipsec() {
    let lab = Lab::new("rasdipp");
    let mut extra = ipsec_on("rasdipp");
    extra.push((
        "[[l2tp.peer]]",
        "address = \"198.51.100.2\"\nrequire_ipsec = false".to_owned(),
    ));
    let overrides: Vec<(&str, &str)> = extra.iter().map(|(s, l)| (*s, l.as_str())).collect();
    let mut rasd = Daemon::start(&lab, "rasdipp", &overrides);
    assert_serves_a_good_client(&lab, &mut rasd, "l2tp", "rasdipp1");
    let log = rasd.log();
    assert_eq!(dropped_total(&log, "l2tp_cleartext"), 0, "{log}");
}
