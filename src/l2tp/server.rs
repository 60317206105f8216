//! The L2TP server (LNS): UDP listeners on port 1701, the demultiplexer that hands control
//! messages to their tunnel's task and data messages to their session, and the admission of
//! new tunnels (`setup_limit`).
//!
//! Established tunnels come first: their control messages and data never wait behind setup
//! work. The receive loop only parses an SCCRQ and asks the setup table; tunnels in setup are
//! bounded in number and rate, and every send is non-blocking, so a flood of forged SCCRQs
//! (whose SCCRPs may wait for ARP and fill the socket's send buffer) cannot stall replies to
//! established tunnels. A tunnel's messages must come from the address and port it was set up
//! with; anything else is dropped and counted.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use dashmap::DashMap;
use l2tpd::data::DataDrop;
use l2tpd::header::Packet;
use l2tpd::message::ControlMessage;
use l2tpd::tunnel::{ClosedTunnel, Tunnel};
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

use super::carrier::L2tpCarrier;
use super::mark_io;
use super::path::PeerPath;
use super::peer_policy::PeerPolicies;
use super::sa_watch::SaWatch;
use super::setup_limit::{SetupHandle, SetupLimits, SetupTable};
use super::socket;
use super::tunnel_task::run_tunnel;
use crate::bad_input::BadInputKind;
use crate::dataplane::TunWriter;
use crate::ipsec::{IpsecSa, SaTable};
use crate::link::Link;
use crate::priority_send::Traffic;
use crate::scratch::{with_scratch, Scratch, SCRATCH_LEN};
use crate::shared::Shared;

/// An L2TP session: PPP over a session's data channel.
pub type L2tpLink = Link<L2tpCarrier>;

/// Control datagrams waiting for one tunnel's task.
const TUNNEL_QUEUE: usize = 64;

// A tunnel's control datagrams are built in the thread's scratch buffer.
const _: () = assert!(SCRATCH_LEN >= l2tpd::tunnel::MAX_DATAGRAM);

/// Of those, the room data for a not-yet-known session may not take: a full control window
/// (the default receive window is 16).
const CONTROL_RESERVE: usize = 16;

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
    /// Tunnels still in setup from all addresses.
    pub max_in_setup: usize,
    /// SCCRQs that may start a tunnel per second.
    pub setups_per_second: u32,
    /// SO_RCVBUF / SO_SNDBUF of each socket, in bytes.
    pub socket_buffer: usize,
    /// Largest TCP MSS let through either way (fits the tunnel MTU).
    pub max_mss: u16,
    /// The PPP settings of L2TP sessions, shared by all of them.
    pub ppp: Arc<pppd::config::Config>,
}

/// What the demultiplexer knows of a tunnel.
struct TunnelEntry {
    /// The address, port and SA the tunnel was set up from: the only ones it is served from.
    peer: PeerPath,
    served: Served,
}

/// Who answers a tunnel's control messages.
enum Served {
    /// Its task, running the tunnel.
    ByTask(TaskLink),
    /// The receive loop, from what is left of a tunnel its peer closed, until the hold after
    /// the StopCCN is over: a few bytes where the tunnel's task took kilobytes.
    Closed(ClosedTunnel),
}

/// The way to a tunnel's task.
struct TaskLink {
    to_task: mpsc::Sender<Vec<u8>>,
    /// Its setup, marked answered when the peer sends anything after the SCCRQ.
    setup: SetupHandle,
    /// Set when the IPsec SA it came through went down.
    sa_gone: Arc<SaWatch>,
}

impl TunnelEntry {
    /// Its task, unless the tunnel is closed.
    fn task(&self) -> Option<&TaskLink> {
        match &self.served {
            Served::ByTask(task) => Some(task),
            Served::Closed(_) => None,
        }
    }
}

/// What every tunnel task shares.
pub struct L2tpServer {
    /// Daemon-wide state.
    pub shared: Arc<Shared>,
    /// Settings.
    pub settings: L2tpSettings,
    tun: Arc<dyn TunWriter>,
    tunnels: DashMap<u16, TunnelEntry>,
    /// Tunnels in setup; taken only by the SCCRQ path and at the end of a setup.
    setup: Mutex<SetupTable>,
    /// Sessions by (our tunnel ID, our session ID), with the peer they belong to.
    sessions: DashMap<(u16, u16), (PeerPath, Arc<L2tpLink>)>,
    tunnel_count: AtomicUsize,
    /// The IPsec SAs charon told us of, when `[ipsec]` is on.
    ipsec: Option<Arc<SaTable>>,
}

