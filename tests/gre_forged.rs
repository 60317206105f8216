//! Forged GRE against a live PPTP session: packets from the client's address with the server's
//! call ID and a sequence number far ahead of the real one (last + 2^28), and garbage, must be
//! dropped and counted without moving the call's receive state. The session is the witness: it
//! must still ping afterwards.

mod e2e;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use e2e::daemon::{dial, wait_line, Daemon};
use e2e::netns::Lab;

/// IP protocol number of GRE.
const GRE: i32 = 47;

fn raw_gre_socket() -> socket2::Socket {
    let sock = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::RAW,
        Some(socket2::Protocol::from(GRE)),
    )
    .expect("raw GRE socket");
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    sock
}

/// An enhanced GRE data packet for `call_id` with sequence number `seq`, carrying an IPCP-less
/// PPP frame that would be garbage to the session if it were ever delivered.
fn forged(call_id: u16, seq: u32) -> Vec<u8> {
    let payload = [0xff, 0x03, 0x00, 0x21, 0xde, 0xad, 0xbe, 0xef];
    let mut p = vec![0x30, 0x01, 0x88, 0x0b];
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.extend_from_slice(&call_id.to_be_bytes());
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&payload);
    p
}

/// The acknowledgment number in a GRE packet from the server (IP header included), if any.
fn ack_of(ip_packet: &[u8]) -> Option<u32> {
    let ihl = usize::from(ip_packet.first()? & 0x0f) * 4;
    let gre = ip_packet.get(ihl..)?;
    let (flags, ver) = (*gre.first()?, *gre.get(1)?);
    if ver & 0x80 == 0 {
        return None;
    }
    let at = 8 + if flags & 0x10 != 0 { 4 } else { 0 };
    Some(u32::from_be_bytes(gre.get(at..at + 4)?.try_into().ok()?))
}

/// The highest sequence number of the client the server acknowledged, read from the server's
/// GRE packets while the client pings (so there is traffic to acknowledge).
fn last_acked(lab: &Lab) -> Option<u32> {
    let pinger = lab
        .exec(&lab.cli, "ping")
        .args(["-c", "3", "-i", "0.3", "-W", "1", "192.0.2.1"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _ping = e2e::daemon::Reaper(pinger);
    lab.in_ns(&lab.cli, || {
        let sock = raw_gre_socket();
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut last = None;
        let mut buf = [std::mem::MaybeUninit::<u8>::uninit(); 2048];
        while Instant::now() < deadline {
            let Ok(n) = sock.recv(&mut buf) else { continue };
            // SAFETY: recv initialised the first n bytes.
            let got: Vec<u8> = buf[..n]
                .iter()
                .map(|b| unsafe { b.assume_init() })
                .collect();
            if let Some(ack) = ack_of(&got) {
                last = Some(ack);
            }
        }
        last
    })
    .join()
    .unwrap()
}

fn ping(lab: &Lab) -> bool {
    lab.exec(&lab.cli, "ping")
        .args(["-c", "3", "-W", "2", "192.0.2.1"])
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn forged_gre_far_ahead_does_not_kill_the_session() {
    let lab = Lab::new("rasdfg");
    let mut rasd = Daemon::start(&lab, "rasdfg", &[]);
    let args = [
        "--user",
        "alice",
        "--password",
        "secret123",
        "--tun",
        "rasdfgt",
    ];
    let mut client = dial(&lab, &rasd.dir, "dial.log", "pptp", &args);
    let logs = |rasd: &Daemon| {
        format!(
            "--- rasd:\n{}\n--- dial:\n{}",
            rasd.log(),
            rasd.read("dial.log")
        )
    };
    let connected = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    assert!(
        connected.is_some(),
        "client did not connect\n{}",
        logs(&rasd)
    );
    assert!(ping(&lab), "the witness does not ping before the attack");

    let history = rasd.history();
    let call_id = history
        .first()
        .and_then(|start| start["call_id"].as_u64())
        .expect("the start record names the server's call ID") as u16;
    let last = last_acked(&lab).expect("the server acknowledges the client's packets");

    // 100 forged packets far ahead (never a run in sequence), a few far behind, and garbage.
    lab.in_ns(&lab.cli, move || {
        let sock = raw_gre_socket();
        let dst: SocketAddr = "198.51.100.1:0".parse().unwrap();
        let send = |p: &[u8]| sock.send_to(p, &dst.into()).unwrap();
        for i in 0..100u32 {
            send(&forged(
                call_id,
                last.wrapping_add(1 << 28).wrapping_add(i * 100),
            ));
        }
        for i in 0..5u32 {
            send(&forged(
                call_id,
                last.wrapping_sub(1 << 28).wrapping_add(i * 100),
            ));
        }
        let mut truncated = forged(call_id, last.wrapping_add(1));
        truncated[4] = 0x7f; // payload length beyond the packet
        send(&truncated);
        let mut bad_flags = forged(call_id, last.wrapping_add(1));
        bad_flags[0] |= 0x80; // checksum present
        send(&bad_flags);
        send(&[0x30, 0x81]);
    })
    .join()
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    assert!(
        ping(&lab),
        "the witness stopped pinging after forged GRE\n{}",
        logs(&rasd)
    );
    let log = rasd.log();
    let out_of_window: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" dropped: ") && l.contains("gre_out_of_window"))
        .collect();
    assert!(
        !out_of_window.is_empty(),
        "the out-of-window drop was not logged\n{log}"
    );
    assert!(
        out_of_window.len() <= 2,
        "105 drops in well under a second make at most two lines: {out_of_window:?}"
    );
    assert!(
        log.lines()
            .any(|l| l.contains(" dropped: ") && l.contains("gre_malformed")),
        "the malformed packets were not counted\n{log}"
    );
    // One more after the log interval: its line says how many it stands for.
    std::thread::sleep(Duration::from_millis(1100));
    lab.in_ns(&lab.cli, move || {
        let dst: SocketAddr = "198.51.100.1:0".parse().unwrap();
        let p = forged(call_id, last.wrapping_add(1 << 29));
        raw_gre_socket().send_to(&p, &dst.into()).unwrap();
    })
    .join()
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let log = rasd.log();
    assert!(
        log.lines()
            .any(|l| l.contains("gre_out_of_window") && l.contains("total=106")),
        "all 106 out-of-window packets are counted\n{log}"
    );
    assert!(ping(&lab), "the witness still pings");
    drop(client);
    std::thread::sleep(Duration::from_millis(300));
    assert!(rasd.stop(), "rasd did not exit cleanly\n{}", rasd.log());
}
