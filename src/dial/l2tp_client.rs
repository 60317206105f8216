//! The L2TP dial client (LAC role): one tunnel, one session, PPP in the peer role.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use l2tpd::data::DataChannel;
use l2tpd::header::Packet;
use l2tpd::tunnel::{Role, Tunnel, TunnelConfig, TunnelEvent};
use pppd::session::Session;
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;

use super::client_tun::ClientTun;
use super::ppp_client::{drain_ppp_events, ppp_config, DialOptions};
use crate::l2tp::carrier::L2tpCarrier;
use crate::link::Link;

/// Connects, runs the session until it ends or the process is told to stop.
pub async fn dial_l2tp(opts: DialOptions) -> Result<()> {
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
    let mut buf = vec![0u8; 65536];

    // Tunnel and session set-up.
    let (peer_session_id, sequencing) = loop {
        send_control(&mut tunnel, &socket, server).await;
        let mut up = None;
        while let Some(event) = tunnel.poll_event() {
            match event {
                TunnelEvent::Established { .. } => {
                    if tunnel.open_session(Instant::now()).is_none() {
                        bail!("could not open a session");
                    }
                }
                TunnelEvent::SessionUp {
                    peer_session_id,
                    sequencing,
                    ..
                } => up = Some((peer_session_id, sequencing)),
                TunnelEvent::SessionDown { reason, .. } => bail!("session refused: {reason}"),
                TunnelEvent::Closed { reason } => bail!("tunnel closed: {reason}"),
            }
        }
        if let Some(up) = up {
            break up;
        }
        let deadline = tunnel
            .poll_timeout()
            .unwrap_or(Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            got = socket.recv_from(&mut buf) => {
                let (n, from) = got?;
                if from == server && Packet::new_checked(&buf[..n]).is_ok_and(|p| p.is_control()) {
                    tunnel.handle_control(Instant::now(), &buf[..n]);
                }
            }
            _ = tokio::time::sleep_until(deadline.into()) => tunnel.handle_timeout(Instant::now()),
        }
    };
    send_control(&mut tunnel, &socket, server).await;

    let tun = ClientTun::create(&opts.tun, opts.mtu)?;
    let now = Instant::now();
    let mut ppp = Session::new(ppp_config(&opts)?, now, StdRng::from_entropy());
    ppp.lower_up(now);
    let peer_tunnel_id = tunnel
        .peer_tunnel_id()
        .ok_or_else(|| anyhow!("no peer tunnel ID"))?;
    let data = DataChannel::new(peer_tunnel_id, peer_session_id, sequencing);
    let carrier = L2tpCarrier::new(data, server, socket.clone());
    let link = Arc::new(Link::new(1, ppp, carrier, opts.max_mss(), tun.clone()));
    tokio::spawn(tun.clone().pump_to(link.clone()));

    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut closing = false;
    let result = loop {
        send_control(&mut tunnel, &socket, server).await;
        while let Some(event) = tunnel.poll_event() {
            if let TunnelEvent::SessionDown { reason, .. } | TunnelEvent::Closed { reason } = event
            {
                link.lock().ppp.lower_down(Instant::now(), &reason);
            }
        }
        let deadline = link.pump(Instant::now());
        if let Some(reason) = drain_ppp_events(&link, &tun, &opts.routes)? {
            break reason;
        }
        let deadline = [deadline, tunnel.poll_timeout()]
            .into_iter()
            .flatten()
            .min();
        let sleep = tokio::time::sleep_until(
            deadline
                .unwrap_or(Instant::now() + Duration::from_secs(3600))
                .into(),
        );
        tokio::select! {
            got = socket.recv_from(&mut buf) => {
                let (n, from) = got?;
                if from == server {
                    receive(&mut tunnel, &link, &buf[..n]);
                }
            }
            _ = link.wake.notified() => {}
            _ = tokio::signal::ctrl_c(), if !closing => { closing = true; link.lock().ppp.close(Instant::now(), "user hung up"); }
            _ = sigterm.recv(), if !closing => { closing = true; link.lock().ppp.close(Instant::now(), "user hung up"); }
            _ = sleep => tunnel.handle_timeout(Instant::now()),
        }
    };
    println!("disconnected: {result}");
    tunnel.shutdown(Instant::now(), "user hung up");
    let _ = tokio::time::timeout(Duration::from_secs(3), async {
        while !tunnel.is_closed() {
            send_control(&mut tunnel, &socket, server).await;
            let deadline = tunnel.poll_timeout().unwrap_or(Instant::now() + Duration::from_secs(1));
            tokio::select! {
                Ok((n, from)) = socket.recv_from(&mut buf) => {
                    if from == server {
                        receive(&mut tunnel, &link, &buf[..n]);
                    }
                }
                _ = tokio::time::sleep_until(deadline.into()) => tunnel.handle_timeout(Instant::now()),
            }
        }
    })
    .await;
    if closing {
        Ok(())
    } else {
        Err(anyhow!("session ended: {result}"))
    }
}

/// One datagram from the server: control to the tunnel, data to PPP.
fn receive(tunnel: &mut Tunnel, link: &Link<L2tpCarrier>, datagram: &[u8]) {
    let Ok(packet) = Packet::new_checked(datagram) else {
        return;
    };
    let now = Instant::now();
    if packet.is_control() {
        tunnel.handle_control(now, datagram);
        return;
    }
    let mut st = link.lock();
    let st = &mut *st;
    if let Ok(frame) = st.carrier.data.receive(datagram) {
        if link.receive_frame(st, now, frame) {
            Link::send_control(st, now);
        }
    }
}

async fn send_control(tunnel: &mut Tunnel, socket: &UdpSocket, server: SocketAddr) {
    while let Some(datagram) = tunnel.poll_transmit(Instant::now()) {
        if let Err(e) = socket.send_to(&datagram, server).await {
            tracing::debug!(error = %e, "L2TP control send failed");
        }
    }
}