impl L2tpServer {
    /// A server for these settings.
    pub fn new(
        shared: Arc<Shared>,
        settings: L2tpSettings,
        tun: Arc<dyn TunWriter>,
        ipsec: Option<Arc<SaTable>>,
    ) -> Arc<Self> {
        let limits = SetupLimits {
            max_total: settings.max_in_setup,
            max_per_peer: settings.max_in_setup_per_peer,
            per_second: settings.setups_per_second,
        };
        Arc::new(L2tpServer {
            shared,
            settings,
            tun,
            tunnels: DashMap::new(),
            setup: Mutex::new(SetupTable::new(limits)),
            sessions: DashMap::new(),
            tunnel_count: AtomicUsize::new(0),
            ipsec,
        })
    }

    /// Binds every listen address, with `socket_buffer` bytes of buffer each way: for each, one
    /// socket per core sharing the port ([`socket::bind_group`]), each to be read by its own
    /// [`receive_loop`](Self::receive_loop).
    pub fn bind(&self) -> Result<Vec<Vec<Arc<UdpSocket>>>> {
        let size = self.settings.socket_buffer;
        let readers = crate::per_core::readers();
        self.settings
            .listen
            .iter()
            .map(|a| {
                let group = socket::bind_group(*a, size, readers)?;
                Ok(group.into_iter().map(Arc::new).collect())
            })
            .collect()
    }

    /// Reads `socket` for the life of the daemon (tunnels closing at shutdown still need their
    /// peers' acknowledgments), handing each datagram to its tunnel or session.
    pub async fn receive_loop(self: Arc<Self>, socket: Arc<UdpSocket>) {
        let mut batch = mark_io::RecvBatch::default();
        loop {
            if let Err(e) = mark_io::recv_batch(&socket, &mut batch).await {
                tracing::debug!(error = %e, "L2TP receive failed");
                continue;
            }
            for (datagram, peer) in batch.datagrams() {
                match datagram {
                    Ok(datagram) => self.dispatch(&socket, peer, datagram),
                    Err(len) => {
                        let why =
                            format_args!("datagram of {len} bytes or more, over {}", mark_io::SLOT);
                        self.report(BadInputKind::L2tpMalformed, peer, why);
                    }
                }
            }
        }
    }

    fn dispatch(self: &Arc<Self>, socket: &Arc<UdpSocket>, peer: PeerPath, datagram: &[u8]) {
        let packet = match Packet::new_checked(datagram) {
            Ok(p) => p,
            Err(e) => {
                self.report(BadInputKind::L2tpMalformed, peer, e.reason());
                return;
            }
        };
        if !packet.is_control() {
            self.deliver_data(peer, packet.tunnel_id(), packet.session_id(), datagram);
            return;
        }
        let tunnel_id = packet.tunnel_id();
        if tunnel_id != 0 {
            let tunnel = self.tunnels.get(&tunnel_id);
            match tunnel.as_deref() {
                Some(t) if t.peer == peer => match &t.served {
                    Served::ByTask(task) => {
                        if !task.setup.answered.load(Ordering::Relaxed) {
                            task.setup.answered.store(true, Ordering::Relaxed);
                        }
                        if task.to_task.try_send(datagram.to_vec()).is_err() {
                            let why = format_args!("tunnel {tunnel_id} busy, control message");
                            self.report(BadInputKind::L2tpTunnelBusy, peer, why);
                        }
                    }
                    Served::Closed(record) => {
                        let record = *record;
                        drop(tunnel);
                        self.acknowledge_closed(socket, peer, record, datagram);
                    }
                },
                Some(t) if t.peer.is_ipsec() && !peer.is_ipsec() => {
                    let why =
                        format_args!("cleartext control message for IPsec tunnel {tunnel_id}");
                    self.report(BadInputKind::L2tpCleartext, peer, why);
                }
                Some(t) => {
                    let why = format_args!("control message for tunnel {tunnel_id} of {}", t.peer);
                    self.report(BadInputKind::L2tpWrongPeer, peer, why);
                }
                None => {
                    let why = format_args!("control message for unknown tunnel {tunnel_id}");
                    self.report(BadInputKind::L2tpUnknownTunnel, peer, why);
                }
            }
            return;
        }
        if packet.payload().is_empty() {
            return; // a ZLB for no tunnel
        }
        self.new_tunnel(socket, peer, datagram, packet.payload());
    }

