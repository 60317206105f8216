//! End to end: a server Session and a client Session talking to each other in memory with
//! virtual time; the server's backend is `verify_local` against one credential.

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use pppd::auth::{verify_local, Credential, Method};
use pppd::config::{Config, MppePolicy, Role};
use pppd::frame::PROTO_COMPRESSED;
use pppd::mppe::Strength;
use pppd::mschap;
use pppd::session::{AdoptError, Event, ProxiedLink, Received, Session};
use rand::rngs::StdRng;
use rand::SeedableRng;

#[path = "support/ipv4.rs"]
mod ipv4;

const POOL_ADDR: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 10);
const SERVER_ADDR: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 1);

struct Pair {
    server: Session,
    client: Session,
    now: Instant,
    cred: Credential,
    server_events: Vec<Event>,
    client_events: Vec<Event>,
    /// IP packets delivered to the server / client.
    to_server: Vec<Vec<u8>>,
    to_client: Vec<Vec<u8>>,
    /// Drop every frame the client sends (a dead client).
    client_mute: bool,
    /// Drop the client's LCP Echo-Replies (lost behind its data).
    client_replies_lost: bool,
    /// Answer MS-CHAPv2 Failures with R=1 ourselves, with a retry using this password
    /// (Windows asks the user again); the client Session never sees them.
    retry_password: Option<&'static str>,
    retries: u32,
}

fn server_cfg() -> Config {
    Config::default()
}

fn client_cfg(password: &str) -> Config {
    Config {
        role: Role::Client,
        credentials: Some(("alice".to_string(), password.to_string())),
        ..Config::default()
    }
}

/// The session's next control frame, in a buffer of its own.
fn next_frame(s: &mut Session, now: Instant) -> Option<Vec<u8>> {
    let mut buf = [0u8; 1504];
    let n = s.poll_transmit(now, &mut buf)?;
    Some(buf[..n].to_vec())
}

impl Pair {
    fn new(server: Config, client: Config) -> Self {
        let now = Instant::now();
        let mut p = Pair {
            server: Session::new(server, StdRng::seed_from_u64(1)),
            client: Session::new(client, StdRng::seed_from_u64(2)),
            now,
            cred: Credential::Password("secret".to_string()),
            server_events: Vec::new(),
            client_events: Vec::new(),
            to_server: Vec::new(),
            to_client: Vec::new(),
            client_mute: false,
            client_replies_lost: false,
            retry_password: None,
            retries: 0,
        };
        p.server.lower_up(now);
        p.client.lower_up(now);
        p
    }

    /// A pair whose sessions start from a LAC's proxied LCP (None: that side negotiates).
    fn proxied(
        server: Config,
        client: Config,
        server_start: Option<ProxiedLink>,
        client_start: Option<ProxiedLink>,
    ) -> Self {
        let now = Instant::now();
        let mut p = Pair {
            server: Session::new(server, StdRng::seed_from_u64(1)),
            client: Session::new(client, StdRng::seed_from_u64(2)),
            ..Pair::new(server_cfg(), client_cfg("secret"))
        };
        p.now = now;
        match server_start {
            Some(start) => p.server.lower_up_proxied(now, &start).unwrap(),
            None => p.server.lower_up(now),
        }
        match client_start {
            Some(start) => p.client.lower_up_proxied(now, &start).unwrap(),
            None => p.client.lower_up(now),
        }
        p
    }

