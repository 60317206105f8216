use std::net::Ipv4Addr;

use super::{checksum, echo_request, judge, ProbeSink, Verdict};
use crate::bench::tally::Traffic;
use crate::dataplane::TunWriter;

const US: Ipv4Addr = Ipv4Addr::new(198, 18, 0, 10);
const SERVER: Ipv4Addr = Ipv4Addr::new(198, 18, 0, 1);

/// What the server's kernel sends back for an echo request: addresses swapped, type 0, the
/// ICMP checksum adjusted.
fn reply_to(request: &[u8]) -> Vec<u8> {
    let mut p = request.to_vec();
    p[12..16].copy_from_slice(&SERVER.octets());
    p[16..20].copy_from_slice(&US.octets());
    p[20] = 0;
    p[22..24].fill(0);
    let sum = checksum(&p[20..]);
    p[22..24].copy_from_slice(&sum.to_be_bytes());
    p
}

#[test]
fn a_request_has_valid_checksums_and_the_asked_size() {
    let mut buf = [0u8; 1500];
    let n = echo_request(&mut buf, 1400, US, SERVER, 7, 1);
    assert_eq!(n, 1400);
    assert_eq!(checksum(&buf[..20]), 0, "IPv4 header checksum");
    assert_eq!(checksum(&buf[20..n]), 0, "ICMP checksum");
    assert_eq!(u16::from_be_bytes([buf[2], buf[3]]), 1400);
    assert_eq!(buf[20], 8, "echo request");
}

#[test]
fn an_untouched_reply_is_intact_and_any_changed_byte_is_corrupt() {
    let mut buf = [0u8; 1500];
    let n = echo_request(&mut buf, 200, US, SERVER, 7, 42);
    let reply = reply_to(&buf[..n]);
    assert_eq!(judge(&reply, 200, 7), Verdict::Intact);
    for at in [40, 100, 199] {
        let mut bad = reply.clone();
        bad[at] ^= 0x01;
        assert_eq!(judge(&bad, 200, 7), Verdict::Corrupt, "byte {at} changed");
    }
    assert_eq!(judge(&reply[..150], 200, 7), Verdict::Corrupt, "truncated");
}

#[test]
fn packets_of_another_session_or_kind_are_not_judged() {
    let mut buf = [0u8; 1500];
    let n = echo_request(&mut buf, 100, US, SERVER, 7, 1);
    let reply = reply_to(&buf[..n]);
    assert_eq!(judge(&reply, 100, 8), Verdict::Other, "another session's");
    assert_eq!(
        judge(&buf[..n], 100, 7),
        Verdict::Other,
        "a request, not a reply"
    );
    assert_eq!(judge(&[0x45, 0, 0], 100, 7), Verdict::Other);
}

#[test]
fn the_sink_counts_what_came_back() {
    let sink = ProbeSink::new(3, 64);
    let mut buf = [0u8; 64];
    for seq in 0..5 {
        let n = echo_request(&mut buf, 64, US, SERVER, 3, seq);
        sink.write_packet(0, &reply_to(&buf[..n]));
    }
    let mut bad = reply_to(&buf);
    bad[50] ^= 0xff;
    sink.write_packet(0, &bad);
    let mut t = Traffic::default();
    sink.add_received(&mut t);
    assert_eq!(
        (t.received_packets, t.received_bytes, t.corrupt_packets),
        (5, 320, 1)
    );
}
