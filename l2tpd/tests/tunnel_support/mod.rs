//! Shared harness for the tunnel tests: an LNS and a LAC wired in memory in virtual time, and
//! a hand-driven raw peer for messages our LAC never sends.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use l2tpd::header::Header;
use l2tpd::message::ControlMessage;
use l2tpd::tunnel::{Role, Tunnel, TunnelConfig, TunnelEvent, MAX_DATAGRAM};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const LNS_TID: u16 = 0x1111;
pub const LAC_TID: u16 = 0x2222;

/// A config for `role` with an optional secret.
pub fn config(role: Role, secret: Option<&[u8]>) -> TunnelConfig {
    TunnelConfig {
        role,
        host_name: match role {
            Role::Lns => "lns".into(),
            Role::Lac => "lac".into(),
        },
        secret: secret.map(<[u8]>::to_vec),
        ..TunnelConfig::default()
    }
}

/// The next control datagram `tunnel` sends, copied out of the caller-owned buffer.
pub fn transmit(tunnel: &mut Tunnel, now: Instant) -> Option<Vec<u8>> {
    let mut buf = [0u8; MAX_DATAGRAM];
    let n = tunnel.poll_transmit(now, &mut buf)?;
    Some(buf[..n].to_vec())
}

/// LNS and LAC connected through an in-memory pipe that may lose datagrams.
pub struct Sim {
    pub now: Instant,
    pub lns: Tunnel,
    pub lac: Tunnel,
    pub lns_events: Vec<TunnelEvent>,
    pub lac_events: Vec<TunnelEvent>,
    /// Every datagram the LNS sent, in order.
    pub from_lns: Vec<Vec<u8>>,
    /// Probability of losing each datagram.
    pub loss: f64,
    /// Drop everything the LAC sends (a dead peer).
    pub lac_silent: bool,
    rng: StdRng,
}

impl Sim {
    pub fn new(lns_cfg: TunnelConfig, lac_cfg: TunnelConfig) -> Self {
        let now = Instant::now();
        Sim {
            now,
            lns: Tunnel::new(lns_cfg, LNS_TID, now, StdRng::seed_from_u64(1)),
            lac: Tunnel::new(lac_cfg, LAC_TID, now, StdRng::seed_from_u64(2)),
            lns_events: Vec::new(),
            lac_events: Vec::new(),
            from_lns: Vec::new(),
            loss: 0.0,
            lac_silent: false,
            rng: StdRng::seed_from_u64(3),
        }
    }

    /// Exchanges datagrams until both sides are quiet at the current time.
    fn exchange(&mut self) {
        loop {
            let mut moved = false;
            while let Some(d) = transmit(&mut self.lns, self.now) {
                moved = true;
                self.from_lns.push(d.clone());
                if !self.rng.gen_bool(self.loss) {
                    self.lac.handle_control(self.now, &d);
                }
            }
            while let Some(d) = transmit(&mut self.lac, self.now) {
                moved = true;
                if !self.lac_silent && !self.rng.gen_bool(self.loss) {
                    self.lns.handle_control(self.now, &d);
                }
            }
            while let Some(e) = self.lns.poll_event() {
                self.lns_events.push(e);
            }
            while let Some(e) = self.lac.poll_event() {
                self.lac_events.push(e);
            }
            if !moved {
                return;
            }
        }
    }

    /// Runs timers and traffic in virtual time for `span`.
    pub fn run(&mut self, span: Duration) {
        let end = self.now + span;
        loop {
            self.exchange();
            let next = [self.lns.poll_timeout(), self.lac.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(t) if t <= end => {
                    self.now = self.now.max(t);
                    if self.lns.poll_timeout().is_some_and(|t| t <= self.now) {
                        self.lns.handle_timeout(self.now);
                    }
                    if self.lac.poll_timeout().is_some_and(|t| t <= self.now) {
                        self.lac.handle_timeout(self.now);
                    }
                }
                _ => break,
            }
        }
        self.now = end;
        self.exchange();
    }

    /// Starts the LAC and lets the tunnel come up.
    pub fn establish(&mut self) {
        self.lac.start(self.now);
        self.run(Duration::from_secs(5));
    }

    /// Opens a session from the LAC and lets it come up; returns the LAC's session ID.
    pub fn open_session(&mut self) -> u16 {
        let id = self
            .lac
            .open_session(self.now)
            .expect("LAC opens a session");
        self.run(Duration::from_secs(5));
        id
    }
}

/// Whether `events` holds an `Established` event.
pub fn established(events: &[TunnelEvent]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, TunnelEvent::Established { .. }))
}

/// The reason of the `Closed` event, which must be the last one, if any.
pub fn closed(events: &[TunnelEvent]) -> Option<&str> {
    match events.last() {
        Some(TunnelEvent::Closed { reason }) => Some(reason),
        _ => None,
    }
}

/// `SessionUp` events as (session_id, peer_session_id).
pub fn sessions_up(events: &[TunnelEvent]) -> Vec<(u16, u16)> {
    events
        .iter()
        .filter_map(|e| match e {
            TunnelEvent::SessionUp {
                session_id,
                peer_session_id,
                ..
            } => Some((*session_id, *peer_session_id)),
            _ => None,
        })
        .collect()
}

/// `SessionDown` session IDs.
pub fn sessions_down(events: &[TunnelEvent]) -> Vec<u16> {
    events
        .iter()
        .filter_map(|e| match e {
            TunnelEvent::SessionDown { session_id, .. } => Some(*session_id),
            _ => None,
        })
        .collect()
}

/// A peer driven by hand: numbers its messages and acknowledges what it parses.
pub struct RawPeer {
    pub ns: u16,
    pub nr: u16,
    pub secret: Option<Vec<u8>>,
}

impl RawPeer {
    pub fn new() -> Self {
        RawPeer {
            ns: 0,
            nr: 0,
            secret: None,
        }
    }

    /// `msg` as the next datagram, to tunnel `tid` and session `sid`.
    pub fn message(&mut self, tid: u16, sid: u16, msg: &ControlMessage) -> Vec<u8> {
        let header = Header::control(tid, sid, self.ns, self.nr);
        self.ns = self.ns.wrapping_add(1);
        msg.to_datagram(&header, self.secret.as_deref(), &[])
            .expect("encodable")
    }

    /// Parses a datagram from the tunnel; counts non-ZLB messages for our Nr.
    pub fn receive(&mut self, datagram: &[u8]) -> Option<(Header, ControlMessage)> {
        let (header, payload) = Header::parse(datagram).expect("valid header");
        if payload.is_empty() {
            return None;
        }
        self.nr = self.nr.wrapping_add(1);
        let msg = ControlMessage::parse(payload, self.secret.as_deref()).expect("valid message");
        Some((header, msg))
    }

    /// Feeds `datagram` to `tunnel` and returns every message it answers with.
    pub fn exchange(
        &mut self,
        tunnel: &mut Tunnel,
        now: Instant,
        datagram: &[u8],
    ) -> Vec<(Header, ControlMessage)> {
        tunnel.handle_control(now, datagram);
        let mut out = Vec::new();
        while let Some(d) = transmit(tunnel, now) {
            out.extend(self.receive(&d));
        }
        out
    }
}