    /// Moves frames and events until nothing moves.
    fn shuttle(&mut self) {
        let mut buf = vec![0u8; 1400 + 64];
        let mut tx = vec![0u8; 1504];
        loop {
            let mut moved = false;
            while let Some(n) = self.server.poll_transmit(self.now, &mut tx) {
                let f = &tx[..n];
                moved = true;
                if let Some(retry) = self.retry_for(f) {
                    self.server.handle_frame(self.now, &retry, &mut buf);
                    continue;
                }
                if let Received::Ipv4(n) | Received::Ipv6(n) =
                    self.client.handle_frame(self.now, f, &mut buf)
                {
                    self.to_client.push(buf[..n].to_vec());
                }
            }
            while let Some(n) = self.client.poll_transmit(self.now, &mut tx) {
                let f = &tx[..n];
                moved = true;
                if self.client_mute
                    || (self.client_replies_lost && f.get(2..5) == Some(&[0xc0, 0x21, 10]))
                {
                    continue;
                }
                if let Received::Ipv4(n) | Received::Ipv6(n) =
                    self.server.handle_frame(self.now, f, &mut buf)
                {
                    self.to_server.push(buf[..n].to_vec());
                }
            }
            while let Some(e) = self.server.poll_event() {
                moved = true;
                if let Event::Authenticate(req) = &e {
                    let verdict = verify_local(req, &self.cred);
                    self.server.auth_verdict(self.now, verdict, Some(POOL_ADDR));
                }
                self.server_events.push(e);
            }
            while let Some(e) = self.client.poll_event() {
                moved = true;
                self.client_events.push(e);
            }
            if !moved {
                return;
            }
        }
    }

    /// A CHAP Response retrying after an MS-CHAPv2 Failure with R=1, when enabled.
    fn retry_for(&mut self, frame: &[u8]) -> Option<Vec<u8>> {
        let password = self.retry_password?;
        let [0xff, 0x03, 0xc2, 0x23, 4, id, _, _, text @ ..] = frame else {
            return None;
        };
        let text = std::str::from_utf8(text).ok()?;
        if !text.contains("R=1") {
            return None;
        }
        let hex = &text[text.find("C=")? + 2..][..32];
        let mut challenge = [0u8; 16];
        for (i, b) in challenge.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        self.retries += 1;
        let peer_challenge = [7u8; 16];
        let hash = mschap::nt_password_hash(password);
        let nt = mschap::generate_nt_response(&challenge, &peer_challenge, "alice", &hash);
        let mut value = peer_challenge.to_vec();
        value.extend_from_slice(&[0; 8]);
        value.extend_from_slice(&nt);
        value.push(0);
        let len = 4 + 1 + value.len() + 5;
        let mut r = vec![
            0xff,
            0x03,
            0xc2,
            0x23,
            2,
            id.wrapping_add(1),
            0,
            len as u8,
            value.len() as u8,
        ];
        r.extend_from_slice(&value);
        r.extend_from_slice(b"alice");
        Some(r)
    }

    /// Runs (advancing virtual time to the next timer when idle) until `done` or `limit`.
    fn run_until(&mut self, limit: Duration, done: impl Fn(&Pair) -> bool) {
        let end = self.now + limit;
        loop {
            self.shuttle();
            if done(self) {
                return;
            }
            let next = [self.server.poll_timeout(), self.client.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(t) if t <= end => {
                    self.now = self.now.max(t);
                    self.server.handle_timeout(self.now);
                    self.client.handle_timeout(self.now);
                }
                _ => return,
            }
        }
    }

    fn both_up(&mut self) {
        self.run_until(Duration::from_secs(60), |p| {
            up(&p.server_events).is_some() && up(&p.client_events).is_some()
        });
        assert!(
            up(&self.server_events).is_some(),
            "server not up: {:?}",
            self.server_events
        );
        assert!(
            up(&self.client_events).is_some(),
            "client not up: {:?}",
            self.client_events
        );
    }

    fn both_down(&mut self, limit: Duration) {
        self.run_until(limit, |p| p.server.is_down() && p.client.is_down());
    }
}

fn up(events: &[Event]) -> Option<&Event> {
    events.iter().find(|e| matches!(e, Event::Up { .. }))
}

fn down_reason(events: &[Event]) -> Option<&str> {
    match events.last() {
        Some(Event::Down { reason }) => Some(reason),
        _ => None,
    }
}

fn assert_up(p: &Pair, mppe: Option<(Strength, bool)>) {
    match up(&p.server_events) {
        Some(Event::Up {
            local_ipv4,
            peer_ipv4,
            mppe: m,
            ..
        }) => {
            assert_eq!(
                (*local_ipv4, *peer_ipv4, *m),
                (SERVER_ADDR, POOL_ADDR, mppe)
            );
        }
        other => panic!("server: {other:?}"),
    }
    match up(&p.client_events) {
        Some(Event::Up {
            local_ipv4,
            peer_ipv4,
            mppe: m,
            ..
        }) => {
            assert_eq!(
                (*local_ipv4, *peer_ipv4, *m),
                (SERVER_ADDR, POOL_ADDR, mppe)
            );
        }
        other => panic!("client: {other:?}"),
    }
    assert!(p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::Authenticated { user } if user == "alice")));
    assert!(p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::Authenticated { .. })));
}

