//! One PPTP control connection (TCP 1723): drives the sans-IO `ControlConnection`, creates a
//! session for each accepted call, and clears calls whose sessions end.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use l2tpd::tunnel::CallNumbers;
use pptpd::{
    BadControlInput, CallRequest, ControlConnection, ControlEvent, GreChannel, MAX_MESSAGE_LEN,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::carrier::GreCarrier;
use super::gre_input::PptpLink;
use super::server::PptpServer;
use crate::bad_input::BadInputKind;
use crate::history::Carrier;
use crate::link::Link;
use crate::session_task::{spawn_session, Origin, PppStart};

/// How long an orderly Stop-Control-Connection may take.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Runs one control connection to its end.
pub async fn run_control(
    server: Arc<PptpServer>,
    mut stream: TcpStream,
    peer: SocketAddr,
    peer_ip: Ipv4Addr,
) {
    let now = Instant::now();
    let ends = Endpoints {
        peer,
        peer_ip,
        local: stream.local_addr().ok().map(|a| a.ip()),
    };
    let mut cc = ControlConnection::new(server.control_config(), now);
    let mut calls: HashMap<u16, Arc<PptpLink>> = HashMap::new();
    let (ended_tx, mut ended_rx) = mpsc::unbounded_channel::<(u16, String)>();
    let mut shutdown = server.shared.shutdown_signal();
    let mut stopping = false;
    let mut stop_deadline: Option<Instant> = None;
    let mut buf = vec![0u8; 4096];
    let mut out = [0u8; MAX_MESSAGE_LEN];
    // Set when the peer sent bad input: the rate-limited report stands for the close line.
    let mut bad_peer = false;
    let reason = loop {
        while let Some(n) = cc.poll_transmit(Instant::now(), &mut out) {
            if let Err(e) = stream.write_all(&out[..n]).await {
                break_all(&calls, "control connection lost");
                cc_log(peer, &format!("write failed: {e}"));
                return finish(&server, calls, ended_rx, peer).await;
            }
        }
        let mut closed = None;
        let mut handled = false;
        while let Some(event) = cc.poll_event() {
            handled = true;
            match event {
                ControlEvent::CallRequested(req) => {
                    accept_call(&server, &mut cc, &mut calls, &ended_tx, req, &ends);
                }
                ControlEvent::CallCleared { call_id, reason } => {
                    if let Some(link) = calls.get(&call_id) {
                        link.lock()
                            .ppp
                            .lower_down(&format!("call cleared: {reason}"));
                        link.wake.notify_one();
                    }
                }
                ControlEvent::CallEstablished {
                    call_id,
                    peer_recv_window,
                    ..
                } => {
                    // An incoming call's ICCN carries the peer's receive window.
                    if let Some(link) = calls.get(&call_id) {
                        link.lock()
                            .carrier
                            .channel
                            .set_peer_recv_window(peer_recv_window);
                    }
                }
                ControlEvent::BadInput(bad) => {
                    bad_peer = true;
                    let kind = match bad {
                        BadControlInput::TooManyCalls => BadInputKind::PptpRefused,
                        _ => BadInputKind::PptpBadMessage,
                    };
                    server.shared.bad_input.report(kind, peer, bad);
                }
                ControlEvent::Closed { reason } => closed = Some(reason),
            }
        }
        if let Some(reason) = closed {
            break reason;
        }
        if handled {
            // Answers to the events are queued: send them before waiting.
            continue;
        }
        if stopping && calls.is_empty() && stop_deadline.is_none() {
            cc.shutdown(Instant::now(), "server shutting down");
            stop_deadline = Some(Instant::now() + STOP_GRACE);
            continue;
        }
        if stop_deadline.is_some_and(|t| t <= Instant::now()) {
            break "no Stop-Control-Connection-Reply".to_string();
        }
        let deadline = [cc.poll_timeout(), stop_deadline]
            .into_iter()
            .flatten()
            .min();
        let sleep = tokio::time::sleep_until(
            deadline
                .unwrap_or(Instant::now() + Duration::from_secs(3600))
                .into(),
        );
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => break "peer closed the TCP connection".to_string(),
                Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
            },
            Some((call_id, reason)) = ended_rx.recv() => {
                if calls.remove(&call_id).is_some() {
                    server.calls.remove(call_id);
                    if !cc.is_closed() {
                        cc.clear_call(call_id, &reason);
                    }
                }
            }
            _ = shutdown.changed(), if !stopping => stopping = true,
            _ = sleep => cc.handle_timeout(Instant::now()),
        }
    };
    while let Some(n) = cc.poll_transmit(Instant::now(), &mut out) {
        if stream.write_all(&out[..n]).await.is_err() {
            break;
        }
    }
    if bad_peer {
        // Counted and reported (rate-limited) already: a flood of bad connections must not
        // become a flood of log lines.
        tracing::debug!(%peer, protocol = "pptp", stats = ?cc.stats(), "control connection closed: {reason}");
    } else {
        cc_log(peer, &reason);
    }
    break_all(&calls, &format!("control connection closed: {reason}"));
    finish(&server, calls, ended_rx, peer).await;
}