    /// An SCCRQ (tunnel ID 0): a retransmission goes to its tunnel, a new one makes a tunnel
    /// if the limits allow.
    fn new_tunnel(
        self: &Arc<Self>,
        socket: &Arc<UdpSocket>,
        peer: PeerPath,
        datagram: &[u8],
        payload: &[u8],
    ) {
        let policy = self.settings.peers.for_peer(peer.addr.ip());
        if policy.require_ipsec && !self.came_through_ipsec(peer) {
            return;
        }
        let secret = policy.tunnel.secret.as_deref();
        let peer_tunnel_id = match ControlMessage::parse(payload, secret) {
            Ok(msg) => msg.assigned_tunnel_id().unwrap_or(0),
            Err(e) => {
                self.report(
                    BadInputKind::L2tpBadSccrq,
                    peer,
                    format_args!("message for tunnel 0: {e}"),
                );
                return;
            }
        };
        let key = (peer, peer_tunnel_id);
        let now = Instant::now();
        let mut table = self.setup.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(ours) = table.lookup(key) {
            drop(table);
            if let Some(task) = self
                .tunnels
                .get(&ours)
                .as_deref()
                .and_then(TunnelEntry::task)
            {
                let _ = task.to_task.try_send(datagram.to_vec());
            }
            return;
        }
        if *self.shared.shutdown_signal().borrow() {
            tracing::debug!(%peer, "tunnel refused: shutting down");
            return;
        }
        if self.tunnel_count.fetch_add(1, Ordering::SeqCst) >= self.settings.max_tunnels {
            self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
            drop(table);
            self.report(
                BadInputKind::L2tpTunnelRefused,
                peer,
                "tunnel refused: max_tunnels reached",
            );
            return;
        }
        let evicted = match table.admit(now, peer.addr.ip()) {
            Ok(evicted) => evicted,
            Err(refusal) => {
                self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
                drop(table);
                let why = format_args!("tunnel refused: {}", refusal.reason());
                self.report(BadInputKind::L2tpTunnelRefused, peer, why);
                return;
            }
        };
        for setup in evicted {
            setup.evicted.notify_one();
        }
        let (tx, rx) = mpsc::channel(TUNNEL_QUEUE);
        let setup = SetupHandle::default();
        let sa_gone = Arc::new(SaWatch::default());
        let entry = TunnelEntry {
            peer,
            served: Served::ByTask(TaskLink {
                to_task: tx.clone(),
                setup: setup.clone(),
                sa_gone: sa_gone.clone(),
            }),
        };
        let Some(our_id) = self.insert_tunnel(entry) else {
            table.release(peer.addr.ip());
            self.tunnel_count.fetch_sub(1, Ordering::SeqCst);
            return;
        };
        table.insert(now, key, our_id, setup.clone());
        drop(table);
        if peer.is_ipsec() && self.ipsec_sa(peer).is_none() {
            sa_gone.set_gone(); // it went down since the check: `close_tunnels_of_gone_sas` missed it
        }
        let proxy_auth = policy.proxy_auth;
        let tunnel = Tunnel::new(policy.tunnel, our_id, now, StdRng::from_entropy());
        let _ = tx.try_send(datagram.to_vec());
        let server = self.clone();
        let socket = socket.clone();
        self.shared.tracker.spawn(async move {
            let evicted = setup.evicted.clone();
            tokio::select! {
                _ = run_tunnel(server.clone(), tunnel, proxy_auth, socket, peer, rx, sa_gone) => {}
                _ = evicted.notified() => {
                    tracing::debug!(%peer, tunnel = our_id, "tunnel in setup dropped to make room: its peer never answered");
                }
            }
            // A tunnel its peer closed stays, as a record, until its hold is over.
            server
                .tunnels
                .remove_if(&our_id, |_, t| matches!(t.served, Served::ByTask(_)));
            server.setup_done(key, our_id);
            server.tunnel_count.fetch_sub(1, Ordering::SeqCst);
        });
    }

