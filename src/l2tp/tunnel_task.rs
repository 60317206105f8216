//! One L2TP tunnel: drives the sans-IO `Tunnel`, creates a PPP session for each session the
//! LAC brings up, and sends CDN for sessions whose PPP ends.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use l2tpd::data::DataChannel;
use l2tpd::header::Packet;
use l2tpd::tunnel::{CallNumbers, ProxyInfo, Tunnel, TunnelEvent};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::carrier::L2tpCarrier;
use super::path::PeerPath;
use super::proxy::proxied_login;
use super::sa_watch::SaWatch;
use super::server::{L2tpLink, L2tpServer};
use crate::config::ProxyAuth;
use crate::history::Carrier as HistoryCarrier;
use crate::link::Link;
use crate::session_task::{spawn_session, Origin, PppStart};

/// Runs one tunnel until it is closed and its sessions have ended.
pub(super) async fn run_tunnel(
    server: Arc<L2tpServer>,
    mut tunnel: Tunnel,
    proxy_auth: ProxyAuth,
    socket: Arc<UdpSocket>,
    peer: PeerPath,
    mut from_peer: mpsc::Receiver<Vec<u8>>,
    sa_gone: Arc<SaWatch>,
) {
    let our_id = tunnel.our_tunnel_id();
    let mut sessions: HashMap<u16, Arc<L2tpLink>> = HashMap::new();
    let (ended_tx, mut ended_rx) = mpsc::unbounded_channel::<(u16, String)>();
    let mut shutdown = server.shared.shutdown_signal();
    let (mut stopping, mut stop_sent, mut closed) = (false, false, false);
    let mut sa_closed = false;
    let mut setup_peer_id = None;
    loop {
        let now = Instant::now();
        server.send_control(&mut tunnel, &socket, peer, &sa_gone, now);
        let mut closed_now = None;
        while let Some(event) = tunnel.poll_event() {
            match event {
                TunnelEvent::Established {
                    peer_tunnel_id,
                    peer_host_name,
                } => {
                    tracing::debug!(%peer, tunnel = our_id, peer_tunnel_id, host = %peer_host_name, "tunnel established");
                    setup_peer_id = Some(peer_tunnel_id);
                    server.setup_done((peer, peer_tunnel_id), our_id);
                }
                TunnelEvent::SessionUp {
                    session_id,
                    peer_session_id,
                    sequencing,
                    proxy,
                    numbers,
                } => {
                    let Some(peer_tunnel_id) = tunnel.peer_tunnel_id() else {
                        continue;
                    };
                    let new = NewSession {
                        ids: (our_id, session_id),
                        data: DataChannel::new(peer_tunnel_id, peer_session_id, sequencing),
                        start: ppp_start(proxy, proxy_auth, peer, session_id),
                        numbers,
                    };
                    match start_session(&server, &socket, peer, &sa_gone, new, &ended_tx) {
                        Some(link) => {
                            sessions.insert(session_id, link);
                        }
                        None => tunnel.close_session(now, session_id, "session limit reached"),
                    }
                }
                TunnelEvent::SessionDown { session_id, reason } => {
                    if let Some(link) = sessions.get(&session_id) {
                        link.lock()
                            .ppp
                            .lower_down(&format!("L2TP session ended: {reason}"));
                        link.wake.notify_one();
                    }
                }
                TunnelEvent::Closed { reason } => closed_now = Some(reason),
            }
        }
        if sa_closed && !closed {
            closed_now = Some("its IPsec SA closed".to_owned());
        }
        if let Some(reason) = closed_now {
            tracing::debug!(%peer, tunnel = our_id, "tunnel closed: {reason}");
            for link in sessions.values() {
                link.lock()
                    .ppp
                    .lower_down(&format!("tunnel closed: {reason}"));
                link.wake.notify_one();
            }
            closed = true;
        }
        if tunnel.is_closed() || (closed && (stopping || sa_closed)) {
            break;
        }
        // A tunnel the peer closed is held for a retransmission cycle, to acknowledge its
        // StopCCN again if it comes again (unless the daemon is going away): by the server,
        // from a record of a few bytes, not by this task.
        if let Some(record) = tunnel.lingering() {
            server.keep_closed(our_id, record);
            break;
        }
        if stopping && sessions.is_empty() && !stop_sent {
            tunnel.shutdown(now, "server shutting down");
            stop_sent = true;
            continue;
        }
        let deadline = tunnel
            .poll_timeout()
            .unwrap_or(now + Duration::from_secs(3600));
        tokio::select! {
            Some(datagram) = from_peer.recv() => {
                match Packet::new_checked(&datagram[..]) {
                    Ok(p) if !p.is_control() => server.deliver_data_in_order(peer, our_id, p.session_id(), &datagram),
                    _ => tunnel.handle_control(Instant::now(), &datagram),
                }
            }
            Some((session_id, reason)) = ended_rx.recv() => {
                if sessions.remove(&session_id).is_some() {
                    if sessions.capacity() > 64 && sessions.len() * 4 < sessions.capacity() {
                        // The map keeps the room of its busiest moment otherwise.
                        sessions.shrink_to_fit();
                    }
                    server.remove_session(our_id, session_id);
                    tunnel.close_session(Instant::now(), session_id, &reason);
                }
            }
            _ = shutdown.changed(), if !stopping => stopping = true,
            _ = sa_gone.gone(), if !sa_closed => sa_closed = true,
            _ = tokio::time::sleep_until(deadline.into()) => tunnel.handle_timeout(Instant::now()),
        }
    }
    if setup_peer_id.is_none() {
        tracing::debug!(%peer, tunnel = our_id, "tunnel ended during setup");
    }
    while !sessions.is_empty() {
        match tokio::time::timeout(server.session_grace(), ended_rx.recv()).await {
            Ok(Some((session_id, _))) => {
                sessions.remove(&session_id);
                server.remove_session(our_id, session_id);
            }
            _ => {
                for session_id in sessions.keys() {
                    server.remove_session(our_id, *session_id);
                }
                break;
            }
        }
    }
}

