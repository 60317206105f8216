//! The PPTP server: TCP listeners on port 1723, per-peer connection limits, and what every
//! control connection shares (the GRE socket, the call registry, the PPP template).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use dashmap::DashMap;
use pptpd::{ControlConfig, Role};
use tokio::net::TcpListener;

use super::control_task::run_control;
use super::gre_input::CallRegistry;
use super::gre_socket::GreSocket;
use crate::bad_input::BadInputKind;
use crate::dataplane::TunWriter;
use crate::shared::Shared;

/// Settings of the PPTP server, from the `[pptp]` section.
#[derive(Clone, Debug)]
pub struct PptpSettings {
    /// Addresses to listen on.
    pub listen: Vec<SocketAddr>,
    /// Largest TCP MSS let through either way (fits the tunnel MTU).
    pub max_mss: u16,
    /// Control connections one peer address may hold at once.
    pub max_connections_per_peer: usize,
    /// Control connections at once, from all peers together.
    pub max_connections: usize,
    /// Calls one control connection may carry.
    pub max_calls_per_connection: u16,
    /// The PPP settings of PPTP sessions, shared by all of them.
    pub ppp: Arc<pppd::config::Config>,
}

/// Most raw GRE sockets the calls are shared between. The kernel copies every GRE packet to
/// every raw GRE socket before each one's filter drops the copies of other readers' calls, so
/// readers past a few cost more than they spread.
const MAX_GRE_READERS: usize = 4;

/// What every PPTP control connection shares.
pub struct PptpServer {
    /// Daemon-wide state.
    pub shared: Arc<Shared>,
    /// The raw GRE sockets, one per reader, each taking its share of the calls by call ID; a
    /// call sends on the socket that reads it.
    pub gre: Vec<Arc<GreSocket>>,
    /// Calls by our call ID.
    pub calls: Arc<CallRegistry>,
    /// Settings.
    pub settings: PptpSettings,
    tun: Arc<dyn TunWriter>,
    per_peer: DashMap<IpAddr, usize>,
    connections: AtomicUsize,
}

impl PptpServer {
    /// A server with its GRE socket open.
    pub fn new(
        shared: Arc<Shared>,
        settings: PptpSettings,
        tun: Arc<dyn TunWriter>,
    ) -> Result<Arc<Self>> {
        let readers = crate::per_core::readers().min(MAX_GRE_READERS) as u16;
        let gre = GreSocket::open_group(None, readers)
            .context("opening the raw GRE sockets (needs root or CAP_NET_RAW)")?;
        Ok(Arc::new(PptpServer {
            shared,
            gre,
            calls: Arc::default(),
            settings,
            tun,
            per_peer: DashMap::new(),
            connections: AtomicUsize::new(0),
        }))
    }

    /// The shared TUN device sessions deliver to.
    pub fn tun(&self) -> Arc<dyn TunWriter> {
        self.tun.clone()
    }

    /// Binds every listen address (before privileges or tasks, so errors surface at start).
    pub async fn bind(&self) -> Result<Vec<TcpListener>> {
        let mut out = Vec::new();
        for addr in &self.settings.listen {
            out.push(listen(*addr).with_context(|| format!("listening on {addr} (pptp)"))?);
        }
        Ok(out)
    }

    /// Accepts control connections on `listener` until shutdown.
    pub async fn accept_loop(self: Arc<Self>, listener: TcpListener) {
        let mut shutdown = self.shared.shutdown_signal();
        loop {
            let (stream, peer) = tokio::select! {
                got = listener.accept() => match got {
                    Ok(got) => got,
                    Err(e) => {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                _ = shutdown.changed() => return,
            };
            let refused = |why: &str| {
                let why = format_args!("control connection refused: {why}");
                self.shared
                    .bad_input
                    .report(BadInputKind::PptpRefused, peer, why);
            };
            let IpAddr::V4(peer_ip) = peer.ip() else {
                refused("PPTP over IPv6 is not supported");
                continue;
            };
            if let Err(why) = self.admit(peer.ip()) {
                refused(why);
                continue;
            }
            let _ = stream.set_nodelay(true);
            let server = self.clone();
            self.shared
                .tracker
                .spawn(run_control(server, stream, peer, peer_ip));
        }
    }

    /// Counts a new connection from `ip`, or refuses it at the per-peer or the total limit.
    fn admit(&self, ip: IpAddr) -> Result<(), &'static str> {
        let total = self.connections.fetch_add(1, Ordering::SeqCst);
        if total >= self.settings.max_connections {
            self.connections.fetch_sub(1, Ordering::SeqCst);
            return Err("too many control connections in total");
        }
        let mut n = self.per_peer.entry(ip).or_insert(0);
        if *n >= self.settings.max_connections_per_peer {
            drop(n);
            self.connections.fetch_sub(1, Ordering::SeqCst);
            return Err("too many from this address");
        }
        *n += 1;
        Ok(())
    }

    /// A control connection from `ip` ended.
    pub fn connection_closed(&self, ip: IpAddr) {
        self.connections.fetch_sub(1, Ordering::SeqCst);
        if let dashmap::Entry::Occupied(mut e) = self.per_peer.entry(ip) {
            *e.get_mut() -= 1;
            if *e.get() == 0 {
                e.remove();
            }
        }
    }

    /// Settings of a new control connection.
    pub fn control_config(&self) -> ControlConfig {
        ControlConfig {
            role: Role::Server,
            hostname: self.settings.ppp.name.clone(),
            vendor: "rasd".into(),
            max_calls: self.settings.max_calls_per_connection,
            setup_timeout: Duration::from_secs(10),
            echo_interval: Duration::from_secs(60),
            echo_timeout: Duration::from_secs(60),
            recv_window: 64,
        }
    }

    /// PPP settings of a new PPTP session.
    pub fn ppp_config(&self) -> Arc<pppd::config::Config> {
        self.settings.ppp.clone()
    }
}

/// Pending connections the kernel queues for us: a burst of clients reconnecting after an
/// outage is not refused with SYN drops (each costing its client a 1 s retransmission).
const LISTEN_BACKLOG: u32 = 4096;

fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}
