//! One L2TP control connection (RFC 2661 §5–§7): tunnel establishment with optional
//! authentication, keepalive, incoming-call sessions and teardown, as LNS or LAC.
//!
//! Sans-IO. After every input (`handle_control`, `handle_timeout`, `start`, `open_session`,
//! `close_session`, `shutdown`) drain `poll_transmit` and `poll_event`, then arm a timer for
//! `poll_timeout`. The driver drops the tunnel once `is_closed` holds, or, after the peer's
//! StopCCN, keeps the small record `lingering` gives in its place for the rest of the hold.

mod auth;
mod closed;
mod config;
mod establish;
mod event;
mod inbound;
mod output;
mod session;

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use rand::rngs::StdRng;

pub use closed::ClosedTunnel;
pub use config::{Role, TunnelConfig};
pub use event::{CallNumbers, IncomingCall, ProxyInfo, TunnelEvent, TunnelStats};

use crate::avp::{result, AvpValue, ResultCode};
use crate::header::Header;
use crate::message::{ControlMessage, MessageType};
use crate::reliable::{Receive, ReliableChannel, ReliableEvent};
use session::Session;

/// Largest control datagram a tunnel sends: the buffer `poll_transmit` should be given.
pub const MAX_DATAGRAM: usize = 4096;

/// Events a drained queue keeps room for; a bigger buffer left by a burst is given back.
const EVENTS_KEPT: usize = 16;

/// Where the control connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// LNS waiting for SCCRQ, or LAC not started.
    Idle,
    /// LAC: SCCRQ sent, waiting for SCCRP.
    WaitReply,
    /// LNS: SCCRP sent, waiting for SCCCN.
    WaitConnected,
    /// Control connection up.
    Established,
    /// Our StopCCN is out; waiting for its acknowledgement.
    Stopping,
    /// `Closed` was reported.
    Closed,
}

/// One tunnel's control connection.
pub struct Tunnel {
    cfg: TunnelConfig,
    our_id: u16,
    peer_id: Option<u16>,
    /// The peer's Host Name, from its SCCRQ/SCCRP.
    peer_host_name: String,
    state: State,
    reliable: ReliableChannel,
    rng: StdRng,
    /// Our Challenge, awaiting the peer's Challenge Response.
    challenge: Option<Vec<u8>>,
    /// Sessions by our session ID; at most `max_sessions`.
    sessions: BTreeMap<u16, Session>,
    call_serial: u32,
    events: VecDeque<TunnelEvent>,
    /// LAC: `SessionUp` events held until their ICCN (by Ns) has been transmitted.
    held_up: VecDeque<(u16, TunnelEvent)>,
    /// CDNs and a StopCCN waiting for room in the control queue (header Session ID, message).
    held: VecDeque<(u16, ControlMessage)>,
    /// Header Session IDs of accepted or held messages not yet delivered, by Ns.
    pending_sids: BTreeMap<u16, u16>,
    /// Ns of the next message `poll_deliver` hands out.
    next_deliver_ns: u16,
    /// Last control datagram sent or received (drives HELLO).
    last_activity: Instant,
    /// Closed by the peer's StopCCN: state is kept until then, so that a retransmitted StopCCN
    /// is acknowledged again (RFC 2661 §5.7).
    linger_until: Option<Instant>,
    /// Why we sent StopCCN, reported once it is acknowledged.
    stop_reason: String,
    stats: TunnelStats,
}

impl Tunnel {
    /// `our_tunnel_id` is chosen by the driver (random, non-zero, unique daemon-wide).
    pub fn new(cfg: TunnelConfig, our_tunnel_id: u16, now: Instant, rng: StdRng) -> Self {
        Self {
            reliable: ReliableChannel::new(cfg.reliable.clone()),
            cfg,
            our_id: our_tunnel_id,
            peer_id: None,
            peer_host_name: String::new(),
            state: State::Idle,
            rng,
            challenge: None,
            sessions: BTreeMap::new(),
            call_serial: 0,
            events: VecDeque::new(),
            held_up: VecDeque::new(),
            held: VecDeque::new(),
            pending_sids: BTreeMap::new(),
            next_deliver_ns: 0,
            last_activity: now,
            linger_until: None,
            stop_reason: String::new(),
            stats: TunnelStats::default(),
        }
    }