/// An IPv4 packet with a recognizable payload.
fn ipv4_packet(i: usize, len: usize) -> Vec<u8> {
    ipv4::ipv4_packet(i as u16, len, |j| (i + j) as u8)
}

/// Sends `count` packets each way, checks they arrive intact and travel encrypted (or not).
fn round_trip(p: &mut Pair, count: usize, encrypted: bool) {
    let mut frame = vec![0u8; 1500];
    for i in 0..count {
        let pkt = ipv4_packet(i, 60 + i % 700);
        let n = p.client.send_ip(&pkt, &mut frame).expect("client sends");
        assert_eq!(
            frame[..4],
            if encrypted {
                [0xff, 0x03, 0x00, 0xfd]
            } else {
                [0xff, 0x03, 0x00, 0x21]
            }
        );
        if encrypted {
            assert!(
                !frame[..n]
                    .windows(32)
                    .any(|w| pkt.windows(32).any(|x| x == w)),
                "plaintext leaked"
            );
        }
        let mut out = vec![0u8; 1464];
        assert_eq!(
            p.server.handle_frame(p.now, &frame[..n], &mut out),
            Received::Ipv4(pkt.len())
        );
        assert_eq!(out[..pkt.len()], pkt[..]);
        let n = p.server.send_ip(&pkt, &mut frame).expect("server sends");
        assert_eq!(
            p.client.handle_frame(p.now, &frame[..n], &mut out),
            Received::Ipv4(pkt.len())
        );
        assert_eq!(out[..pkt.len()], pkt[..]);
    }
}

#[test]
fn mschapv2_mppe128_stateless() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    assert_up(&p, Some((Strength::Bits128, true)));
    round_trip(&mut p, 300, true);
    // Clear IP while MPPE is on is dropped.
    let mut out = vec![0u8; 1464];
    let mut clear = vec![0xff, 0x03, 0x00, 0x21];
    clear.extend_from_slice(&ipv4_packet(1, 40));
    assert_eq!(
        p.server.handle_frame(p.now, &clear, &mut out),
        Received::Nothing
    );
    assert_eq!(p.server.stats().unencrypted, 1);
}

#[test]
fn mppe40_when_only_40_allowed() {
    let server = Config {
        mppe_128: false,
        ..server_cfg()
    };
    let mut p = Pair::new(server, client_cfg("secret"));
    p.both_up();
    assert_up(&p, Some((Strength::Bits40, true)));
    round_trip(&mut p, 20, true);
}

/// A pair up with stateful MPPE (the client asks for it).
fn stateful_pair_up() -> Pair {
    let client = Config {
        mppe_prefer_stateful: true,
        ..client_cfg("secret")
    };
    let mut p = Pair::new(server_cfg(), client);
    p.both_up();
    p
}

#[test]
fn stateful_mppe_when_client_asks() {
    let mut p = stateful_pair_up();
    assert_up(&p, Some((Strength::Bits128, false)));
    // More than 256 packets: crosses a stateful key change.
    round_trip(&mut p, 600, true);
}

