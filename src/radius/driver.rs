//! The tokio driver of the RADIUS client core: one task, a fixed pair of UDP sockets for the
//! life of the daemon (none per request, none leaked), requests in through a bounded channel
//! and answers out through one-shot replies.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use radius::attr::Attributes;
use radius::client::{FailReason, RequestError};
use radius::wire::Code;
use radius::{Client, Config, Event, Purpose, Request, RequestId, Secret, ServerConfig};
use rand::{rngs::StdRng, SeedableRng};
use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use crate::bad_input::{BadInput, BadInputKind};
use crate::config::RadiusConfig;

/// Socket slots of the client core; each has its own identifier space per server.
const SOCKETS: usize = 2;

/// Why a request got no reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RadiusError {
    /// The core refused it (too many in flight, too long, no server).
    Refused(RequestError),
    /// No server answered.
    Failed(FailReason),
    /// The driver is gone (the daemon is stopping).
    Gone,
}

impl std::fmt::Display for RadiusError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RadiusError::Refused(e) => write!(f, "{e}"),
            RadiusError::Failed(FailReason::Timeout) => f.write_str("no RADIUS server answered"),
            RadiusError::Gone => f.write_str("RADIUS client stopped"),
        }
    }
}

/// A verified reply: its code and attributes.
pub type Answer = Result<(Code, Attributes), RadiusError>;

struct Ask {
    purpose: Purpose,
    request: Request,
    reply: oneshot::Sender<Answer>,
}

/// How sessions reach the RADIUS client.
#[derive(Clone)]
pub struct RadiusHandle {
    tx: mpsc::Sender<Ask>,
}

impl RadiusHandle {
    /// Sends `request` to a server for `purpose` and waits for the verified reply.
    pub async fn ask(&self, purpose: Purpose, request: Request) -> Answer {
        let (reply, answer) = oneshot::channel();
        let ask = Ask {
            purpose,
            request,
            reply,
        };
        if self.tx.try_send(ask).is_err() {
            return Err(RadiusError::Refused(RequestError::Busy));
        }
        answer.await.unwrap_or(Err(RadiusError::Gone))
    }
}

/// Opens the sockets and starts the driver for `cfg`'s servers.
pub fn spawn(cfg: &RadiusConfig, bad_input: Arc<BadInput>) -> io::Result<RadiusHandle> {
    let sockets = (0..SOCKETS)
        .map(|_| open_socket())
        .collect::<io::Result<Vec<_>>>()?;
    let core = Config {
        servers: cfg
            .servers
            .iter()
            .map(|s| ServerConfig {
                addr: s.address,
                secret: Secret::new(s.secret.as_bytes()),
                purpose: s.purpose,
                priority: s.priority,
            })
            .collect(),
        timeout: cfg.timeout,
        max_timeout: cfg.timeout * 4,
        retries: cfg.retries,
        dead_time: cfg.dead_time,
        sockets: SOCKETS,
        max_in_flight: cfg.max_in_flight,
        max_queued: cfg.max_in_flight,
        require_message_authenticator: cfg.require_message_authenticator,
    };
    if !cfg.require_message_authenticator {
        tracing::warn!("RADIUS replies without Message-Authenticator are accepted (require_message_authenticator = false): open to Blast-RADIUS forgery");
    }
    let (tx, rx) = mpsc::channel(cfg.max_in_flight * 2);
    let client = Client::new(core, StdRng::from_entropy());
    tokio::spawn(run(client, sockets, rx, bad_input));
    Ok(RadiusHandle { tx })
}

/// A dual-stack socket (IPv4 servers as mapped addresses), or IPv4 only where IPv6 is off.
fn open_socket() -> io::Result<UdpSocket> {
    let sock = match Socket::new(Domain::IPV6, Type::DGRAM, Some(Protocol::UDP)) {
        Ok(s) if s.set_only_v6(false).is_ok() => {
            s.bind(&SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)).into())?;
            s
        }
        _ => {
            let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
            s.bind(&SocketAddr::from(([0, 0, 0, 0], 0)).into())?;
            s
        }
    };
    sock.set_nonblocking(true)?;
    UdpSocket::from_std(sock.into())
}

