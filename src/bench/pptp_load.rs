//! The generator's PPTP side: one task per call, each with its own control connection (as
//! Windows dials), all calls' GRE on one raw socket read by one task that hands each packet to
//! its call by call ID.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use pppd::session::Session;
use pptpd::{ControlConfig, ControlConnection, ControlEvent, GreChannel, Role, MAX_MESSAGE_LEN};
use rand::{rngs::StdRng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;

use super::gre_calls::GreCalls;
use super::peer::{lock, BenchPeer, Ended, HANG_UP};
use super::{RunPhase, Shared};
use crate::pptp::carrier::GreCarrier;
use crate::pptp::gre_socket::GreSocket;

/// What every call shares: the raw GRE socket and the calls by our call ID.
pub struct Gre {
    /// The raw socket all calls send on.
    pub socket: Arc<GreSocket>,
    /// Where the receive task finds each call.
    pub calls: Arc<GreCalls>,
}

/// How long our Stop-Control-Connection-Request waits for its reply at most.
const STOP_WAIT: Duration = Duration::from_secs(5);

fn control_config() -> ControlConfig {
    ControlConfig {
        role: Role::Client,
        hostname: "rasd-bench".into(),
        vendor: "rasd".into(),
        max_calls: 1,
        ..ControlConfig::default()
    }
}

/// Why a call's setup did not finish: the stage and the cause.
type SetupFailure = (&'static str, String);

/// Runs call `number` (from 1; also its call ID) from connecting to its teardown.
pub async fn run_call(
    number: u32,
    shared: Arc<Shared>,
    gre: Arc<Gre>,
    mut phase: watch::Receiver<RunPhase>,
) {
    let asked = Instant::now();
    lock(&shared.tally).start(asked);
    let SocketAddr::V4(server) = shared.opts.server else {
        lock(&shared.tally).fail("control", "PPTP needs an IPv4 server");
        return;
    };
    let call_id = number as u16;
    let mut cc = ControlConnection::new(control_config(), asked);
    gre.calls.expect(call_id);
    let (mut stream, peer_call_id, window) =
        match set_up(&shared, server, &mut cc, call_id, &mut phase).await {
            Ok(got) => got,
            Err((stage, why)) => {
                gre.calls.remove(call_id);
                lock(&shared.tally).fail(stage, &why);
                return;
            }
        };
    let now = Instant::now();
    let carrier = GreCarrier::new(
        GreChannel::new(peer_call_id, window, now),
        *server.ip(),
        gre.socket.clone(),
    );
    let ppp = Session::new(shared.ppp.clone(), StdRng::from_entropy());
    let mut peer = BenchPeer::start(number, ppp, carrier, shared.opts.packet_size, asked);
    gre.calls.up(call_id, peer.link.clone());
    let how = run_ppp(&shared, &mut peer, &mut cc, &mut stream, &mut phase).await;
    gre.calls.remove(call_id);
    peer.add_traffic(&mut lock(&shared.tally).traffic);
    cc.clear_call(call_id, HANG_UP);
    cc.shutdown(Instant::now(), HANG_UP);
    let closed = stop(&mut cc, &mut stream).await;
    if how == Ended::HungUp {
        let unanswered = match &closed {
            Some(reason) if !reason.contains("no Stop-Control-Connection-Reply") => None,
            Some(reason) => Some(reason.as_str()),
            None => Some("control connection closed without a Stop-Control-Connection-Reply"),
        };
        lock(&shared.tally).tear_down(unanswered);
    }
}

/// TCP connection, control connection and the call; gives up when the setup phase ends.
async fn set_up(
    shared: &Shared,
    server: std::net::SocketAddrV4,
    cc: &mut ControlConnection,
    call_id: u16,
    phase: &mut watch::Receiver<RunPhase>,
) -> Result<(TcpStream, u16, u16), SetupFailure> {
    let socket = TcpSocket::new_v4().map_err(|e| ("control", e.to_string()))?;
    if let Some(bind) = shared.opts.bind {
        socket
            .bind(SocketAddr::from((bind, 0)))
            .map_err(|e| ("control", format!("binding {bind}: {e}")))?;
    }
    let mut stream = tokio::select! {
        got = socket.connect(SocketAddr::V4(server)) => got.map_err(|e| ("control", format!("connecting: {e}")))?,
        _ = until_setup_ends(phase) => return Err(("control", "not up when the setup phase ended".into())),
    };
    let _ = stream.set_nodelay(true);
    cc.start(Instant::now());
    cc.place_call(call_id);
    let mut buf = vec![0u8; 4096];
    loop {
        flush(cc, &mut stream).await.map_err(|e| ("control", e))?;
        while let Some(ev) = cc.poll_event() {
            match ev {
                ControlEvent::CallEstablished {
                    peer_call_id,
                    peer_recv_window,
                    ..
                } => return Ok((stream, peer_call_id, peer_recv_window)),
                ControlEvent::CallCleared { reason, .. } => return Err(("call", reason)),
                ControlEvent::Closed { reason } => return Err(("control", reason)),
                ControlEvent::CallRequested(req) => {
                    cc.refuse_call(req.token, "a client takes no calls")
                }
                ControlEvent::BadInput(_) => {}
            }
        }
        let stage = if cc.is_established() {
            "call"
        } else {
            "control"
        };
        let deadline = cc
            .poll_timeout()
            .unwrap_or(Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) => return Err((stage, "server closed the TCP connection".into())),
                Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
                Err(e) => return Err((stage, e.to_string())),
            },
            _ = tokio::time::sleep_until(deadline.into()) => cc.handle_timeout(Instant::now()),
            _ = until_setup_ends(phase) => return Err((stage, "not up when the setup phase ended".into())),
        }
    }
}

