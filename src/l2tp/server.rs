//! The L2TP server (LNS): UDP listeners on port 1701, the demultiplexer that hands control
//! messages to their tunnel's task and data messages to their session, and the limits on
//! tunnels (in total, and in setup per peer address).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use dashmap::DashMap;
use l2tpd::header::Packet;
use l2tpd::message::ControlMessage;
use l2tpd::tunnel::Tunnel;
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::carrier::L2tpCarrier;
use super::peer_policy::PeerPolicies;
use super::tunnel_task::run_tunnel;
use crate::dataplane::TunWriter;
use crate::link::Link;
use crate::shared::Shared;

/// An L2TP session: PPP over a session's data channel.
pub type L2tpLink = Link<L2tpCarrier>;

/// Control datagrams waiting for one tunnel's task.
const TUNNEL_QUEUE: usize = 64;

/// Settings of the L2TP server, from the `[l2tp]` section.
#[derive(Clone, Debug)]
pub struct L2tpSettings {
    /// UDP addresses to listen on.
    pub listen: Vec<SocketAddr>,
    /// Tunnel settings and proxy policy by peer address (LNS role).
    pub peers: PeerPolicies,
    /// Tunnels at once.
    pub max_tunnels: usize,
    /// Tunnels still in setup from one address.
    pub max_in_setup_per_peer: usize,
    /// Largest TCP MSS let through either way (fits the tunnel MTU).
    pub max_mss: u16,
    /// The PPP settings of L2TP sessions.
    pub ppp: pppd::config::Config,
}

/// What the demultiplexer knows of a tunnel.
struct TunnelEntry {
    peer: SocketAddr,
    to_task: mpsc::Sender<Vec<u8>>,
}

/// What every tunnel task shares.
pub struct L2tpServer {
    /// Daemon-wide state.
    pub shared: Arc<Shared>,
    /// Settings.
    pub settings: L2tpSettings,
    tun: Arc<dyn TunWriter>,
    tunnels: DashMap<u16, TunnelEntry>,
    /// Tunnels in setup, by the peer's address and its Assigned Tunnel ID (SCCRQ retransmissions).
    in_setup: DashMap<(SocketAddr, u16), u16>,
    in_setup_per_peer: DashMap<IpAddr, usize>,
    /// Sessions by (our tunnel ID, our session ID), with the peer they belong to.
    sessions: DashMap<(u16, u16), (SocketAddr, Arc<L2tpLink>)>,
    tunnel_count: AtomicUsize,
}

impl L2tpServer {
    /// A server for these settings.
    pub fn new(shared: Arc<Shared>, settings: L2tpSettings, tun: Arc<dyn TunWriter>) -> Arc<Self> {
        Arc::new(L2tpServer {
            shared,
            settings,
            tun,
            tunnels: DashMap::new(),
            in_setup: DashMap::new(),
            in_setup_per_peer: DashMap::new(),
            sessions: DashMap::new(),
            tunnel_count: AtomicUsize::new(0),
        })
    }

    /// Binds every listen address.
    pub async fn bind(&self) -> Result<Vec<Arc<UdpSocket>>> {
        let mut out = Vec::new();
        for addr in &self.settings.listen {
            let sock = UdpSocket::bind(addr)
                .await
                .with_context(|| format!("listening on {addr} (l2tp)"))?;
            out.push(Arc::new(sock));
        }
        Ok(out)
    }

    /// Reads `socket` for the life of the daemon (tunnels closing at shutdown still need their
    /// peers' acknowledgments), handing each datagram to its tunnel or session.
    pub async fn receive_loop(self: Arc<Self>, socket: Arc<UdpSocket>) {
        let mut buf = vec![0u8; 65536];
        loop {
            match socket.recv_from(&mut buf).await {
                Ok((n, peer)) => self.dispatch(&socket, peer, &buf[..n]),
                Err(e) => tracing::debug!(error = %e, "L2TP receive failed"),
            }
        }
    }

    fn dispatch(self: &Arc<Self>, socket: &Arc<UdpSocket>, peer: SocketAddr, datagram: &[u8]) {
        let packet = match Packet::new_checked(datagram) {
            Ok(p) => p,
            Err(e) => {
                tracing::debug!(%peer, reason = e.reason(), "L2TP datagram dropped");
                return;
            }
        };
        if !packet.is_control() {
            self.deliver_data(peer, packet.tunnel_id(), packet.session_id(), datagram);
            return;
        }
        let tunnel_id = packet.tunnel_id();
        if tunnel_id != 0 {
            match self.tunnels.get(&tunnel_id) {
                Some(t) if t.peer.ip() == peer.ip() => {
                    if t.to_task.try_send(datagram.to_vec()).is_err() {
                        tracing::debug!(%peer, tunnel_id, "tunnel busy, control message dropped");
                    }
                }
                _ => {
                    tracing::debug!(%peer, tunnel_id, "control message for an unknown tunnel dropped")
                }
            }
            return;
        }
        if packet.payload().is_empty() {
            return; // a ZLB for no tunnel
        }
        self.new_tunnel(socket, peer, datagram, packet.payload());
    }