/// `to` as the socket's family wants it.
fn for_socket(socket: &UdpSocket, to: SocketAddr) -> SocketAddr {
    match (socket.local_addr(), to.ip()) {
        (Ok(SocketAddr::V6(_)), IpAddr::V4(v4)) => {
            SocketAddr::new(v4.to_ipv6_mapped().into(), to.port())
        }
        _ => to,
    }
}

/// A received source as the core knows its servers (IPv4-mapped back to IPv4).
fn canonical(from: SocketAddr) -> SocketAddr {
    match from.ip() {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => SocketAddr::new(v4.into(), from.port()),
            None => from,
        },
        IpAddr::V4(_) => from,
    }
}

async fn run(
    mut client: Client,
    sockets: Vec<UdpSocket>,
    mut rx: mpsc::Receiver<Ask>,
    bad_input: Arc<BadInput>,
) {
    let mut waiting: HashMap<RequestId, oneshot::Sender<Answer>> = HashMap::new();
    let mut out = vec![0u8; 4096];
    let mut inbuf = [vec![0u8; 4096], vec![0u8; 4096]];
    loop {
        let now = Instant::now();
        while let Some(t) = client.poll_transmit(now, &mut out) {
            let socket = &sockets[t.socket];
            if let Err(e) = socket.try_send_to(&out[..t.len], for_socket(socket, t.to)) {
                tracing::debug!(server = %t.to, error = %e, "RADIUS send failed; the retransmission covers it");
            }
        }
        while let Some(event) = client.poll_event() {
            on_event(event, &mut waiting, &bad_input);
        }
        let deadline = client
            .poll_timeout()
            .unwrap_or(now + Duration::from_secs(3600));
        let [buf0, buf1] = &mut inbuf;
        tokio::select! {
            ask = rx.recv() => {
                let Some(ask) = ask else { return };
                match client.handle_request(Instant::now(), ask.purpose, ask.request) {
                    Ok(id) => { waiting.insert(id, ask.reply); }
                    Err(e) => { let _ = ask.reply.send(Err(RadiusError::Refused(e))); }
                }
            }
            got = sockets[0].recv_from(buf0) => {
                if let Ok((n, from)) = got {
                    client.handle_datagram(Instant::now(), 0, canonical(from), &buf0[..n]);
                }
            }
            got = sockets[1].recv_from(buf1) => {
                if let Ok((n, from)) = got {
                    client.handle_datagram(Instant::now(), 1, canonical(from), &buf1[..n]);
                }
            }
            _ = tokio::time::sleep_until(deadline.into()) => client.handle_timeout(Instant::now()),
        }
    }
}

fn on_event(
    event: Event,
    waiting: &mut HashMap<RequestId, oneshot::Sender<Answer>>,
    bad_input: &BadInput,
) {
    match event {
        Event::Reply {
            id,
            code,
            attributes,
        } => {
            if let Some(reply) = waiting.remove(&id) {
                let _ = reply.send(Ok((code, attributes)));
            }
        }
        Event::Failed { id, reason } => {
            if let Some(reply) = waiting.remove(&id) {
                let _ = reply.send(Err(RadiusError::Failed(reason)));
            }
        }
        Event::ServerDead { addr, .. } => {
            tracing::warn!(server = %addr, "RADIUS server stopped answering: marked dead")
        }
        Event::ServerAlive { addr, .. } => {
            tracing::info!(server = %addr, "RADIUS server answers again")
        }
        Event::Dropped { reason, from } => {
            bad_input.report(BadInputKind::RadiusReplyDropped, from, reason);
        }
    }
}
