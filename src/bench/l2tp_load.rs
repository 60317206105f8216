//! The generator's L2TP side: one task per tunnel (a LAC's control connection on a UDP socket
//! of its own), carrying many sessions. The task owns the tunnel and its sessions, schedules
//! their PPP timers in one heap, and reads its socket in batches: no task, TUN device or
//! socket per session.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use l2tpd::data::DataChannel;
use l2tpd::header::Packet;
use l2tpd::tunnel::{IncomingCall, Role, Tunnel, TunnelConfig, TunnelEvent, MAX_DATAGRAM};
use pppd::session::Session;
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};

use super::peer::{lock, BenchPeer, Ended, HANG_UP};
use super::{RunPhase, Shared};
use crate::l2tp::carrier::L2tpCarrier;
use crate::l2tp::path::PeerPath;

type Peer = BenchPeer<L2tpCarrier>;

/// Datagrams read per wake-up before the task looks at its timers again.
const READ_BATCH: usize = 256;
/// ICRQs outstanding (no ICRP yet) per tunnel at most: each will need room for its ICCN in
/// the tunnel's bounded control queue.
const MAX_OPENING: usize = 24;
/// Socket buffers of each tunnel's socket.
const SOCKET_BUFFER: usize = 4 << 20;

/// One tunnel and its sessions.
struct TunnelLoad {
    shared: Arc<Shared>,
    tunnel: Tunnel,
    socket: Arc<UdpSocket>,
    server: SocketAddr,
    /// ICRQ out, no ICRP yet: our session ID → when the session was asked for.
    opening: HashMap<u16, Instant>,
    /// Sessions with PPP running, by our session ID.
    peers: HashMap<u16, Peer>,
    /// Sessions asked for before the tunnel was up: when each was asked for.
    waiting: VecDeque<Instant>,
    /// PPP timers: (deadline, our session ID); stale entries are skipped.
    timers: BinaryHeap<Reverse<(Instant, u16)>>,
    /// Sessions hung up whose PPP is down, waiting for the tunnel's StopCCN to be answered.
    hung_up: u64,
    established: bool,
    /// Held while the tunnel is being set up.
    setup_permit: Option<tokio::sync::OwnedSemaphorePermit>,
    next_number: u32,
    scratch: Vec<u8>,
}

/// Runs tunnel `index`: opens a session for each message on `opens`, follows `phase`, and
/// ends once the tunnel is closed (after the teardown, or when it fails).
pub async fn run_tunnel(
    index: usize,
    shared: Arc<Shared>,
    mut opens: mpsc::UnboundedReceiver<()>,
    mut phase: watch::Receiver<RunPhase>,
) {
    let local = SocketAddr::from((shared.opts.bind.unwrap_or(Ipv4Addr::UNSPECIFIED), 0));
    let socket = match crate::l2tp::socket::bind(local, SOCKET_BUFFER) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            fail_all_opens(&shared, &mut opens, &format!("{e:#}")).await;
            return;
        }
    };
    let cfg = TunnelConfig {
        role: Role::Lac,
        host_name: format!("rasd-bench-{index}"),
        secret: shared.opts.secret.as_ref().map(|s| s.as_bytes().to_vec()),
        max_sessions: u16::MAX,
        ..TunnelConfig::default()
    };
    // Until the reactor has seen the new socket writable, a non-blocking send would be refused.
    let _ = socket.writable().await;
    let permit = shared.tunnel_setups.clone().acquire_owned().await.ok();
    let now = Instant::now();
    let mut tunnel = Tunnel::new(
        cfg,
        rand::random::<u16>().max(1),
        now,
        StdRng::from_entropy(),
    );
    tunnel.start(now);
    let first_number = (index * shared.opts.sessions_per_tunnel) as u32 + 1;
    let mut load = TunnelLoad {
        server: shared.opts.server,
        shared,
        tunnel,
        socket,
        opening: HashMap::new(),
        peers: HashMap::new(),
        waiting: VecDeque::new(),
        timers: BinaryHeap::new(),
        hung_up: 0,
        established: false,
        setup_permit: permit,
        next_number: first_number,
        scratch: vec![0u8; 2048],
    };
    load.run(&mut opens, &mut phase).await;
}

/// The tunnel socket could not be made: every session meant for it fails.
async fn fail_all_opens(shared: &Shared, opens: &mut mpsc::UnboundedReceiver<()>, why: &str) {
    while opens.recv().await.is_some() {
        let mut t = lock(&shared.tally);
        t.start(Instant::now());
        t.fail("tunnel", why);
    }
}

