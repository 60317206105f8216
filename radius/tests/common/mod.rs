//! A virtual-time harness around the client core and a scripted server that answers the
//! datagrams it is handed, as FreeRADIUS would.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use radius::attr::{self, Attribute, Attributes};
use radius::client::{Config, Event, Purpose, Request, ServerConfig, Transmit};
use radius::crypto::packet_hash;
use radius::wire::{Builder, Code, Packet, MAX_LEN};
use radius::{Client, RequestId, Secret};
use rand::rngs::StdRng;
use rand::SeedableRng;

pub const SECRET: &[u8] = b"testing123";

pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub fn server(a: &str, purpose: Purpose, priority: u32) -> ServerConfig {
    ServerConfig {
        addr: addr(a),
        secret: Secret::new(SECRET),
        purpose,
        priority,
    }
}

pub fn config(servers: Vec<ServerConfig>) -> Config {
    Config {
        servers,
        timeout: Duration::from_secs(3),
        max_timeout: Duration::from_secs(8),
        retries: 2,
        dead_time: Duration::from_secs(60),
        sockets: 1,
        ..Config::default()
    }
}

/// One datagram the core sent.
#[derive(Clone, Debug)]
pub struct Sent {
    pub socket: usize,
    pub to: SocketAddr,
    pub bytes: Vec<u8>,
}

impl Sent {
    pub fn packet(&self) -> Packet<&[u8]> {
        Packet::new_checked(&self.bytes[..]).unwrap()
    }

    pub fn identifier(&self) -> u8 {
        self.bytes[1]
    }

    pub fn authenticator(&self) -> [u8; 16] {
        self.packet().authenticator()
    }

    pub fn attributes(&self) -> Attributes {
        self.packet()
            .attributes()
            .map(Attribute::from_raw)
            .collect()
    }
}

pub struct Harness {
    pub client: Client,
    pub now: Instant,
}

impl Harness {
    pub fn new(cfg: Config) -> Self {
        Harness {
            client: Client::new(cfg, StdRng::seed_from_u64(7)),
            now: Instant::now(),
        }
    }

    pub fn request(&mut self, purpose: Purpose, code: Code, attributes: Attributes) -> RequestId {
        let request = Request { code, attributes };
        self.client
            .handle_request(self.now, purpose, request)
            .unwrap()
    }

    pub fn login(&mut self, user: &str) -> RequestId {
        self.request(
            Purpose::Auth,
            Code::AccessRequest,
            radius::login::pap(user, b"pw"),
        )
    }

    pub fn transmit(&mut self) -> Vec<Sent> {
        let mut buf = vec![0u8; MAX_LEN];
        let mut out = Vec::new();
        while let Some(Transmit { socket, to, len }) = self.client.poll_transmit(self.now, &mut buf)
        {
            out.push(Sent {
                socket,
                to,
                bytes: buf[..len].to_vec(),
            });
        }
        out
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.client.poll_event()).collect()
    }

    /// Moves virtual time on by `d` and lets the core act.
    pub fn advance(&mut self, d: Duration) {
        self.now += d;
        self.client.handle_timeout(self.now);
    }

    /// Runs to the core's next deadline.
    pub fn run_to_deadline(&mut self) -> Duration {
        let at = self.client.poll_timeout().expect("a deadline");
        let d = at - self.now;
        self.advance(d);
        d
    }

    pub fn deliver(&mut self, sent: &Sent, reply: &[u8]) {
        self.client
            .handle_datagram(self.now, sent.socket, sent.to, reply);
    }
}

/// Options for a scripted reply.
pub struct Reply<'a> {
    pub code: Code,
    pub attributes: &'a [Attribute],
    pub secret: &'a [u8],
    pub message_authenticator: bool,
}

impl Default for Reply<'_> {
    fn default() -> Self {
        Reply {
            code: Code::AccessAccept,
            attributes: &[],
            secret: SECRET,
            message_authenticator: true,
        }
    }
}

/// The server's answer to `request`.
pub fn answer(request: &Sent, reply: Reply<'_>) -> Vec<u8> {
    let mut buf = vec![0u8; MAX_LEN];
    let mut b = Builder::new(&mut buf, reply.code, request.identifier()).unwrap();
    if reply.message_authenticator {
        b.message_authenticator().unwrap();
    }
    for a in reply.attributes {
        if a.typ.vendor == 0 {
            b.attribute(a.typ.code, &a.value).unwrap();
        } else {
            b.vendor_attribute(a.typ.vendor, a.typ.code, &a.value)
                .unwrap();
        }
    }
    let len = b.finish_response(&request.authenticator(), reply.secret);
    buf.truncate(len);
    buf
}

/// An Access-Accept with a Message-Authenticator.
pub fn accept(request: &Sent) -> Vec<u8> {
    answer(request, Reply::default())
}

/// Re-signs the Response Authenticator of `reply` with the right secret (after tampering).
pub fn resign(request: &Sent, reply: &mut [u8]) {
    let auth = packet_hash(reply, &request.authenticator(), SECRET);
    reply[4..20].copy_from_slice(&auth);
}

pub fn replies(events: &[Event]) -> Vec<(RequestId, Code)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Reply { id, code, .. } => Some((*id, *code)),
            _ => None,
        })
        .collect()
}

pub fn accounting(session: &str) -> Attributes {
    Attributes::new()
        .with(Attribute::integer(
            attr::ACCT_STATUS_TYPE,
            attr::value::ACCT_STATUS_STOP,
        ))
        .with(Attribute::string(attr::ACCT_SESSION_ID, session))
}