/// Accepts or refuses a call the peer asked for.
/// The two ends of a control connection.
struct Endpoints {
    peer: SocketAddr,
    peer_ip: Ipv4Addr,
    /// Our address on it (Called-Station-Id).
    local: Option<IpAddr>,
}

fn accept_call(
    server: &Arc<PptpServer>,
    cc: &mut ControlConnection,
    calls: &mut HashMap<u16, Arc<PptpLink>>,
    ended_tx: &mpsc::UnboundedSender<(u16, String)>,
    req: CallRequest,
    ends: &Endpoints,
) {
    let Endpoints { peer, peer_ip, .. } = *ends;
    let now = Instant::now();
    let Some(session_id) = server.shared.reserve_session() else {
        let why = "call refused: max_sessions reached";
        server
            .shared
            .bad_input
            .report(BadInputKind::PptpRefused, peer, why);
        cc.refuse_call(req.token, "session limit reached");
        return;
    };
    let ppp = server.shared.new_ppp_session(server.ppp_config());
    let channel = GreChannel::new(req.peer_call_id, req.peer_recv_window, now);
    let mss = server.settings.max_mss;
    let mut created = None;
    let call_id = server.calls.insert_with_new_id(peer_ip, |call_id| {
        // The call sends on the socket that reads it.
        let socket = server.gre[usize::from(call_id) % server.gre.len()].clone();
        let carrier = GreCarrier::new(channel, peer_ip, socket);
        let link = Arc::new(Link::new(session_id, ppp, carrier, mss, server.tun()));
        created = Some(link.clone());
        link
    });
    let (Some(call_id), Some(link)) = (call_id, created) else {
        server.shared.release_session();
        cc.refuse_call(req.token, "no free call ID");
        return;
    };
    // PPP starts before the Outgoing-Call-Reply leaves, not when the session's task first runs:
    // the client's LCP Configure-Request, sent as soon as the reply arrives, finds it listening.
    link.lock().ppp.lower_up(Instant::now());
    cc.accept_call(req.token, call_id);
    tracing::debug!(session = session_id, %peer, call_id, peer_call_id = req.peer_call_id, "call accepted");
    calls.insert(call_id, link.clone());
    let origin = Origin {
        peer,
        carrier: Carrier::Pptp { call_id },
        numbers: CallNumbers {
            calling: None,
            called: ends.local.map(|ip| ip.to_string()),
        },
        ipsec: None,
    };
    let start = PppStart::Negotiate;
    spawn_session(
        &server.shared,
        link,
        origin,
        ended_tx.clone(),
        call_id,
        start,
    );
}

/// Ends every session of this connection without a goodbye (the connection is gone).
fn break_all(calls: &HashMap<u16, Arc<PptpLink>>, reason: &str) {
    for link in calls.values() {
        link.lock().ppp.lower_down(reason);
        link.wake.notify_one();
    }
}

/// Waits for this connection's sessions to end and forgets their calls.
async fn finish(
    server: &PptpServer,
    mut calls: HashMap<u16, Arc<PptpLink>>,
    mut ended_rx: mpsc::UnboundedReceiver<(u16, String)>,
    peer: SocketAddr,
) {
    while !calls.is_empty() {
        match tokio::time::timeout(Duration::from_secs(10), ended_rx.recv()).await {
            Ok(Some((call_id, _))) => {
                calls.remove(&call_id);
                server.calls.remove(call_id);
            }
            _ => {
                tracing::warn!(%peer, left = calls.len(), "sessions did not end with their control connection");
                for id in calls.keys() {
                    server.calls.remove(*id);
                }
                break;
            }
        }
    }
    server.connection_closed(peer.ip());
}

fn cc_log(peer: SocketAddr, reason: &str) {
    tracing::debug!(%peer, protocol = "pptp", "control connection closed: {reason}");
}
