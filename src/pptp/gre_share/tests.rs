use std::net::Ipv4Addr;
use std::time::Duration;

use crate::pptp::gre_socket::GreSocket;
use crate::priority_send::Traffic;

/// An enhanced GRE header for `call_id` (key present, version 1, PPP) and `payload`.
fn gre(call_id: u16, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0x20, 0x01, 0x88, 0x0b];
    p.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    p.extend_from_slice(&call_id.to_be_bytes());
    p.extend_from_slice(payload);
    p
}

const MARK: &[u8] = b"rasd-gre-share-test";

/// Every raw GRE socket on the host gets every GRE packet: the tests here take turns, so that
/// one's packets (its short packet above all, which carries no mark) never reach the other.
static RAW_GRE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
#[ignore = "needs root: raw sockets"]
async fn each_call_is_read_by_one_socket_of_the_group_and_short_packets_by_the_first() {
    let _turn = RAW_GRE.lock().await;
    let lo = Ipv4Addr::LOCALHOST;
    let group = GreSocket::open_group(Some(lo), 2).unwrap();
    let sender = GreSocket::open(None).unwrap();
    // Bounded: 40 calls and one short packet, on loopback.
    let calls: Vec<u16> = (1000..1040).collect();
    for &id in &calls {
        sender.send_to(lo, &gre(id, MARK), Traffic::Data);
    }
    sender.send_to(lo, &[0x20, 0x01, 0x88, 0x0b], Traffic::Data);

    let mut got: Vec<(usize, Vec<u8>)> = Vec::new();
    let (mut b0, mut b1) = (vec![0u8; 2048], vec![0u8; 2048]);
    let expected = calls.len() + 1;
    // Until everything sent arrived (at most 3 s), then 300 ms more for any duplicate.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        let wait = if got.len() >= expected {
            Duration::from_millis(300)
        } else {
            deadline.saturating_duration_since(tokio::time::Instant::now())
        };
        let read = tokio::time::timeout(wait, async {
            tokio::select! {
                r = group[0].recv(&mut b0) => (0, r.unwrap().1.to_vec()),
                r = group[1].recv(&mut b1) => (1, r.unwrap().1.to_vec()),
            }
        });
        let Ok((socket, packet)) = read.await else {
            break;
        };
        if packet.ends_with(MARK) || packet.len() == 4 {
            got.push((socket, packet));
        }
    }
    for &id in &calls {
        let readers: Vec<usize> = got
            .iter()
            .filter(|(_, p)| p.len() > 8 && u16::from_be_bytes([p[6], p[7]]) == id)
            .map(|(s, _)| *s)
            .collect();
        assert_eq!(
            readers,
            vec![usize::from(id % 2)],
            "call {id} was read by {readers:?}"
        );
    }
    let short: Vec<usize> = got
        .iter()
        .filter(|(_, p)| p.len() == 4)
        .map(|(s, _)| *s)
        .collect();
    assert_eq!(short, vec![0], "the short packet was read by {short:?}");
}

#[tokio::test]
#[ignore = "needs root: raw sockets"]
async fn a_calls_socket_reads_its_call_alone() {
    let _turn = RAW_GRE.lock().await;
    let lo = Ipv4Addr::LOCALHOST;
    let ours = GreSocket::open_for_call(Some(lo), 1234).unwrap();
    let sender = GreSocket::open(None).unwrap();
    // Bounded: ours between the calls around it, one equal to it modulo 256 and one in its low
    // byte, a short packet, then ours again: only ours may arrive, in order.
    sender.send_to(lo, &gre(1233, MARK), Traffic::Data);
    sender.send_to(lo, &gre(1234, b"first"), Traffic::Data);
    for id in [1235, 1234 + 256, 1234 | 0x8000] {
        sender.send_to(lo, &gre(id, MARK), Traffic::Data);
    }
    sender.send_to(lo, &[0x20, 0x01, 0x88, 0x0b], Traffic::Data);
    sender.send_to(lo, &gre(1234, b"second"), Traffic::Data);
    let mut buf = vec![0u8; 2048];
    let mut got = Vec::new();
    while let Ok(read) = tokio::time::timeout(Duration::from_millis(500), ours.recv(&mut buf)).await
    {
        got.push(read.unwrap().1.to_vec());
    }
    assert_eq!(got, vec![gre(1234, b"first"), gre(1234, b"second")]);
}
