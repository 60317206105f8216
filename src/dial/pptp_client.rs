//! The PPTP dial client: control connection, one call, PPP in the peer role.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use pppd::session::Session;
use pptpd::{ControlConfig, ControlConnection, ControlEvent, GreChannel, Role, MAX_MESSAGE_LEN};
use rand::{rngs::StdRng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::client_tun::ClientTun;
use super::ppp_client::{drain_ppp_events, ppp_config, DialOptions};
use crate::link::Link;
use crate::pptp::carrier::GreCarrier;
use crate::pptp::gre_input::{run_gre_input, CallRegistry};
use crate::pptp::gre_socket::GreSocket;

/// Connects, runs the session until it ends or the process is told to stop.
pub async fn dial_pptp(opts: DialOptions) -> Result<()> {
    let SocketAddr::V4(server_v4) = opts.server else {
        bail!("PPTP over IPv6 is not supported")
    };
    let server_ip = *server_v4.ip();
    let mut stream = TcpStream::connect(opts.server)
        .await
        .with_context(|| format!("connecting to {}", opts.server))?;
    let call_id: u16 = rand::random::<u16>().max(1);
    // Open the GRE socket before the call exists, so the server's first frames are not lost;
    // it reads our call's packets only, not every GRE packet on the host.
    let gre = GreSocket::open_for_call(None, call_id)
        .context("opening the raw GRE socket (needs root)")?;
    let now = Instant::now();
    let mut cc = ControlConnection::new(control_config(), now);
    cc.start(now);
    let mut started_call = false;
    let mut buf = vec![0u8; 4096];

    // Control connection and call set-up.
    let (peer_call_id, peer_window) = loop {
        flush(&mut cc, &mut stream).await?;
        let mut established = None;
        while let Some(ev) = cc.poll_event() {
            match ev {
                ControlEvent::CallEstablished {
                    peer_call_id,
                    peer_recv_window,
                    ..
                } => established = Some((peer_call_id, peer_recv_window)),
                ControlEvent::CallCleared { reason, .. } => bail!("call refused: {reason}"),
                ControlEvent::Closed { reason } => bail!("control connection closed: {reason}"),
                ControlEvent::CallRequested(req) => {
                    cc.refuse_call(req.token, "client accepts no calls")
                }
                ControlEvent::BadInput(bad) => tracing::debug!(%bad, "bad input from the server"),
            }
        }
        if let Some(got) = established {
            break got;
        }
        if !started_call && cc.is_established() {
            cc.place_call(call_id);
            started_call = true;
            continue;
        }
        read_or_timer(&mut cc, &mut stream, &mut buf).await?;
    };

    let tun = ClientTun::create(&opts.tun, opts.mtu)?;
    let now = Instant::now();
    let mut ppp = Session::new(ppp_config(&opts)?, StdRng::from_entropy());
    ppp.lower_up(now);
    let channel = GreChannel::new(peer_call_id, peer_window, now);
    let link = Arc::new(Link::new(
        1,
        ppp,
        GreCarrier::new(channel, server_ip, gre.clone()),
        opts.max_mss(),
        tun.clone(),
    ));
    let calls = Arc::new(CallRegistry::default());
    calls.insert(call_id, server_ip, link.clone());
    tokio::spawn(run_gre_input(gre, calls, Arc::default()));
    tokio::spawn(tun.clone().pump_to(link.clone()));

    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut closing = false;
    let result = loop {
        flush(&mut cc, &mut stream).await?;
        while let Some(ev) = cc.poll_event() {
            if let ControlEvent::CallCleared { reason, .. } | ControlEvent::Closed { reason } = ev {
                link.lock().ppp.lower_down(&reason);
            }
        }
        let deadline = link.pump(Instant::now());
        let down = drain_ppp_events(&link, &tun, &opts.routes, "")?;
        if let Some(reason) = down {
            break reason;
        }
        let deadline = [deadline, cc.poll_timeout()].into_iter().flatten().min();
        let sleep = tokio::time::sleep_until(
            deadline
                .unwrap_or(Instant::now() + Duration::from_secs(3600))
                .into(),
        );
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => link.lock().ppp.lower_down("server closed the TCP connection"),
                Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
            },
            _ = link.wake.notified() => {}
            _ = tokio::signal::ctrl_c(), if !closing => { closing = true; link.lock().ppp.close(Instant::now(), "user hung up"); }
            _ = sigterm.recv(), if !closing => { closing = true; link.lock().ppp.close(Instant::now(), "user hung up"); }
            _ = sleep => cc.handle_timeout(Instant::now()),
        }
    };
    println!("disconnected: {result}");
    if !cc.is_closed() {
        cc.clear_call(call_id, "user hung up");
        cc.shutdown(Instant::now(), "user hung up");
        let _ = tokio::time::timeout(Duration::from_secs(3), async {
            while !cc.is_closed() {
                if flush(&mut cc, &mut stream).await.is_err()
                    || read_or_timer(&mut cc, &mut stream, &mut buf).await.is_err()
                {
                    break;
                }
            }
        })
        .await;
    }
    if closing {
        Ok(())
    } else {
        Err(anyhow!("session ended: {result}"))
    }
}

fn control_config() -> ControlConfig {
    ControlConfig {
        role: Role::Client,
        hostname: "rasd-dial".into(),
        vendor: "rasd".into(),
        max_calls: 1,
        setup_timeout: Duration::from_secs(10),
        echo_interval: Duration::from_secs(60),
        echo_timeout: Duration::from_secs(60),
        recv_window: 64,
    }
}

async fn flush(cc: &mut ControlConnection, stream: &mut TcpStream) -> Result<()> {
    let mut out = [0u8; MAX_MESSAGE_LEN];
    while let Some(n) = cc.poll_transmit(Instant::now(), &mut out) {
        stream
            .write_all(&out[..n])
            .await
            .context("writing to the control connection")?;
    }
    Ok(())
}

async fn read_or_timer(
    cc: &mut ControlConnection,
    stream: &mut TcpStream,
    buf: &mut [u8],
) -> Result<()> {
    let deadline = cc
        .poll_timeout()
        .unwrap_or(Instant::now() + Duration::from_secs(3600));
    tokio::select! {
        read = stream.read(buf) => match read {
            Ok(0) => bail!("server closed the control connection"),
            Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
            Err(e) => bail!("control connection: {e}"),
        },
        _ = tokio::time::sleep_until(deadline.into()) => cc.handle_timeout(Instant::now()),
    }
    Ok(())
}