    /// An SCCRQ (tunnel ID 0): a retransmission goes to its tunnel, a new one makes a tunnel.
    fn new_tunnel(
        self: &Arc<Self>,
        socket: &Arc<UdpSocket>,
        peer: SocketAddr,
        datagram: &[u8],
        payload: &[u8],
    ) {
        let policy = self.settings.peers.for_peer(peer.ip());
        let secret = policy.tunnel.secret.as_deref();
        let peer_tunnel_id = match ControlMessage::parse(payload, secret) {
            Ok(msg) => msg.assigned_tunnel_id().unwrap_or(0),
            Err(e) => {
                tracing::debug!(%peer, error = %e, "bad message for tunnel 0 dropped");
                return;
            }
        };
        if let Some(ours) = self.in_setup.get(&(peer, peer_tunnel_id)).map(|e| *e) {
            if let Some(t) = self.tunnels.get(&ours) {
                let _ = t.to_task.try_send(datagram.to_vec());
            }
            return;
        }
        if *self.shared.shutdown_signal().borrow() {
            tracing::debug!(%peer, "tunnel refused: shutting down");
            return;
        }
        if let Err(why) = self.admit_tunnel(peer.ip()) {
            tracing::warn!(%peer, "tunnel refused: {why}");
            return;
        }
        let (tx, rx) = mpsc::channel(TUNNEL_QUEUE);
        let Some(our_id) = self.insert_tunnel(TunnelEntry {
            peer,
            to_task: tx.clone(),
        }) else {
            self.tunnel_gone(peer, None);
            return;
        };
        self.in_setup.insert((peer, peer_tunnel_id), our_id);
        let proxy_auth = policy.proxy_auth;
        let tunnel = Tunnel::new(
            policy.tunnel,
            our_id,
            Instant::now(),
            StdRng::from_entropy(),
        );
        let _ = tx.try_send(datagram.to_vec());
        let server = self.clone();
        let socket = socket.clone();
        self.shared.tracker.spawn(async move {
            run_tunnel(server.clone(), tunnel, proxy_auth, socket, peer, rx).await;
            server.tunnels.remove(&our_id);
            server.tunnel_gone(peer, Some((peer_tunnel_id, our_id)));
        });
    }

    fn admit_tunnel(&self, ip: IpAddr) -> Result<(), &'static str> {
        if self.tunnel_count.fetch_add(1, Ordering::SeqCst) >= self.settings.max_tunnels {
            self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
            return Err("max_tunnels reached");
        }
        let mut n = self.in_setup_per_peer.entry(ip).or_insert(0);
        if *n >= self.settings.max_in_setup_per_peer {
            drop(n);
            self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
            return Err("too many tunnels in setup from this address");
        }
        *n += 1;
        Ok(())
    }

    /// A tunnel finished its setup (established or not): it no longer counts as in setup.
    pub(super) fn setup_done(&self, peer: SocketAddr, peer_tunnel_id: u16) {
        if self.in_setup.remove(&(peer, peer_tunnel_id)).is_some() {
            if let dashmap::Entry::Occupied(mut e) = self.in_setup_per_peer.entry(peer.ip()) {
                *e.get_mut() -= 1;
                if *e.get() == 0 {
                    e.remove();
                }
            }
        }
    }

    fn tunnel_gone(&self, peer: SocketAddr, ids: Option<(u16, u16)>) {
        self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
        match ids {
            Some((peer_tunnel_id, _)) => self.setup_done(peer, peer_tunnel_id),
            None => {
                if let dashmap::Entry::Occupied(mut e) = self.in_setup_per_peer.entry(peer.ip()) {
                    *e.get_mut() -= 1;
                    if *e.get() == 0 {
                        e.remove();
                    }
                }
            }
        }
    }

    fn insert_tunnel(&self, entry: TunnelEntry) -> Option<u16> {
        let mut entry = Some(entry);
        for _ in 0..64 {
            let id: u16 = rand::random();
            if id == 0 {
                continue;
            }
            if let dashmap::Entry::Vacant(v) = self.tunnels.entry(id) {
                v.insert(entry.take()?);
                return Some(id);
            }
        }
        None
    }

    /// A data message: to its session's PPP, then to the TUN device.
    fn deliver_data(&self, peer: SocketAddr, tunnel_id: u16, session_id: u16, datagram: &[u8]) {
        let found = self
            .sessions
            .get(&(tunnel_id, session_id))
            .map(|e| (e.0, Arc::clone(&e.1)));
        let Some((_, link)) = found.filter(|(owner, _)| owner.ip() == peer.ip()) else {
            tracing::trace!(%peer, tunnel_id, session_id, "data for an unknown session dropped");
            return;
        };
        let now = Instant::now();
        let mut st = link.lock();
        let st = &mut *st;
        let frame = match st.carrier.data.receive(datagram) {
            Ok(frame) => frame,
            Err(why) => {
                tracing::trace!(%peer, session = link.id, ?why, "data message dropped");
                return;
            }
        };
        if link.receive_frame(st, now, frame) {
            Link::send_control(st, now);
            link.wake.notify_one();
        }
    }

    /// Registers a session's link for data demultiplexing.
    pub(super) fn add_session(
        &self,
        tunnel_id: u16,
        session_id: u16,
        peer: SocketAddr,
        link: Arc<L2tpLink>,
    ) {
        self.sessions.insert((tunnel_id, session_id), (peer, link));
    }

    /// Forgets a session.
    pub(super) fn remove_session(&self, tunnel_id: u16, session_id: u16) {
        self.sessions.remove(&(tunnel_id, session_id));
    }

    /// The shared TUN device.
    pub(super) fn tun(&self) -> Arc<dyn TunWriter> {
        self.tun.clone()
    }

    /// How long a tunnel's sessions get to end with it before they are forgotten.
    pub(super) fn session_grace(&self) -> Duration {
        Duration::from_secs(10)
    }
}