    /// Tunnel `our_id`, closed by its peer, is answered from `record` until its hold is over:
    /// its task may end.
    pub(super) fn keep_closed(self: &Arc<Self>, our_id: u16, record: ClosedTunnel) {
        if let Some(mut t) = self.tunnels.get_mut(&our_id) {
            t.served = Served::Closed(record);
        }
        let server = Arc::downgrade(self);
        // Not tracked: nothing is lost when the daemon stops before it expires.
        tokio::spawn(async move {
            tokio::time::sleep_until(record.until().into()).await;
            if let Some(server) = server.upgrade() {
                let closed = |_: &u16, t: &TunnelEntry| matches!(t.served, Served::Closed(_));
                server.tunnels.remove_if(&our_id, closed);
            }
        });
    }

    /// A control message for a tunnel its peer closed: a retransmission is acknowledged
    /// again, as the tunnel would (unless its IPsec SA is gone: the ZLB would leave in
    /// cleartext).
    fn acknowledge_closed(
        &self,
        socket: &UdpSocket,
        peer: PeerPath,
        record: ClosedTunnel,
        datagram: &[u8],
    ) {
        if peer.is_ipsec() && self.ipsec_sa(peer).is_none() {
            return;
        }
        let mut zlb = [0u8; 16];
        let Some(n) = record.acknowledge(Instant::now(), datagram, &mut zlb) else {
            return;
        };
        if let Err(e) = mark_io::try_send(socket, &zlb[..n], peer, Traffic::Control) {
            let why = format_args!("L2TP control send failed: {e}");
            self.report(BadInputKind::L2tpSendFailed, peer, why);
        }
    }

    /// Tunnel `our_id` finished its setup (established or not): it no longer counts as in setup.
    pub(super) fn setup_done(&self, key: (PeerPath, u16), our_id: u16) {
        let mut table = self.setup.lock().unwrap_or_else(|p| p.into_inner());
        table.done(key, our_id);
    }

    /// Whether an SCCRQ from `peer` came through an IPsec SA we know; if not, it is counted
    /// and (rate-limited) logged. An SA too new for us to have heard of is looked up again, and
    /// the LAC's retransmission finds it.
    fn came_through_ipsec(&self, peer: PeerPath) -> bool {
        if !peer.is_ipsec() {
            let why = "L2TP outside IPsec refused (require_ipsec)";
            self.report(BadInputKind::L2tpCleartext, peer, why);
            return false;
        }
        let known = self.ipsec.as_ref().and_then(|sas| sas.lookup(peer.mark));
        match known {
            Some(sa) if sa.peer.ip() == peer.addr.ip() => true,
            Some(sa) => {
                let why = format_args!("SCCRQ through the SA of {}", sa.peer);
                self.report(BadInputKind::L2tpWrongPeer, peer, why);
                false
            }
            None => {
                if let Some(sas) = &self.ipsec {
                    sas.request_refresh();
                }
                let why = "SCCRQ through an IPsec SA not known yet";
                self.report(BadInputKind::L2tpUnknownSa, peer, why);
                false
            }
        }
    }

    /// Closes the tunnels whose IPsec SA went down, for the life of the daemon. Nothing more
    /// can reach their peers (a send would leave in cleartext, and is not made).
    pub async fn close_tunnels_of_gone_sas(self: Arc<Self>) {
        let Some(sas) = self.ipsec.clone() else {
            return;
        };
        loop {
            sas.gone_notified().await;
            for mark in sas.take_gone() {
                for t in self.tunnels.iter().filter(|t| t.peer.mark == mark) {
                    if let Some(task) = t.task() {
                        tracing::debug!(peer = %t.peer, tunnel = *t.key(), "IPsec SA closed: closing its tunnel");
                        task.sa_gone.set_gone();
                    }
                }
            }
        }
    }

    /// The IPsec SA a path's datagrams come through, if any.
    pub(super) fn ipsec_sa(&self, peer: PeerPath) -> Option<Arc<IpsecSa>> {
        self.ipsec.as_ref()?.lookup(peer.mark)
    }

    /// Counts and (rate-limited) logs a datagram dropped for `kind`; L2TP refused for want of
    /// IPsec is logged per peer, so each client that tries is named.
    fn report(&self, kind: BadInputKind, peer: PeerPath, why: impl std::fmt::Display) {
        let bad = &self.shared.bad_input;
        let per_peer = matches!(
            kind,
            BadInputKind::L2tpCleartext | BadInputKind::L2tpUnknownSa
        );
        match (per_peer, peer.is_ipsec()) {
            (true, _) => bad.report_per_peer(kind, peer.addr, why),
            (false, true) => {
                let why = format_args!("{why} (SA mark {:#x})", peer.mark);
                bad.report(kind, peer.addr, why);
            }
            (false, false) => {
                bad.report(kind, peer.addr, why);
            }
        }
    }