#[test]
fn stateful_mppe_recovers_from_loss_with_reset_request() {
    let mut p = stateful_pair_up();
    let mut frame = vec![0u8; 1500];
    let mut out = vec![0u8; 1464];
    // Lose one client → server packet.
    let pkt = ipv4_packet(0, 100);
    p.client.send_ip(&pkt, &mut frame).unwrap();
    // The next one cannot be decrypted: the server asks for a reset.
    let n = p.client.send_ip(&pkt, &mut frame).unwrap();
    assert_eq!(
        p.server.handle_frame(p.now, &frame[..n], &mut out),
        Received::Nothing
    );
    assert_eq!(p.server.stats().mppe_errors, 1);
    let reset = next_frame(&mut p.server, p.now).expect("Reset-Request");
    assert_eq!(reset[..5], [0xff, 0x03, 0x80, 0xfd, 14]);
    p.client.handle_frame(p.now, &reset, &mut out);
    let ack = next_frame(&mut p.client, p.now).expect("Reset-Ack");
    assert_eq!(ack[..5], [0xff, 0x03, 0x80, 0xfd, 15]);
    p.server.handle_frame(p.now, &ack, &mut out);
    // The next packet is flushed and decrypts.
    let n = p.client.send_ip(&pkt, &mut frame).unwrap();
    assert_eq!(
        p.server.handle_frame(p.now, &frame[..n], &mut out),
        Received::Ipv4(pkt.len())
    );
    assert_eq!(out[..pkt.len()], pkt[..]);
    round_trip(&mut p, 10, true);
}

#[test]
fn flushed_packet_follows_the_reset_ack() {
    // Linux resumes decompression when the Reset-Ack arrives: a flushed packet sent before
    // the Ack would be thrown away and the peer would never resynchronise.
    let mut p = stateful_pair_up();
    let mut frame = vec![0u8; 1500];
    let mut out = vec![0u8; 1464];
    let pkt = ipv4_packet(0, 100);
    let reset = [0xff, 0x03, 0x80, 0xfd, 14, 7, 0, 4];
    assert_eq!(
        p.server.handle_frame(p.now, &reset, &mut out),
        Received::Nothing
    );
    let flushed = |f: &[u8]| f[4] & 0x80 != 0; // FF 03 00 FD, then the MPPE header
    let n = p.server.send_ip(&pkt, &mut frame).unwrap();
    assert!(!flushed(&frame[..n]), "flushed before the Reset-Ack left");
    let ack = next_frame(&mut p.server, p.now).expect("Reset-Ack");
    assert_eq!(ack[..6], [0xff, 0x03, 0x80, 0xfd, 15, 7]);
    let n = p.server.send_ip(&pkt, &mut frame).unwrap();
    assert!(
        flushed(&frame[..n]),
        "the packet after the Reset-Ack is flushed"
    );
    let n = p.server.send_ip(&pkt, &mut frame).unwrap();
    assert!(!flushed(&frame[..n]), "only one packet is flushed");
}

#[test]
fn wrong_password_fails_both_sides() {
    let server = Config {
        auth_attempts: 1,
        ..server_cfg()
    };
    let mut p = Pair::new(server, client_cfg("wrong"));
    p.both_down(Duration::from_secs(30));
    for events in [&p.server_events, &p.client_events] {
        assert!(
            events.iter().any(|e| matches!(e, Event::AuthFailed { .. })),
            "{events:?}"
        );
        assert!(up(events).is_none());
        assert!(
            down_reason(events)
                .unwrap()
                .contains("authentication failed"),
            "{events:?}"
        );
    }
}

#[test]
fn wrong_password_fails_after_the_configured_attempts() {
    let mut p = Pair::new(server_cfg(), client_cfg("wrong"));
    p.retry_password = Some("still wrong");
    p.both_down(Duration::from_secs(60));
    assert_eq!(
        p.retries, 2,
        "two retries after the first attempt (3 attempts)"
    );
    let failed = p
        .server_events
        .iter()
        .filter(|e| matches!(e, Event::AuthFailed { .. }))
        .count();
    assert_eq!(failed, 1, "{:?}", p.server_events);
    let asked = p
        .server_events
        .iter()
        .filter(|e| matches!(e, Event::Authenticate(_)))
        .count();
    assert_eq!(asked, 3);
    assert!(down_reason(&p.server_events)
        .unwrap()
        .contains("authentication failed"));
}

#[test]
fn retry_with_the_right_password_succeeds() {
    let mut p = Pair::new(server_cfg(), client_cfg("wrong"));
    p.retry_password = Some("secret");
    let authenticated = |p: &Pair| {
        p.server_events
            .iter()
            .any(|e| matches!(e, Event::Authenticated { .. }))
    };
    p.run_until(Duration::from_secs(60), authenticated);
    // The client Session never saw the retry, so only the server side is checked.
    assert_eq!(p.retries, 1);
    assert!(authenticated(&p), "{:?}", p.server_events);
    assert!(!p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::AuthFailed { .. })));
}

