//! The L2TP dial client (LAC role): one tunnel with one or more sessions, PPP in the peer role.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use l2tpd::data::DataChannel;
use l2tpd::header::Packet;
use l2tpd::tunnel::{
    CallNumbers, IncomingCall, Role, Tunnel, TunnelConfig, TunnelEvent, MAX_DATAGRAM,
};
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use super::l2tp_sessions::{tun_name, tun_names_fit, Sessions};
use super::ppp_client::DialOptions;

/// Connects, opens `sessions` sessions in one tunnel, and runs them until every one has ended
/// or the process is told to stop. An error when the sessions ended without being told to.
pub async fn dial_l2tp(opts: DialOptions, sessions: usize) -> Result<()> {
    if !tun_names_fit(&opts.tun, sessions) {
        bail!(
            "TUN device name {} is longer than 15 characters: shorten --tun",
            tun_name(&opts.tun, sessions)
        );
    }
    let server = opts.server;
    let local: SocketAddr = if server.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()?;
    let socket = Arc::new(
        UdpSocket::bind(local)
            .await
            .context("binding a UDP socket")?,
    );
    let cfg = TunnelConfig {
        role: Role::Lac,
        host_name: "rasd-dial".into(),
        secret: opts.secret.as_ref().map(|s| s.as_bytes().to_vec()),
        ..TunnelConfig::default()
    };
    let mut tunnel = Tunnel::new(
        cfg,
        rand::random::<u16>().max(1),
        Instant::now(),
        StdRng::from_entropy(),
    );
    tunnel.start(Instant::now());
    let (ended_tx, mut ended_rx) = mpsc::unbounded_channel();
    let mut live = Sessions::new(sessions, Arc::new(opts), socket.clone(), ended_tx);
    let mut buf = vec![0u8; 65536];
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sigint = signal(SignalKind::interrupt())?;
    let (mut opened, mut closed, mut closing) = (false, false, false);
    // Why the last session (or the tunnel) ended, for the exit status.
    let mut last = String::from("no session");

    loop {
        send_control(&mut tunnel, &socket, server).await;
        while let Some(event) = tunnel.poll_event() {
            match event {
                TunnelEvent::Established { .. } => {
                    opened = true;
                    for _ in 0..sessions {
                        let (info, start) = match live.proxy_pap() {
                            Some(p) => (Some(p.0), Some(p.1)),
                            None => (None, None),
                        };
                        let call = IncomingCall {
                            numbers: CallNumbers {
                                calling: live.calling_number(),
                                called: None,
                            },
                            proxy: info,
                        };
                        match tunnel.open_call(Instant::now(), call) {
                            Some(id) => live.opening(id, start),
                            None => last = "could not open a session".into(),
                        }
                    }
                }
                TunnelEvent::SessionUp {
                    session_id,
                    peer_session_id,
                    sequencing,
                    ..
                } => {
                    let peer_tunnel_id = tunnel.peer_tunnel_id().unwrap_or(0);
                    let data = DataChannel::new(peer_tunnel_id, peer_session_id, sequencing);
                    if let Err(e) = live.start(session_id, data) {
                        if sessions > 1 {
                            eprintln!("a session could not start: {e:#}");
                        }
                        last = format!("{e:#}");
                        live.remove(session_id);
                        tunnel.close_session(Instant::now(), session_id, "client failed");
                    }
                }
                TunnelEvent::SessionDown { session_id, reason } => {
                    if let Some(number) = live.down(session_id, &reason) {
                        if sessions > 1 {
                            eprintln!("session {number} refused: {reason}");
                        }
                        last = format!("session refused: {reason}");
                    }
                }
                TunnelEvent::Closed { reason } => {
                    closed = true;
                    if !opened {
                        last = format!("tunnel closed: {reason}");
                    }
                }
            }
        }
        if live.is_empty() && (opened || closed || closing) {
            break;
        }
        let deadline = tunnel
            .poll_timeout()
            .unwrap_or(Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            got = socket.recv_from(&mut buf) => {
                let (n, from) = got?;
                if from == server {
                    receive(&mut tunnel, &live, &buf[..n]);
                }
            }
            Some((id, reason)) = ended_rx.recv() => {
                if live.remove(id) {
                    tunnel.close_session(Instant::now(), id, &reason);
                    last = format!("session ended: {reason}");
                }
            }
            _ = sigint.recv(), if !closing => { closing = true; live.hang_up(&mut tunnel, Instant::now()); }
            _ = sigterm.recv(), if !closing => { closing = true; live.hang_up(&mut tunnel, Instant::now()); }
            _ = tokio::time::sleep_until(deadline.into()) => tunnel.handle_timeout(Instant::now()),
        }
    }
    close_tunnel(&mut tunnel, &socket, server, &mut buf).await;
    if closing {
        Ok(())
    } else if sessions > 1 {
        Err(anyhow!("all {sessions} sessions ended; the last: {last}"))
    } else {
        Err(anyhow!("{last}"))
    }
}

/// One datagram from the server: control to the tunnel, data of our tunnel to its session.
fn receive(tunnel: &mut Tunnel, live: &Sessions, datagram: &[u8]) {
    let Ok(packet) = Packet::new_checked(datagram) else {
        return;
    };
    if packet.is_control() {
        tunnel.handle_control(Instant::now(), datagram);
    } else if packet.tunnel_id() == tunnel.our_tunnel_id() {
        live.deliver(packet.session_id(), datagram);
    }
}

/// StopCCN (after a CDN for any session left), waiting up to 3 s for its acknowledgement;
/// prints `tunnel closed: REASON` (the reason says whether the StopCCN was acknowledged).
async fn close_tunnel(tunnel: &mut Tunnel, socket: &UdpSocket, server: SocketAddr, buf: &mut [u8]) {
    let was_closed = tunnel.is_closed();
    tunnel.shutdown(Instant::now(), "user hung up");
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while !tunnel.is_closed() {
            send_control(tunnel, socket, server).await;
            let deadline = tunnel
                .poll_timeout()
                .unwrap_or(Instant::now() + Duration::from_secs(1));
            tokio::select! {
                Ok((n, from)) = socket.recv_from(buf) => {
                    let control = Packet::new_checked(&buf[..n]).is_ok_and(|p| p.is_control());
                    if from == server && control {
                        tunnel.handle_control(Instant::now(), &buf[..n]);
                    }
                }
                _ = tokio::time::sleep_until(deadline.into()) => tunnel.handle_timeout(Instant::now()),
            }
        }
    })
    .await;
    while let Some(event) = tunnel.poll_event() {
        if let TunnelEvent::Closed { reason } = event {
            if !was_closed {
                println!("tunnel closed: {reason}");
            }
        }
    }
}

async fn send_control(tunnel: &mut Tunnel, socket: &UdpSocket, server: SocketAddr) {
    let mut buf = [0u8; MAX_DATAGRAM];
    while let Some(n) = tunnel.poll_transmit(Instant::now(), &mut buf) {
        if let Err(e) = socket.send_to(&buf[..n], server).await {
            tracing::debug!(error = %e, "L2TP control send failed");
        }
    }
}
