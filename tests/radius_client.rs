//! The RADIUS client core against a real FreeRADIUS 3.2: PAP and MS-CHAPv2 accepted and
//! refused, the MS-CHAPv2 answer and MPPE keys checked against our own RFC 2759/3079
//! computation, accounting records in the server's detail file, and failover from a server that
//! never answers. A small blocking driver stands in for the daemon's.

mod e2e;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use e2e::freeradius::{FreeRadius, SECRET};
use e2e::netns::Lab;
use pppd::auth::MppeKeys;
use pppd::mschap::{generate_authenticator_response, generate_nt_response, nt_password_hash};
use radius::attr::{self, Attribute, Attributes};
use radius::client::{Client, Config, Event, Purpose, Request, ServerConfig};
use radius::wire::Code;
use radius::Secret;
use rand::{rngs::StdRng, SeedableRng};

const SERVER: &str = "198.51.100.1";

/// The core and the sockets for its slots, driven until one request is answered or failed.
struct Driver {
    client: Client,
    sockets: Vec<UdpSocket>,
    /// Events other than the awaited answer (server dead or alive, drops).
    seen: Vec<Event>,
}

impl Driver {
    fn new(servers: Vec<ServerConfig>) -> Driver {
        let cfg = Config {
            servers,
            timeout: Duration::from_millis(300),
            max_timeout: Duration::from_millis(600),
            retries: 1,
            sockets: 2,
            ..Config::default()
        };
        let sockets = (0..2)
            .map(|_| {
                let s = UdpSocket::bind("0.0.0.0:0").unwrap();
                s.set_nonblocking(true).unwrap();
                s
            })
            .collect();
        Driver {
            client: Client::new(cfg, StdRng::seed_from_u64(7)),
            sockets,
            seen: Vec::new(),
        }
    }