impl TunnelLoad {
    async fn run(
        &mut self,
        opens: &mut mpsc::UnboundedReceiver<()>,
        phase: &mut watch::Receiver<RunPhase>,
    ) {
        let mut buf = vec![0u8; 65536];
        let mut current = *phase.borrow();
        let mut shut = false;
        let mut next_probe = Instant::now();
        let probe_every = self.probe_interval();
        loop {
            let now = Instant::now();
            self.queue_control(now);
            self.flush_control(now);
            self.tunnel_events(now);
            if self.tunnel.is_closed() {
                break;
            }
            let quiet = self.peers.is_empty() && self.opening.is_empty();
            if current == RunPhase::Teardown && !shut && quiet {
                self.tunnel.shutdown(now, HANG_UP);
                shut = true;
                continue;
            }
            let probing = current == RunPhase::Hold && probe_every.is_some();
            if probing && now >= next_probe {
                self.send_probes(now);
                next_probe = now + probe_every.unwrap_or_default();
            }
            let mut deadline = [
                self.tunnel.poll_timeout(),
                self.timers.peek().map(|r| r.0 .0),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(now + Duration::from_secs(3600));
            if probing {
                deadline = deadline.min(next_probe);
            }
            tokio::select! {
                ready = self.socket.readable() => {
                    if ready.is_ok() {
                        self.read_batch(&mut buf);
                    }
                }
                Some(()) = opens.recv() => self.open(Instant::now()),
                changed = phase.changed() => {
                    if changed.is_err() {
                        current = RunPhase::Teardown;
                    } else {
                        current = *phase.borrow_and_update();
                    }
                    self.enter(current, Instant::now());
                }
                _ = tokio::time::sleep_until(deadline.into()) => {
                    let now = Instant::now();
                    if self.tunnel.poll_timeout().is_some_and(|t| t <= now) {
                        self.tunnel.handle_timeout(now);
                    }
                    self.handle_timers(now);
                }
            }
        }
        self.finish();
    }

    fn probe_interval(&self) -> Option<Duration> {
        let o = &self.shared.opts;
        (o.packet_size > 0).then(|| Duration::from_secs_f64(1.0 / f64::from(o.packets_per_second)))
    }

    /// A new phase of the run: at the hold, sessions not up are given up on; at the teardown,
    /// every session hangs up and sessions still opening get a CDN.
    fn enter(&mut self, phase: RunPhase, now: Instant) {
        match phase {
            RunPhase::Setup | RunPhase::Drain => {}
            RunPhase::Hold => {
                let tally = &self.shared.tally;
                for _ in self.opening.drain() {
                    lock(tally).fail("call", "not up when the setup phase ended");
                }
                let stage = if self.established { "call" } else { "tunnel" };
                for _ in self.waiting.drain(..) {
                    lock(tally).fail(stage, "not up when the setup phase ended");
                }
                for peer in self.peers.values_mut() {
                    peer.abandon(now, "not up when the setup phase ended", tally);
                }
                self.service_all(now);
            }
            RunPhase::Teardown => {
                let ids: Vec<u16> = self.opening.keys().copied().collect();
                for id in ids {
                    self.opening.remove(&id);
                    self.tunnel.close_session(now, id, HANG_UP);
                }
                for peer in self.peers.values_mut() {
                    peer.hang_up(now);
                }
                self.service_all(now);
            }
        }
    }

    /// Asks for one more session: its ICRQ goes once the tunnel is up and has room for it.
    fn open(&mut self, now: Instant) {
        lock(&self.shared.tally).start(now);
        self.waiting.push_back(now);
        self.queue_control(now);
    }

    /// Sends the ICRQs that wait, as far as the tunnel's control queue has room (the tunnel
    /// refuses an ICRQ that does not fit) and [`MAX_OPENING`] allows.
    fn queue_control(&mut self, now: Instant) {
        if !self.established {
            return;
        }
        while self.tunnel.can_queue() {
            if self.opening.len() >= MAX_OPENING {
                break;
            } else if let Some(asked) = self.waiting.pop_front() {
                match self.tunnel.open_call(now, IncomingCall::default()) {
                    Some(id) => {
                        self.opening.insert(id, asked);
                    }
                    None => {
                        lock(&self.shared.tally).fail("call", "the tunnel could not open a session")
                    }
                }
            } else {
                break;
            }
        }
    }

    fn flush_control(&mut self, now: Instant) {
        let mut out = [0u8; MAX_DATAGRAM];
        while let Some(n) = self.tunnel.poll_transmit(now, &mut out) {
            if self.socket.try_send_to(&out[..n], self.server).is_err() {
                lock(&self.shared.tally).send_drops += 1;
            }
        }
    }

    fn tunnel_events(&mut self, now: Instant) {
        while let Some(event) = self.tunnel.poll_event() {
            match event {
                TunnelEvent::Established { .. } => {
                    self.established = true;
                    self.setup_permit = None;
                    self.queue_control(now);
                }
                TunnelEvent::SessionUp {
                    session_id,
                    peer_session_id,
                    sequencing,
                    ..
                } => self.session_up(now, session_id, peer_session_id, sequencing),
                TunnelEvent::SessionDown { session_id, reason } => {
                    if self.opening.remove(&session_id).is_some() {
                        lock(&self.shared.tally).fail("call", &reason);
                    } else if let Some(peer) = self.peers.get(&session_id) {
                        peer.lower_down(&reason);
                        self.service(now, session_id);
                    }
                }
                TunnelEvent::Closed { reason } => self.closed(now, &reason),
            }
        }
    }

    fn session_up(&mut self, now: Instant, id: u16, peer_id: u16, sequencing: bool) {
        let Some(asked) = self.opening.remove(&id) else {
            self.tunnel.close_session(now, id, "not asked for");
            return;
        };
        let peer_tunnel = self.tunnel.peer_tunnel_id().unwrap_or(0);
        let carrier = L2tpCarrier::new(
            DataChannel::new(peer_tunnel, peer_id, sequencing),
            PeerPath::cleartext(self.server),
            self.socket.clone(),
            None,
        );
        let ppp = Session::new(self.shared.ppp.clone(), StdRng::from_entropy());
        let number = self.next_number;
        self.next_number += 1;
        let peer = BenchPeer::start(number, ppp, carrier, self.shared.opts.packet_size, asked);
        self.peers.insert(id, peer);
        self.service(now, id);
    }

    /// The tunnel is gone: whatever it carried ends with `reason`. After our own StopCCN, the
    /// sessions hung up before it were torn down cleanly only if it was acknowledged.
    fn closed(&mut self, now: Instant, reason: &str) {
        self.setup_permit = None;
        {
            let mut tally = lock(&self.shared.tally);
            for _ in self.waiting.drain(..) {
                tally.fail("tunnel", reason);
            }
            for _ in self.opening.drain() {
                tally.fail("call", reason);
            }
        }
        for peer in self.peers.values() {
            peer.lower_down(reason);
        }
        self.service_all(now);
        let clean = reason.contains("acknowledged") && !reason.contains("never acknowledged");
        let mut tally = lock(&self.shared.tally);
        for _ in 0..std::mem::take(&mut self.hung_up) {
            tally.tear_down((!clean).then_some(reason));
        }
    }

    fn read_batch(&mut self, buf: &mut [u8]) {
        for _ in 0..READ_BATCH {
            let (n, from) = match self.socket.try_recv_from(buf) {
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return,
                // Another error (an ICMP error queued on the socket) is consumed by the read;
                // the readiness stays, so the next datagram is read at once.
                Err(_) => continue,
            };
            if from != self.server {
                continue;
            }
            let now = Instant::now();
            let datagram = &buf[..n];
            let Ok(packet) = Packet::new_checked(datagram) else {
                continue;
            };
            if packet.is_control() {
                self.tunnel.handle_control(now, datagram);
                self.flush_control(now);
                self.tunnel_events(now);
            } else if packet.tunnel_id() == self.tunnel.our_tunnel_id() {
                self.deliver(now, packet.session_id(), datagram);
            }
        }
    }

    /// A data message to its session's PPP; a control frame gets the session serviced.
    fn deliver(&mut self, now: Instant, id: u16, datagram: &[u8]) {
        let Some(peer) = self.peers.get(&id) else {
            return;
        };
        let control = {
            let link = &peer.link;
            let mut st = link.lock();
            let st = &mut *st;
            match st.carrier.data.decapsulate(datagram) {
                Ok(frame) => link.receive_frame(st, now, frame),
                Err(_) => false,
            }
        };
        if control {
            self.service(now, id);
        }
    }

    fn handle_timers(&mut self, now: Instant) {
        while let Some(Reverse((at, id))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            let Some(peer) = self.peers.get(&id) else {
                continue;
            };
            match peer.timer {
                Some(t) if t == at => self.service(now, id),
                // It moved later: keep one entry for the new time.
                Some(t) if t > now => self.timers.push(Reverse((t, id))),
                Some(_) => self.service(now, id),
                None => {}
            }
        }
    }

    fn service_all(&mut self, now: Instant) {
        let ids: Vec<u16> = self.peers.keys().copied().collect();
        for id in ids {
            self.service(now, id);
        }
    }

    /// Services one session: its timers, control frames, events; reschedules it, or ends it.
    fn service(&mut self, now: Instant, id: u16) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        let (deadline, ended) = peer.service(now, &self.shared.tally);
        if let Some(how) = ended {
            let peer = self.peers.remove(&id).expect("present");
            peer.add_traffic(&mut lock(&self.shared.tally).traffic);
            if how == Ended::HungUp {
                self.hung_up += 1;
            }
            self.tunnel.close_session(now, id, HANG_UP);
            return;
        }
        match (deadline, peer.timer) {
            (Some(d), Some(t)) if d >= t && t > now => peer.timer = Some(d),
            (Some(d), _) => {
                peer.timer = Some(d);
                self.timers.push(Reverse((d, id)));
            }
            (None, _) => peer.timer = None,
        }
    }

    fn send_probes(&mut self, now: Instant) {
        let size = self.shared.opts.packet_size;
        for peer in self.peers.values_mut() {
            peer.send_probe(now, size, &mut self.scratch);
        }
    }

    /// The task ends: anything left is counted (its traffic too).
    fn finish(&mut self) {
        let mut tally = lock(&self.shared.tally);
        for (_, peer) in self.peers.drain() {
            peer.add_traffic(&mut tally.traffic);
        }
    }
}