    /// A control datagram for this tunnel (the whole L2TP packet, header included; the driver has checked T=1).
    pub fn handle_control(&mut self, now: Instant, datagram: &[u8]) {
        if self.is_closed() {
            return;
        }
        let Ok((header, payload)) = Header::parse(datagram) else {
            self.stats.bad_headers += 1;
            return;
        };
        let Some((ns, nr)) = header.sequence.filter(|_| header.control) else {
            self.stats.bad_headers += 1;
            return;
        };
        self.last_activity = now;
        if let Receive::Accepted | Receive::Held = self.reliable.receive(now, ns, nr, payload) {
            self.pending_sids.insert(ns, header.session_id);
        }
        while let Some(body) = self.reliable.poll_deliver() {
            let ns = self.next_deliver_ns;
            self.next_deliver_ns = ns.wrapping_add(1);
            let sid = self.pending_sids.remove(&ns).unwrap_or(0);
            if self.state != State::Closed {
                self.handle_message(now, sid, &body);
            }
        }
        self.after_input();
    }

    /// Writes the next control datagram to send (whole L2TP packet) into `buf` and returns its
    /// length. `buf` should hold [`MAX_DATAGRAM`] bytes; a message that does not fit is dropped
    /// (and counted) rather than truncated.
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        self.queue_held();
        loop {
            let t = self.reliable.poll_transmit(now)?;
            // Every queued body starts with the header Session ID (see `output`).
            let (sid, body) = match t.body {
                [hi, lo, rest @ ..] => (u16::from_be_bytes([*hi, *lo]), rest),
                _ => (0, t.body),
            };
            let header = Header::control(self.peer_id.unwrap_or(0), sid, t.ns, t.nr);
            let total = header.header_len() + body.len();
            let Some(out) = buf.get_mut(..total) else {
                self.stats.send_failures += 1;
                continue;
            };
            let Some(len) = header.emit(body.len(), out) else {
                self.stats.send_failures += 1;
                continue;
            };
            out[len..].copy_from_slice(body);
            let sent_message = (!body.is_empty()).then_some(t.ns);
            self.last_activity = now;
            if let Some(ns) = sent_message {
                self.release_sessions_up(ns);
            }
            return Some(total);
        }
    }

    /// The next event for the driver; `Closed` is the last one.
    pub fn poll_event(&mut self) -> Option<TunnelEvent> {
        let event = self.events.pop_front();
        if self.events.is_empty() && self.events.capacity() > EVENTS_KEPT {
            // A burst (every session going down at once) is not kept for the tunnel's life.
            self.events = VecDeque::new();
        }
        event
    }

    /// When `handle_timeout` must next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Closed {
            let ack = self.linger_until.and(self.reliable.poll_timeout());
            return match (self.linger_until, ack) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        let idle =
            (self.state != State::Stopping).then(|| self.last_activity + self.cfg.hello_interval);
        match (self.reliable.poll_timeout(), idle) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Advances timers: retransmissions, delayed acknowledgements, HELLO, peer death, and
    /// a control connection setup that stalls for `hello_interval`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Closed {
            if self.linger_until.is_some_and(|t| t <= now) {
                self.linger_until = None;
            }
            return;
        }
        self.reliable.handle_timeout(now);
        if now >= self.last_activity + self.cfg.hello_interval {
            match self.state {
                State::Established => {
                    self.send(0, ControlMessage::new(MessageType::Hello));
                    self.last_activity = now;
                }
                State::Idle => self.finish("control connection never started".to_owned()),
                State::WaitReply | State::WaitConnected => {
                    let why = "control connection setup timed out";
                    self.stop(result::STOPCCN_GENERAL_ERROR, None, why);
                }
                State::Stopping | State::Closed => {}
            }
        }
        self.after_input();
    }

    /// Disconnects one session with a CDN (Result 3, administrative) and reports `SessionDown`.
    pub fn close_session(&mut self, now: Instant, session_id: u16, reason: &str) {
        if let Some(session) = self.sessions.remove(&session_id) {
            self.last_activity = now;
            self.send_cdn(session.peer_id, session_id, result::CDN_ADMIN, None, reason);
            self.events.push_back(TunnelEvent::SessionDown {
                session_id,
                reason: reason.to_owned(),
            });
        }
        self.after_input();
    }

    /// StopCCN (Result 1), which clears every session; `Closed` follows its acknowledgement
    /// or the retransmission limit.
    pub fn shutdown(&mut self, now: Instant, reason: &str) {
        // A StopCCN clears every session of the tunnel (RFC 2661 §5.7): no CDN each, which
        // a tunnel with many sessions could not even queue.
        self.last_activity = now;
        self.drop_sessions(reason);
        if self.state == State::Idle {
            self.finish(reason.to_owned());
        } else {
            self.stop(result::STOPCCN_CLEAR, None, reason);
        }
        self.after_input();
    }

    /// Whether another control message can be queued now: the reliable channel's queue is
    /// bounded, and a message that does not fit is dropped. A LAC opening many sessions (or
    /// clearing them) waits for room.
    pub fn can_queue(&self) -> bool {
        self.reliable.can_send()
    }

    /// Our Assigned Tunnel ID.
    pub fn our_tunnel_id(&self) -> u16 {
        self.our_id
    }

    /// The peer's Assigned Tunnel ID, once known.
    pub fn peer_tunnel_id(&self) -> Option<u16> {
        self.peer_id
    }

    /// Whether the tunnel is gone and need not be kept: the driver may drop it. After the
    /// peer's StopCCN a closed tunnel is kept for a full retransmission cycle (without its
    /// sessions) and acknowledges the StopCCN again if it is retransmitted.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed && self.linger_until.is_none()
    }

    /// After the peer's StopCCN, once its acknowledgement has been taken from `poll_transmit`:
    /// what the rest of the hold needs. A driver may keep that instead of the tunnel, whose
    /// sessions are gone.
    pub fn lingering(&self) -> Option<ClosedTunnel> {
        let until = self.linger_until.filter(|_| self.state == State::Closed)?;
        if self.reliable.ack_pending() {
            return None;
        }
        let (ns, nr) = self.reliable.sequence();
        Some(ClosedTunnel {
            peer_id: self.peer_id.unwrap_or(0),
            ns,
            nr,
            until,
        })
    }

    /// Counters of bad or unexpected input.
    pub fn stats(&self) -> TunnelStats {
        TunnelStats {
            reliable: self.reliable.stats(),
            ..self.stats
        }
    }

    /// LAC: sends SCCRQ (with a Challenge when a secret is set).
    pub fn start(&mut self, now: Instant) {
        if self.cfg.role == Role::Lac && self.state == State::Idle {
            self.last_activity = now;
            self.send_sccrq();
        }
        self.after_input();
    }

    /// LAC: sends ICRQ for a new incoming call; returns our session ID.
    pub fn open_session(&mut self, now: Instant) -> Option<u16> {
        self.open_call(now, IncomingCall::default())
    }

    /// LAC: like [`Tunnel::open_session`], with the caller's numbers in the ICRQ and, when
    /// `call.proxy` is set, proxy LCP and authentication AVPs in the ICCN (RFC 2661 §4.4.5:
    /// what the LAC negotiated with the client before handing it over).
    pub fn open_call(&mut self, now: Instant, call: IncomingCall) -> Option<u16> {
        let id = self.start_incoming_call(call);
        if id.is_some() {
            self.last_activity = now;
        }
        self.after_input();
        id
    }

    /// Reacts to the reliable channel's events and to our StopCCN being acknowledged.
    fn after_input(&mut self) {
        if self.state == State::Closed {
            return;
        }
        if let Some(ReliableEvent::PeerDead) = self.reliable.poll_event() {
            let reason = if self.state == State::Stopping {
                format!(
                    "{}, never acknowledged",
                    std::mem::take(&mut self.stop_reason)
                )
            } else {
                "peer dead: control messages unacknowledged".to_owned()
            };
            self.finish(reason);
        } else if self.state == State::Stopping && self.reliable.is_idle() && self.held.is_empty() {
            let reason = format!("{}, acknowledged", std::mem::take(&mut self.stop_reason));
            self.finish(reason);
        }
    }

    /// Sends StopCCN and waits for its acknowledgement; every session goes down at once.
    fn stop(&mut self, result: u16, error: Option<u16>, why: &str) {
        if matches!(self.state, State::Stopping | State::Closed) {
            return;
        }
        tracing::debug!(tunnel = self.our_id, result, ?error, why, "sending StopCCN");
        let code = ResultCode {
            result,
            error: Some(error.unwrap_or(0)),
            message: why.as_bytes().to_vec(),
        };
        let msg = ControlMessage::new(MessageType::StopCcn)
            .with(AvpValue::AssignedTunnelId(self.our_id))
            .with(AvpValue::ResultCode(code));
        // The StopCCN clears every session: CDNs still held need not go.
        self.held.retain(|(_, m)| m.kind != MessageType::Cdn);
        self.send_or_hold(0, msg);
        self.drop_sessions(why);
        self.stop_reason = format!("sent StopCCN: {why}");
        self.state = State::Stopping;
    }

    /// Reports every remaining session down, then the tunnel closed.
    fn finish(&mut self, reason: String) {
        self.drop_sessions(&reason);
        tracing::debug!(tunnel = self.our_id, reason, "tunnel closed");
        self.state = State::Closed;
        self.events.push_back(TunnelEvent::Closed { reason });
    }

    /// Forgets every session, reporting each one down.
    fn drop_sessions(&mut self, reason: &str) {
        for session_id in std::mem::take(&mut self.sessions).into_keys() {
            self.events.push_back(TunnelEvent::SessionDown {
                session_id,
                reason: reason.to_owned(),
            });
        }
    }
}