    /// Sends every control datagram `tunnel` has, without waiting: when the socket's buffer is
    /// full the datagram is dropped, counted and left to the reliable channel's retransmission.
    pub(super) fn send_control(
        &self,
        tunnel: &mut Tunnel,
        socket: &UdpSocket,
        peer: PeerPath,
        sa: &SaWatch,
        now: Instant,
    ) {
        let sa_gone = sa.is_gone();
        // The thread's buffer, not one per tunnel: a tunnel lingering after its StopCCN, or
        // one of hundreds held, keeps no 4 KiB of its own.
        with_scratch(Scratch::Datagram, |buf| {
            while let Some(n) = tunnel.poll_transmit(now, buf) {
                if sa_gone {
                    continue; // its SA is gone: the tunnel is being closed
                }
                if let Err(e) = mark_io::try_send(socket, &buf[..n], peer, Traffic::Control) {
                    let why = format_args!("L2TP control send failed: {e}");
                    self.report(BadInputKind::L2tpSendFailed, peer, why);
                }
            }
        })
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

    /// A data message: to its session's PPP, then to the TUN device. One for a session not
    /// (yet) known goes to its tunnel's task, behind the control messages waiting there.
    fn deliver_data(&self, peer: PeerPath, tunnel_id: u16, session_id: u16, datagram: &[u8]) {
        self.deliver_data_to(peer, tunnel_id, session_id, datagram, true)
    }

    /// A data message the tunnel's task took in order with its control messages: to its
    /// session, or dropped.
    pub(super) fn deliver_data_in_order(
        &self,
        peer: PeerPath,
        tunnel_id: u16,
        session_id: u16,
        datagram: &[u8],
    ) {
        self.deliver_data_to(peer, tunnel_id, session_id, datagram, false)
    }

    fn deliver_data_to(
        &self,
        peer: PeerPath,
        tunnel_id: u16,
        session_id: u16,
        datagram: &[u8],
        forward: bool,
    ) {
        let found = self
            .sessions
            .get(&(tunnel_id, session_id))
            .map(|e| (e.0, Arc::clone(&e.1)));
        let link = match found {
            Some((owner, link)) if owner == peer => link,
            Some((owner, _)) if owner.is_ipsec() && !peer.is_ipsec() => {
                let why = format_args!("cleartext data for IPsec session {tunnel_id}/{session_id}");
                return self.report(BadInputKind::L2tpCleartext, peer, why);
            }
            Some((owner, _)) => {
                let why = format_args!("data for session {tunnel_id}/{session_id} of {owner}");
                return self.report(BadInputKind::L2tpWrongPeer, peer, why);
            }
            None if forward => {
                // The session may be a moment away: its ICCN is queued for the tunnel's task.
                // Queued behind it, the datagram finds the session once the ICCN is handled.
                // Only while a control window's room is left in the task's queue: data for
                // sessions that are gone (or forged) must never crowd out control messages.
                let tunnel = self.tunnels.get(&tunnel_id);
                let task = tunnel.as_deref().filter(|t| t.peer == peer);
                if let Some(task) = task.and_then(TunnelEntry::task) {
                    if task.to_task.capacity() > CONTROL_RESERVE
                        && task.to_task.try_send(datagram.to_vec()).is_ok()
                    {
                        return;
                    }
                }
                self.shared.bad_input.note(BadInputKind::L2tpUnknownSession);
                return;
            }
            None => {
                // Normal for a moment after a session ends: counted, not logged.
                self.shared.bad_input.note(BadInputKind::L2tpUnknownSession);
                tracing::trace!(%peer, tunnel_id, session_id, "data for an unknown session dropped");
                return;
            }
        };
        let now = Instant::now();
        let mut st = link.lock();
        let st = &mut *st;
        let frame = match st.carrier.data.decapsulate(datagram) {
            Ok(frame) => frame,
            Err(DataDrop::OutOfWindow) => {
                let why = format_args!("data message Ns far beyond session {}'s window", link.id);
                return self.report(BadInputKind::L2tpOutOfWindow, peer, why);
            }
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
        peer: PeerPath,
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

impl crate::memory_trim::ShrinkMaps for L2tpServer {
    fn shrink_maps(&self) {
        self.tunnels.shrink_to_fit();
        self.sessions.shrink_to_fit();
    }
}