/// Resolves once the run has left the setup phase.
async fn until_setup_ends(phase: &mut watch::Receiver<RunPhase>) {
    let _ = phase.wait_for(|p| *p != RunPhase::Setup).await;
}

/// PPP over the call until it ends: on its own, or after our hang-up at the teardown.
async fn run_ppp(
    shared: &Shared,
    peer: &mut BenchPeer<GreCarrier>,
    cc: &mut ControlConnection,
    stream: &mut TcpStream,
    phase: &mut watch::Receiver<RunPhase>,
) -> Ended {
    let mut buf = vec![0u8; 4096];
    let mut scratch = vec![0u8; 2048];
    let size = shared.opts.packet_size;
    let probe_every = (size > 0)
        .then(|| Duration::from_secs_f64(1.0 / f64::from(shared.opts.packets_per_second)));
    let mut next_probe = Instant::now();
    let mut current = *phase.borrow();
    let mut tcp_open = true;
    loop {
        let now = Instant::now();
        if flush(cc, stream).await.is_err() {
            tcp_open = false;
        }
        while let Some(ev) = cc.poll_event() {
            if let ControlEvent::CallCleared { reason, .. } | ControlEvent::Closed { reason } = ev {
                peer.lower_down(&reason);
            }
        }
        if !tcp_open {
            peer.lower_down("server closed the TCP connection");
        }
        let (deadline, ended) = peer.service(now, &shared.tally);
        if let Some(how) = ended {
            return how;
        }
        let probing = current == RunPhase::Hold && probe_every.is_some();
        if probing && now >= next_probe {
            peer.send_probe(now, size, &mut scratch);
            next_probe = now + probe_every.unwrap_or_default();
        }
        let mut wake = [deadline, cc.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(now + Duration::from_secs(3600));
        if probing {
            wake = wake.min(next_probe);
        }
        tokio::select! {
            read = stream.read(&mut buf), if tcp_open => match read {
                Ok(0) | Err(_) => tcp_open = false,
                Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
            },
            _ = peer.link.wake.notified() => {}
            changed = phase.changed() => {
                current = if changed.is_err() { RunPhase::Teardown } else { *phase.borrow_and_update() };
                let now = Instant::now();
                match current {
                    RunPhase::Hold => peer.abandon(now, "not up when the setup phase ended", &shared.tally),
                    RunPhase::Teardown => peer.hang_up(now),
                    _ => {}
                }
            }
            _ = tokio::time::sleep_until(wake.into()) => cc.handle_timeout(Instant::now()),
        }
    }
}

/// Waits (bounded) for the control connection to close after our Stop-Control-Connection-
/// Request; its close reason, or None if it did not close.
async fn stop(cc: &mut ControlConnection, stream: &mut TcpStream) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let waited = tokio::time::timeout(STOP_WAIT, async {
        loop {
            if flush(cc, stream).await.is_err() {
                return None;
            }
            while let Some(ev) = cc.poll_event() {
                if let ControlEvent::Closed { reason } = ev {
                    return Some(reason);
                }
            }
            let deadline = cc
                .poll_timeout()
                .unwrap_or(Instant::now() + Duration::from_secs(1));
            tokio::select! {
                read = stream.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return None,
                    Ok(n) => cc.handle_bytes(Instant::now(), &buf[..n]),
                },
                _ = tokio::time::sleep_until(deadline.into()) => cc.handle_timeout(Instant::now()),
            }
        }
    })
    .await;
    waited.ok().flatten()
}

async fn flush(cc: &mut ControlConnection, stream: &mut TcpStream) -> Result<(), String> {
    let mut out = [0u8; MAX_MESSAGE_LEN];
    while let Some(n) = cc.poll_transmit(Instant::now(), &mut out) {
        stream
            .write_all(&out[..n])
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The raw GRE socket for the calls, bound to `bind` when given.
pub fn open_gre(bind: Option<Ipv4Addr>) -> anyhow::Result<Arc<Gre>> {
    use anyhow::Context;
    let socket = GreSocket::open(bind).context("opening the raw GRE socket (needs root)")?;
    Ok(Arc::new(Gre {
        socket,
        calls: Arc::new(GreCalls::default()),
    }))
}