/// How PPP starts on a new session: from the LAC's proxied login when the peer is trusted
/// and the AVPs make one, else by negotiating.
fn ppp_start(
    proxy: Option<ProxyInfo>,
    policy: ProxyAuth,
    peer: PeerPath,
    session_id: u16,
) -> PppStart {
    let Some(info) = proxy else {
        return PppStart::Negotiate;
    };
    if policy == ProxyAuth::Renegotiate {
        tracing::debug!(%peer, l2tp_session = session_id, "proxy LCP/authentication ignored (proxy_auth = renegotiate)");
        return PppStart::Negotiate;
    }
    match proxied_login(&info) {
        Ok(login) => PppStart::Proxied(Box::new(login)),
        Err(why) => {
            tracing::info!(%peer, l2tp_session = session_id, "proxy authentication not usable ({why}): renegotiating");
            PppStart::Negotiate
        }
    }
}

/// Creates the PPP session of an L2TP session and starts its task; None at the session limit.
/// What the tunnel knows of a session that came up.
struct NewSession {
    /// Our tunnel and session IDs.
    ids: (u16, u16),
    data: DataChannel,
    start: PppStart,
    numbers: CallNumbers,
}

fn start_session(
    server: &Arc<L2tpServer>,
    socket: &Arc<UdpSocket>,
    peer: PeerPath,
    sa: &Arc<SaWatch>,
    new: NewSession,
    ended_tx: &mpsc::UnboundedSender<(u16, String)>,
) -> Option<Arc<L2tpLink>> {
    let NewSession {
        ids: (tunnel_id, session_id),
        data,
        start,
        numbers,
    } = new;
    let Some(id) = server.shared.reserve_session() else {
        tracing::warn!(%peer, tunnel = tunnel_id, "L2TP session refused: max_sessions reached");
        return None;
    };
    let ppp = server.shared.new_ppp_session(server.settings.ppp.clone());
    let carrier = L2tpCarrier::new(data, peer, socket.clone(), Some(sa.clone()));
    let mss = server.settings.max_mss;
    let link = Arc::new(Link::new(id, ppp, carrier, mss, server.tun()));
    if matches!(start, PppStart::Negotiate) {
        // PPP starts now, not when the session's task first runs: a LAC's LCP Configure-Request
        // sent right behind its ICCN (queued behind it in this task) then finds it listening.
        link.lock().ppp.lower_up(Instant::now());
    }
    server.add_session(tunnel_id, session_id, peer, link.clone());
    tracing::debug!(session = id, %peer, tunnel = tunnel_id, l2tp_session = session_id, "L2TP session up");
    let origin = Origin {
        peer: peer.addr,
        ipsec: server.ipsec_sa(peer),
        carrier: HistoryCarrier::L2tp {
            tunnel_id,
            l2tp_session_id: session_id,
        },
        numbers,
    };
    spawn_session(
        &server.shared,
        link.clone(),
        origin,
        ended_tx.clone(),
        session_id,
        start,
    );
    Some(link)
}
