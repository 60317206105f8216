//! Benchmark: IP packets through a server Session and a client Session (MS-CHAPv2 keys,
//! MPPE-128), stateless against stateful, in one run. Prints packets and megabytes per
//! second for each mode and the ratio.
//!
//! `cargo run --release -p pppd --example mppe_throughput [packets]`

use std::net::Ipv4Addr;
use std::time::Instant;

use pppd::auth::{verify_local, Credential, Method};
use pppd::config::{Config, Role};
use pppd::session::{Event, Received, Session};
use rand::{rngs::StdRng, SeedableRng};

#[path = "../tests/support/ipv4.rs"]
mod ipv4;
use ipv4::ipv4_packet;

/// Size of each IP packet.
const PACKET: usize = 1400;

fn main() {
    let packets: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let stateless = run(false, packets);
    let stateful = run(true, packets);
    for (name, rate) in [("stateless", stateless), ("stateful", stateful)] {
        let mb = rate * PACKET as f64 / 1e6;
        println!(
            "mppe-128 {name}: {} packets/s, {} MB/s (encrypt + decrypt)",
            rate as u64, mb as u64
        );
    }
    println!(
        "stateful/stateless ratio: {} %",
        (stateful / stateless * 100.0) as u64
    );
}

/// Brings a pair up in the given mode and returns packets per second, server to client.
fn run(stateful: bool, packets: u64) -> f64 {
    let now = Instant::now();
    let server_cfg = Config {
        mppe_prefer_stateful: stateful,
        ..Config::default()
    };
    let client_cfg = Config {
        role: Role::Client,
        credentials: Some(("alice".into(), "secret".into())),
        auth_methods: vec![Method::MsChapV2],
        mppe_prefer_stateful: stateful,
        ..Config::default()
    };
    let mut server = Session::new(server_cfg, StdRng::seed_from_u64(1));
    let mut client = Session::new(client_cfg, StdRng::seed_from_u64(2));
    server.lower_up(now);
    client.lower_up(now);
    bring_up(&mut server, &mut client, now);

    let packet = ipv4_packet(1, PACKET, |j| j as u8);
    let mut frame = vec![0u8; PACKET + 64];
    let mut out = vec![0u8; PACKET + 64];
    let t0 = Instant::now();
    for _ in 0..packets {
        let n = server
            .send_ip(&packet, &mut frame)
            .expect("network layer is up");
        match client.handle_frame(now, &frame[..n], &mut out) {
            Received::Ipv4(len) => assert_eq!(len, PACKET),
            other => panic!("packet not delivered: {other:?}"),
        }
    }
    packets as f64 / t0.elapsed().as_secs_f64()
}

/// Shuttles control frames until both sides are up.
fn bring_up(server: &mut Session, client: &mut Session, now: Instant) {
    let cred = Credential::Password("secret".into());
    let mut buf = vec![0u8; 2048];
    let mut tx = vec![0u8; 2048];
    let (mut server_up, mut client_up) = (false, false);
    for _ in 0..1000 {
        while let Some(n) = server.poll_transmit(now, &mut tx) {
            client.handle_frame(now, &tx[..n], &mut buf);
        }
        while let Some(n) = client.poll_transmit(now, &mut tx) {
            server.handle_frame(now, &tx[..n], &mut buf);
        }
        while let Some(e) = server.poll_event() {
            match e {
                Event::Authenticate(req) => {
                    let verdict = verify_local(&req, &cred);
                    server.auth_verdict(now, verdict, Some(Ipv4Addr::new(192, 0, 2, 10)));
                }
                Event::Up { .. } => server_up = true,
                _ => {}
            }
        }
        while let Some(e) = client.poll_event() {
            client_up |= matches!(e, Event::Up { .. });
        }
        if server_up && client_up {
            return;
        }
    }
    panic!("the pair did not come up");
}
