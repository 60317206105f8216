//! The dynamic authorization server's socket (RFC 5176, UDP 3799): Disconnect-Requests end the
//! sessions they name (Acct-Session-Id, User-Name, Framed-IP-Address, Calling-Station-Id);
//! CoA-Requests give them a new Session-Timeout, Idle-Timeout and/or Acct-Interim-Interval,
//! counted from the request (anything else they ask to change is refused whole). Requests from anyone but the
//! configured clients, with a wrong secret or without Message-Authenticator are dropped and
//! counted; a retransmitted request gets the same answer and is not acted on twice.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use radius::attr;
use radius::dae::{DaeClient, DaeDecision, DaeRequest, DaeServer, Outcome, NOT_FOUND, UNSUPPORTED};
use radius::wire::Code;
use radius::Secret;
use tokio::net::UdpSocket;

use crate::bad_input::BadInputKind;
use crate::config::RadiusConfig;
use crate::session_limits::LimitChange;
use crate::shared::Shared;

/// What a Disconnect-Request leaves in a session's stop record.
pub const DISCONNECT_CAUSE: &str = "admin reset (RADIUS Disconnect-Request)";

/// Binds `addr` and serves it for the life of the daemon.
pub async fn spawn(addr: SocketAddr, cfg: &RadiusConfig, shared: Arc<Shared>) -> Result<()> {
    let socket = UdpSocket::bind(addr)
        .await
        .with_context(|| format!("listening on {addr} (RADIUS dynamic authorization)"))?;
    let clients = cfg
        .dae_clients
        .iter()
        .map(|c| DaeClient {
            addr: c.address,
            secret: Secret::new(c.secret.as_bytes()),
        })
        .collect();
    tracing::info!(%addr, "listening for RADIUS Disconnect and CoA requests");
    tokio::spawn(serve(socket, DaeServer::new(clients), shared));
    Ok(())
}

async fn serve(socket: UdpSocket, mut server: DaeServer, shared: Arc<Shared>) {
    let mut buf = vec![0u8; 4096];
    let mut out = vec![0u8; 4096];
    loop {
        let Ok((n, from)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        match server.handle_request(Instant::now(), from, &buf[..n]) {
            DaeDecision::Ignore(why) => {
                shared
                    .bad_input
                    .report(BadInputKind::DaeRequestDropped, from, why.reason());
            }
            DaeDecision::Resend { answer, to } => {
                tracing::debug!(client = %to, "retransmitted dynamic authorization request: answered again");
                let _ = socket.try_send_to(&answer, to);
            }
            DaeDecision::Act(request) => {
                let outcome = act(&shared, &request);
                let len = server.answer(Instant::now(), &request, outcome, &mut out);
                let _ = socket.try_send_to(&out[..len], request.from);
            }
        }
    }
}

/// Carries out a verified request.
fn act(shared: &Shared, request: &DaeRequest) -> Outcome {
    let client = request.from;
    if request.selector.is_empty() {
        tracing::info!(%client, code = request.code.name(), "request names no session: NAK");
        return Outcome::Refused(NOT_FOUND);
    }
    if request.code == Code::CoaRequest {
        return change(shared, request);
    }
    if !request.changes.is_empty() {
        let names: Vec<String> = request.changes.iter().map(|a| a.to_string()).collect();
        tracing::info!(%client, code = request.code.name(), ?names, "attributes not supported: NAK");
        return Outcome::Refused(UNSUPPORTED);
    }
    let ended = shared.disconnect(&request.selector, DISCONNECT_CAUSE);
    tracing::info!(%client, selector = ?request.selector, ended, "Disconnect-Request");
    if ended == 0 {
        Outcome::Refused(NOT_FOUND)
    } else {
        Outcome::Done
    }
}

/// A CoA-Request: new Session-Timeout / Idle-Timeout for the sessions it names.
fn change(shared: &Shared, request: &DaeRequest) -> Outcome {
    let client = request.from;
    let supported = [
        attr::SESSION_TIMEOUT,
        attr::IDLE_TIMEOUT,
        attr::ACCT_INTERIM_INTERVAL,
    ];
    let other: Vec<String> = (request.changes.iter())
        .filter(|a| !supported.contains(&a.typ))
        .map(|a| a.to_string())
        .collect();
    let secs = |v: Option<u32>| v.map(|s| Duration::from_secs(u64::from(s)));
    let change = LimitChange {
        session_timeout: secs(request.changes.session_timeout()),
        idle_timeout: secs(request.changes.idle_timeout()),
    };
    // RFC 2869 §2.1: no interval below a minute.
    let interim =
        secs(request.changes.acct_interim_interval()).map(|d| d.max(Duration::from_secs(60)));
    if !other.is_empty() || (change == LimitChange::default() && interim.is_none()) {
        tracing::info!(%client, ?other, "CoA-Request with nothing rasd can change: NAK");
        return Outcome::Refused(UNSUPPORTED);
    }
    let changed = shared.change_limits(&request.selector, change, interim);
    tracing::info!(%client, selector = ?request.selector, ?change, ?interim, changed, "CoA-Request");
    if changed == 0 {
        Outcome::Refused(NOT_FOUND)
    } else {
        Outcome::Done
    }
}