#[test]
fn ipv6_negotiated_and_carried() {
    let server = Config {
        ipv6: true,
        ..server_cfg()
    };
    let client = Config {
        ipv6: true,
        ..client_cfg("secret")
    };
    let mut p = Pair::new(server, client);
    p.both_up();
    for events in [&p.server_events, &p.client_events] {
        match up(events) {
            Some(Event::Up {
                peer_ipv6_ifid: Some(id),
                ..
            }) => assert_ne!(*id, [0; 8]),
            other => panic!("{other:?}"),
        }
    }
    let mut pkt = vec![0x60, 0, 0, 0];
    pkt.extend_from_slice(&[0xab; 60]);
    let mut frame = vec![0u8; 1500];
    let mut out = vec![0u8; 1464];
    let n = p.client.send_ip(&pkt, &mut frame).expect("IPv6 is open");
    assert_eq!(
        p.server.handle_frame(p.now, &frame[..n], &mut out),
        Received::Ipv6(pkt.len())
    );
    assert_eq!(out[..pkt.len()], pkt[..]);
    let n = p.server.send_ip(&pkt, &mut frame).unwrap();
    assert_eq!(
        p.client.handle_frame(p.now, &frame[..n], &mut out),
        Received::Ipv6(pkt.len())
    );
}

#[test]
fn wrong_password_with_retries_left_ends_when_client_gives_up() {
    let mut p = Pair::new(server_cfg(), client_cfg("wrong"));
    p.both_down(Duration::from_secs(30));
    assert!(p
        .client_events
        .iter()
        .any(|e| matches!(e, Event::AuthFailed { .. })));
    assert!(down_reason(&p.server_events)
        .unwrap()
        .contains("peer terminated"));
    assert!(up(&p.server_events).is_none());
}

#[test]
fn no_mppe_when_both_refuse() {
    let server = Config {
        mppe: MppePolicy::Refuse,
        ..server_cfg()
    };
    let client = Config {
        mppe: MppePolicy::Refuse,
        ..client_cfg("secret")
    };
    let mut p = Pair::new(server, client);
    p.both_up();
    assert_up(&p, None);
    round_trip(&mut p, 5, false);
}

#[test]
fn mppe_required_but_refused_by_client_terminates() {
    let client = Config {
        mppe: MppePolicy::Refuse,
        ..client_cfg("secret")
    };
    let mut p = Pair::new(server_cfg(), client);
    p.both_down(Duration::from_secs(60));
    assert!(up(&p.server_events).is_none());
    let reason = down_reason(&p.server_events).unwrap();
    assert!(reason.contains("MPPE required"), "{reason}");
}

#[test]
fn pap_with_mppe_allowed_comes_up_clear() {
    let server = Config {
        auth_methods: vec![Method::Pap],
        mppe: MppePolicy::Allow,
        ..server_cfg()
    };
    let client = Config {
        auth_methods: vec![Method::Pap],
        mppe: MppePolicy::Allow,
        ..client_cfg("secret")
    };
    let mut p = Pair::new(server, client);
    p.both_up();
    assert_up(&p, None);
    round_trip(&mut p, 3, false);
}

#[test]
fn client_naks_to_a_method_it_supports() {
    let server = Config {
        auth_methods: vec![Method::Pap, Method::MsChapV2],
        ..server_cfg()
    };
    let mut p = Pair::new(server, client_cfg("secret"));
    p.both_up();
    assert_up(&p, Some((Strength::Bits128, true)));
}

#[test]
fn admin_close_brings_both_down() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    p.server.close(p.now, "admin reset");
    p.both_down(Duration::from_secs(30));
    assert_eq!(down_reason(&p.server_events), Some("admin reset"));
    assert!(down_reason(&p.client_events)
        .unwrap()
        .contains("admin reset"));
    let mut frame = vec![0u8; 100];
    assert_eq!(p.server.send_ip(&ipv4_packet(0, 20), &mut frame), None);
}