    /// Sends `attributes` as `code` for `purpose` and returns the answer (Reply or Failed).
    fn ask(&mut self, purpose: Purpose, code: Code, attributes: Attributes) -> Event {
        let request = Request { code, attributes };
        let id = self
            .client
            .handle_request(Instant::now(), purpose, request)
            .unwrap();
        let give_up = Instant::now() + Duration::from_secs(10);
        let mut buf = [0u8; 4096];
        while Instant::now() < give_up {
            let now = Instant::now();
            while let Some(t) = self.client.poll_transmit(now, &mut buf) {
                // A server nobody answers for may make sends fail (no ARP): its timeout covers it.
                let _ = self.sockets[t.socket].send_to(&buf[..t.len], t.to);
            }
            while let Some(event) = self.client.poll_event() {
                match &event {
                    Event::Reply { id: got, .. } | Event::Failed { id: got, .. } if *got == id => {
                        return event
                    }
                    _ => self.seen.push(event),
                }
            }
            for (slot, socket) in self.sockets.iter().enumerate() {
                while let Ok((n, from)) = socket.recv_from(&mut buf) {
                    self.client
                        .handle_datagram(Instant::now(), slot, from, &buf[..n]);
                }
            }
            if self
                .client
                .poll_timeout()
                .is_some_and(|t| t <= Instant::now())
            {
                self.client.handle_timeout(Instant::now());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        panic!("no answer in 10 s");
    }
}

fn server(addr: &str, purpose: Purpose, priority: u32) -> ServerConfig {
    ServerConfig {
        addr: addr.parse::<SocketAddr>().unwrap(),
        secret: Secret::new(SECRET),
        purpose,
        priority,
    }
}

fn reply(event: Event) -> (Code, Attributes) {
    match event {
        Event::Reply {
            code, attributes, ..
        } => (code, attributes),
        other => panic!("no reply: {other:?}"),
    }
}

fn value(attributes: &Attributes, typ: attr::AttrType) -> Option<Vec<u8>> {
    attributes
        .iter()
        .find(|a| a.typ == typ)
        .map(|a| a.value.clone())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn freeradius_judges_pap_and_mschapv2_and_its_keys_match_ours() {
    let lab = Lab::new("rasdrad");
    // FreeRADIUS drops requests without a valid Message-Authenticator from this client.
    let radius = FreeRadius::start(&lab, &lab.srv, "rad", SERVER, "198.51.100.0/24", "");
    let log = radius.log();
    lab.in_ns(&lab.cli, move || {
        let mut d = Driver::new(vec![server("198.51.100.1:1812", Purpose::Auth, 0)]);
        let pap = |d: &mut Driver, password: &[u8]| {
            reply(d.ask(
                Purpose::Auth,
                Code::AccessRequest,
                radius::login::pap("alice", password),
            ))
            .0
        };
        assert_eq!(pap(&mut d, b"secret123"), Code::AccessAccept);
        assert_eq!(pap(&mut d, b"wrong"), Code::AccessReject);

        let auth_challenge = [0x5a; 16];
        let peer_challenge = [0x3c; 16];
        let mschapv2 = |d: &mut Driver, password: &str| {
            let hash = nt_password_hash(password);
            let nt = generate_nt_response(&auth_challenge, &peer_challenge, "alice", &hash);
            let attrs =
                radius::login::ms_chap_v2("alice", 7, &auth_challenge, &peer_challenge, &nt);
            (nt, reply(d.ask(Purpose::Auth, Code::AccessRequest, attrs)))
        };
        let (nt, (code, attrs)) = mschapv2(&mut d, "secret123");
        assert_eq!(code, Code::AccessAccept);
        let hash = nt_password_hash("secret123");
        let s =
            generate_authenticator_response(&hash, &nt, &peer_challenge, &auth_challenge, "alice");
        let mut success = vec![7];
        success.extend_from_slice(format!("S={}", hex(&s)).as_bytes());
        assert_eq!(
            value(&attrs, attr::MS_CHAP2_SUCCESS),
            Some(success),
            "the server's proof"
        );
        let ours = MppeKeys::from_mschapv2(&hash, &nt, true);
        let send = value(&attrs, attr::MS_MPPE_SEND_KEY).expect("MS-MPPE-Send-Key");
        let recv = value(&attrs, attr::MS_MPPE_RECV_KEY).expect("MS-MPPE-Recv-Key");
        assert_eq!(
            &send[..16],
            &ours.send[..],
            "Send-Key is what we would compute"
        );
        assert_eq!(
            &recv[..16],
            &ours.recv[..],
            "Recv-Key is what we would compute"
        );

        let (_, (code, attrs)) = mschapv2(&mut d, "wrong");
        assert_eq!(code, Code::AccessReject);
        let error = value(&attrs, attr::MS_CHAP_ERROR).expect("MS-CHAP-Error");
        assert!(
            String::from_utf8_lossy(&error).contains("E=691"),
            "{error:?}"
        );
        assert_eq!(
            d.client.stats().dropped(),
            0,
            "every reply verified: {:?}",
            d.seen
        );
    })
    .join()
    .unwrap_or_else(|_| panic!("FreeRADIUS log:\n{}", radius.log()));
    drop(log);
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn accounting_reaches_the_detail_file_and_a_dead_server_is_failed_over() {
    let lab = Lab::new("rasdrac");
    let radius = FreeRadius::start(&lab, &lab.srv, "rac", SERVER, "198.51.100.0/24", "");
    let session = format!("rasd-test-{}", std::process::id());
    let sid = session.clone();
    let seen = lab
        .in_ns(&lab.cli, move || {
            // 198.51.100.9 answers nothing: tried first, then marked dead.
            let mut d = Driver::new(vec![
                server("198.51.100.9:1813", Purpose::Accounting, 0),
                server("198.51.100.1:1813", Purpose::Accounting, 1),
            ]);
            let record = |status: u32, octets: u32| {
                Attributes::new()
                    .with(Attribute::string(attr::USER_NAME, "alice"))
                    .with(Attribute::string(attr::ACCT_SESSION_ID, &sid))
                    .with(Attribute::integer(attr::ACCT_STATUS_TYPE, status))
                    .with(Attribute::integer(attr::ACCT_INPUT_OCTETS, octets))
            };
            let start = d.ask(Purpose::Accounting, Code::AccountingRequest, record(1, 0));
            assert_eq!(reply(start).0, Code::AccountingResponse);
            let t = Instant::now();
            let stop = d.ask(
                Purpose::Accounting,
                Code::AccountingRequest,
                record(2, 123_456),
            );
            assert_eq!(reply(stop).0, Code::AccountingResponse);
            assert!(
                t.elapsed() < Duration::from_millis(300),
                "the dead server is skipped"
            );
            d.seen
        })
        .join()
        .unwrap_or_else(|_| panic!("FreeRADIUS log:\n{}", radius.log()));
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::ServerDead { server: 0, .. })),
        "{seen:?}"
    );
    std::thread::sleep(Duration::from_millis(300));
    let detail = radius.detail();
    let ours: Vec<&str> = detail
        .split("\n\n")
        .filter(|r| r.contains(&session))
        .collect();
    assert_eq!(ours.len(), 2, "a Start and a Stop:\n{detail}");
    assert!(ours[0].contains("Acct-Status-Type = Start"), "{}", ours[0]);
    assert!(ours[1].contains("Acct-Status-Type = Stop"), "{}", ours[1]);
    assert!(
        ours[1].contains("Acct-Input-Octets = 123456"),
        "{}",
        ours[1]
    );
    assert!(ours[1].contains("Acct-Delay-Time"), "{}", ours[1]);
}
