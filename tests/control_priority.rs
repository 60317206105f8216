//! Control before data in the kernel's queues: on a link whose queue overflows with data, the
//! datagrams rasd sends as control (L2TP control messages and PPP control frames on its UDP
//! sockets, PPP control frames and acknowledgments on its raw GRE socket) are never the ones
//! dropped. The client's side of a veth pair is shaped to 1 Mbit/s (`tbf`) with a priority
//! queue below it (`pfifo_fast`, the kernel's default discipline, 20 packets a band); a burst of
//! 400 data datagrams with 20 control datagrams among them is sent through it, for UDP and for
//! GRE, with control carrying a DSCP as well. Every control datagram must arrive; most of the
//! data is dropped.

mod e2e;

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use e2e::netns::Lab;
use rasd::l2tp::mark_io;
use rasd::l2tp::path::PeerPath;
use rasd::pptp::gre_socket::GreSocket;
use rasd::priority_send::Traffic;

const SERVER: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);
const PORT: u16 = 9100;
/// The burst: data datagrams, one control datagram after every `CONTROL_EVERY`.
const DATA: usize = 400;
const CONTROL_EVERY: usize = 20;
const DATA_LEN: usize = 1000;

/// What arrived, by the first byte: (control, data).
fn count(received: &[Vec<u8>]) -> (usize, usize) {
    let control = received.iter().filter(|d| d.first() == Some(&b'C')).count();
    let data = received.iter().filter(|d| d.first() == Some(&b'D')).count();
    (control, data)
}

/// The burst's datagrams in sending order.
fn burst() -> Vec<(Traffic, Vec<u8>)> {
    let mut out = Vec::new();
    for i in 1..=DATA {
        out.push((Traffic::Data, vec![b'D'; DATA_LEN]));
        if i % CONTROL_EVERY == 0 {
            out.push((Traffic::Control, vec![b'C'; 60]));
        }
    }
    out
}

/// Reads until nothing arrived for 1 s (the shaped queue drains in well under that), at most 10 s.
fn drain(mut recv: impl FnMut() -> Option<Vec<u8>>) -> Vec<Vec<u8>> {
    let until = Instant::now() + Duration::from_secs(10);
    let mut got = Vec::new();
    while Instant::now() < until {
        match recv() {
            Some(d) => got.push(d),
            None => break,
        }
    }
    got
}

fn shape(lab: &Lab, dev: &str) {
    let run = |args: &[&str]| lab.run(&lab.cli, args);
    run(&["ip", "link", "set", "dev", dev, "txqueuelen", "20"]);
    run(&[
        "tc", "qdisc", "add", "dev", dev, "root", "handle", "1:", "tbf", "rate", "1mbit", "burst",
        "4kb", "latency", "2s",
    ]);
    run(&[
        "tc",
        "qdisc",
        "add",
        "dev",
        dev,
        "parent",
        "1:1",
        "handle",
        "10:",
        "pfifo_fast",
    ]);
    // The server's address resolved first: datagrams waiting for ARP are dropped by another
    // queue, whatever their priority.
    run(&["ping", "-c", "1", "-W", "2", &SERVER.to_string()]);
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn control_datagrams_pass_a_queue_that_drops_data() {
    // With a DSCP too (`[server] control_dscp`), whose control message would set the priority
    // its TOS bits map to, best effort, were it read after the priority's.
    rasd::priority_send::set_control_dscp(48);
    let lab = Lab::new("rasdprio");
    shape(&lab, "rasdprioc");
    let controls = DATA / CONTROL_EVERY;

    // UDP, as the L2TP sockets send.
    let receiver = lab.in_ns(&lab.srv, || {
        let sock = UdpSocket::bind((SERVER, PORT)).unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
        sock
    });
    let receiver = receiver.join().unwrap();
    let sent = lab.in_ns(&lab.cli, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let sock = tokio::net::UdpSocket::bind("198.51.100.2:0").await.unwrap();
            sock.writable().await.unwrap();
            let to = PeerPath {
                addr: SocketAddr::from((SERVER, PORT)),
                mark: 0,
            };
            let mut sent = 0;
            for (traffic, datagram) in burst() {
                sent += usize::from(mark_io::try_send(&sock, &datagram, to, traffic).is_ok());
            }
            sent
        })
    });
    assert_eq!(
        sent.join().unwrap(),
        DATA + controls,
        "the socket took the whole burst"
    );
    let got = drain(|| {
        let mut buf = vec![0u8; 2048];
        let n = receiver.recv(&mut buf).ok()?;
        buf.truncate(n);
        Some(buf)
    });
    let (control, data) = count(&got);
    println!("UDP: {control} of {controls} control datagrams, {data} of {DATA} data arrived");
    assert_eq!(
        control, controls,
        "control datagrams were dropped behind data"
    );
    assert!(
        data < DATA / 2,
        "the link was not congested: {data} of {DATA} data arrived"
    );

    // GRE, as PPTP's raw socket sends.
    let (tx, rx) = std::sync::mpsc::channel();
    let receiver = lab.in_ns(&lab.srv, move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let sock = GreSocket::open(Some(SERVER)).unwrap();
            tx.send(()).unwrap();
            let mut got = Vec::new();
            let mut buf = vec![0u8; 4096];
            let until = tokio::time::Instant::now() + Duration::from_secs(10);
            while let Ok(Ok((_, gre))) =
                tokio::time::timeout(Duration::from_secs(1), sock.recv(&mut buf)).await
            {
                got.push(gre.to_vec());
                if tokio::time::Instant::now() > until {
                    break;
                }
            }
            got
        })
    });
    rx.recv().unwrap();
    lab.in_ns(&lab.cli, || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let sock = GreSocket::open(None).unwrap();
            for (traffic, payload) in burst() {
                sock.send_to(SERVER, &payload, traffic);
            }
        })
    })
    .join()
    .unwrap();
    let (control, data) = count(&receiver.join().unwrap());
    println!("GRE: {control} of {controls} control packets, {data} of {DATA} data arrived");
    assert_eq!(
        control, controls,
        "control packets were dropped behind data"
    );
    assert!(
        data < DATA / 2,
        "the link was not congested: {data} of {DATA} data arrived"
    );
}