#[test]
fn echo_keepalive_kills_a_silent_peer() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    let t0 = p.now;
    p.client_mute = true;
    p.run_until(Duration::from_secs(120), |p| p.server.is_down());
    assert_eq!(down_reason(&p.server_events), Some("lcp echo timeout"));
    let waited = p.now - t0;
    assert!(
        waited >= Duration::from_secs(30) && waited <= Duration::from_secs(40),
        "{waited:?}"
    );
}

#[test]
fn a_peer_sending_data_is_alive_though_its_echo_replies_are_lost() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    p.client_replies_lost = true;
    let t0 = p.now;
    let (mut frame, mut out) = (vec![0u8; 1500], vec![0u8; 1500]);
    // Two minutes (four times the echo timeout) of a packet a second from the client.
    while p.now < t0 + Duration::from_secs(120) {
        let n = p.client.send_ip(&ipv4_packet(1, 100), &mut frame).unwrap();
        let got = p.server.handle_frame(p.now, &frame[..n], &mut out);
        assert!(matches!(got, Received::Ipv4(_)), "{got:?}");
        let next = p.now + Duration::from_secs(1);
        p.run_until(Duration::from_secs(1), |_| false);
        p.now = p.now.max(next);
        assert!(!p.server.is_down(), "{:?}", p.server_events);
    }
    // The data stops: the lost replies count again, and the silent peer is dead.
    let stopped = p.now;
    p.run_until(Duration::from_secs(60), |p| p.server.is_down());
    assert_eq!(down_reason(&p.server_events), Some("lcp echo timeout"));
    assert!(
        p.now - stopped <= Duration::from_secs(45),
        "{:?}",
        p.now - stopped
    );
}

#[test]
fn lower_down_is_immediate_and_silent() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    p.server.lower_down("tunnel closed");
    assert!(p.server.is_down());
    assert!(next_frame(&mut p.server, p.now).is_none());
    p.shuttle();
    assert_eq!(down_reason(&p.server_events), Some("tunnel closed"));
    assert_eq!(p.server.poll_timeout(), None);
}

#[test]
fn encrypted_frames_before_ccp_or_garbage_are_counted() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    let mut out = vec![0u8; 1464];
    let frame = [
        0xff,
        0x03,
        (PROTO_COMPRESSED >> 8) as u8,
        PROTO_COMPRESSED as u8,
        0x90,
        0x00,
        1,
        2,
    ];
    assert_eq!(
        p.server.handle_frame(p.now, &frame, &mut out),
        Received::Nothing
    );
    assert_eq!(p.server.stats().early_data, 1);
    assert_eq!(
        p.server.handle_frame(p.now, &[0xff], &mut out),
        Received::Nothing
    );
    assert_eq!(
        p.server
            .handle_frame(p.now, &[0xff, 0x03, 0xc0, 0x21, 1, 1, 0], &mut out),
        Received::Nothing
    );
    assert_eq!(p.server.stats().bad_frames, 1);
    assert_eq!(p.server.stats().bad_control, 1);
    p.both_up();
}

/// The LAC's Configure-Request to the client: MRU 1400, PAP, magic 0x11223344.
const LAC_REQUEST: [u8; 14] = [
    1, 4, 0x05, 0x78, 3, 4, 0xc0, 0x23, 5, 6, 0x11, 0x22, 0x33, 0x44,
];
/// The client's Configure-Request the LAC acknowledged: MRU 1400, magic 0x55667788.
const CLIENT_REQUEST: [u8; 10] = [1, 4, 0x05, 0x78, 5, 6, 0x55, 0x66, 0x77, 0x88];

fn proxied_server() -> ProxiedLink {
    ProxiedLink {
        our_request: LAC_REQUEST.to_vec(),
        peer_request: CLIENT_REQUEST.to_vec(),
        user: "alice".into(),
        peer_ipv4: Some(POOL_ADDR),
    }
}

fn proxied_client() -> ProxiedLink {
    ProxiedLink {
        our_request: CLIENT_REQUEST.to_vec(),
        peer_request: LAC_REQUEST.to_vec(),
        user: "alice".into(),
        peer_ipv4: None,
    }
}

fn pap_client() -> Config {
    Config {
        auth_methods: vec![Method::Pap, Method::MsChapV2],
        mppe: MppePolicy::Allow,
        ..client_cfg("secret")
    }
}

#[test]
fn proxied_lcp_and_authentication_skip_straight_to_ipcp() {
    let server = Config {
        mppe: MppePolicy::Allow,
        ..server_cfg()
    };
    let mut p = Pair::proxied(
        server,
        pap_client(),
        Some(proxied_server()),
        Some(proxied_client()),
    );
    // Neither side sends LCP or authentication: the first frames are network control.
    let first = next_frame(&mut p.server, p.now).expect("server sends at once");
    assert_ne!(first[2..4], [0xc0, 0x21], "server renegotiated LCP");
    p.both_up();
    assert_up(&p, None);
    assert!(!p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::Authenticate(_))));
    assert_eq!(p.server.peer_mru(), 1400);
    // The LAC's own MRU of 1500 (above our configured 1400) is taken over too.
    let lac_1500 = [&[1, 4, 0x05, 0xdc][..], &LAC_REQUEST[4..]].concat();
    let mut s = Session::new(
        Config {
            mru: 1400,
            ..server_cfg()
        },
        StdRng::seed_from_u64(5),
    );
    let start = ProxiedLink {
        our_request: lac_1500,
        ..proxied_server()
    };
    assert!(s.lower_up_proxied(p.now, &start).is_ok());
    round_trip(&mut p, 3, false);
    // The LAC's magic number is ours now: keepalives carry it and the client answers them.
    let t0 = p.now;
    p.run_until(Duration::from_secs(20), |p| {
        p.now >= t0 + Duration::from_secs(15)
    });
    assert!(!p.server.is_down(), "{:?}", p.server_events);
}

#[test]
fn an_lns_that_renegotiates_gets_a_full_negotiation_from_a_proxied_client() {
    let mut p = Pair::proxied(server_cfg(), pap_client(), None, Some(proxied_client()));
    p.both_up();
    // MS-CHAPv2 ran this time, so MPPE has keys.
    assert_up(&p, Some((Strength::Bits128, true)));
    assert!(p
        .server_events
        .iter()
        .any(|e| matches!(e, Event::Authenticate(_))));
}

#[test]
fn proxied_options_we_would_refuse_are_not_adopted() {
    let now = Instant::now();
    let mut s = Session::new(server_cfg(), StdRng::seed_from_u64(1));
    let tiny_mru = ProxiedLink {
        peer_request: vec![1, 4, 0, 64],
        ..proxied_server()
    };
    assert_eq!(
        s.lower_up_proxied(now, &tiny_mru),
        Err(AdoptError::PeerOptions)
    );
    let callback = ProxiedLink {
        our_request: vec![13, 3, 6],
        ..proxied_server()
    };
    assert_eq!(
        s.lower_up_proxied(now, &callback),
        Err(AdoptError::UnaskedOption(13))
    );
    let huge_mru = ProxiedLink {
        our_request: vec![1, 4, 0x10, 0],
        ..proxied_server()
    };
    assert_eq!(
        s.lower_up_proxied(now, &huge_mru),
        Err(AdoptError::OurValues)
    );
    let truncated = ProxiedLink {
        peer_request: vec![1, 4, 5],
        ..proxied_server()
    };
    assert_eq!(
        s.lower_up_proxied(now, &truncated),
        Err(AdoptError::Malformed)
    );
    // Still unstarted: negotiating normally works.
    s.lower_up(now);
    let f = next_frame(&mut s, now).expect("LCP Configure-Request");
    assert_eq!(f[2..5], [0xc0, 0x21, 1]);
}

#[test]
fn lcp_renegotiation_after_up_ends_the_session() {
    let mut p = Pair::new(server_cfg(), client_cfg("secret"));
    p.both_up();
    let confreq = [0xff, 0x03, 0xc0, 0x21, 1, 9, 0, 10, 5, 6, 1, 2, 3, 4];
    let mut out = vec![0u8; 1500];
    p.server.handle_frame(p.now, &confreq, &mut out);
    p.both_down(Duration::from_secs(30));
    assert_eq!(
        down_reason(&p.server_events),
        Some("LCP renegotiation is not supported")
    );
}
