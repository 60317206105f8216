//! One PPP session, sans-IO: LCP → authentication → CCP/MPPE + IPCP (+ IPV6CP) → Up, and the
//! encrypted data path.
//!
//! The contract every core of rasd follows: inputs are `handle_*(now, ..)` calls
//! ([`Session::handle_frame`], [`Session::handle_timeout`], and the driver's commands
//! [`Session::lower_up`], [`Session::auth_verdict`], [`Session::close`]); outputs are drained
//! after each input: [`Session::poll_transmit`] writes the next control frame into the
//! caller's buffer, [`Session::poll_event`] gives what the driver must act on, and
//! [`Session::poll_timeout`] says when to call [`Session::handle_timeout`]. IP packets go out
//! through [`Session::send_ip`], also into the caller's buffer. Nothing allocates per frame
//! on the session's side of those calls.

mod auth_phase;
mod control;
mod data;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::auth::{AuthRequest, AuthVerdict, MppeKeys};
use crate::ccp::Ccp;
use crate::config::Config;
use crate::fsm::{Fsm, State};
use crate::ipcp::IpcpOptions;
use crate::ipv6cp::Ipv6cpOptions;
use crate::lcp::Lcp;
use crate::mppe::{Mppe, Strength};
use crate::packet_queue::PacketQueue;
use crate::seed_rng::SeedRng;

pub use crate::lcp::AdoptError;

use auth_phase::AuthMachine;

/// What the session tells its owner.
#[derive(Clone, Debug)]
pub enum Event {
    /// Server: the backend must judge this; answer with [`Session::auth_verdict`].
    Authenticate(AuthRequest),
    /// Authentication succeeded (server: the peer's user; client: ours).
    Authenticated {
        /// User name as the peer sent it.
        user: String,
    },
    /// Authentication failed for good; the link is being terminated.
    AuthFailed {
        /// User name of the last attempt.
        user: String,
        /// Why.
        message: String,
    },
    /// Network layer open: IP may flow. In both roles `peer_ipv4` is the client's address and
    /// `local_ipv4` the server's (for a client: the address it was given, and the server's).
    Up {
        /// The server's tunnel-end address.
        local_ipv4: Ipv4Addr,
        /// The client's address.
        peer_ipv4: Ipv4Addr,
        /// MPPE strength and whether it is stateless; None when traffic is clear.
        mppe: Option<(Strength, bool)>,
        /// The peer's IPv6 interface identifier when IPV6CP opened (with `ipv6`, Up waits
        /// for IPV6CP to open or fail).
        peer_ipv6_ifid: Option<[u8; 8]>,
    },
    /// The session is over. Always the last event.
    Down {
        /// Why.
        reason: String,
    },
}

/// What [`Session::handle_frame`] wrote into `out`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Received {
    /// Nothing for the network (control packet, or dropped).
    Nothing,
    /// An IPv4 packet of this length.
    Ipv4(usize),
    /// An IPv6 packet of this length.
    Ipv6(usize),
}

/// Counters of input that was dropped, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames with a truncated or malformed PPP header.
    pub bad_frames: u64,
    /// Control packets the automata refused (bad length, malformed options, wrong identifier).
    pub bad_control: u64,
    /// Frames of protocols we do not run (Protocol-Rejected when LCP is Opened).
    pub unknown_protocol: u64,
    /// Control or authentication frames that arrived in the wrong phase.
    pub wrong_phase: u64,
    /// Data frames before the network layer was up, or encrypted ones without MPPE.
    pub early_data: u64,
    /// Clear IP frames while MPPE is on or required.
    pub unencrypted: u64,
    /// Data frames larger than the caller's buffer.
    pub oversize: u64,
    /// Frames MPPE could not decrypt (truncated, not encrypted, out of window, lost sync).
    pub mppe_errors: u64,
    /// Decrypted frames that carried neither IPv4 nor (open) IPv6.
    pub bad_inner: u64,
}

/// LCP and authentication done by a LAC on the session's behalf (L2TP proxy LCP/authentication).
#[derive(Clone, Debug)]
pub struct ProxiedLink {
    /// The LCP options of the Configure-Request the peer acknowledged on our behalf.
    pub our_request: Vec<u8>,
    /// The LCP options of the peer's Configure-Request that was acknowledged.
    pub peer_request: Vec<u8>,
    /// The authenticated user (server) or our own user name (client).
    pub user: String,
    /// Server: the client's pool address.
    pub peer_ipv4: Option<Ipv4Addr>,
}

/// Where the session stands (RFC 1661 §3.2 phases).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Dead,
    Establish,
    Authenticate,
    Network,
    Terminate,
}

/// Whether CCP is part of this session's network phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CcpUse {
    /// Not run (refused, not available, or Protocol-Rejected while only allowed).
    Unused,
    /// Negotiating.
    Negotiating,
    /// Opened (MPPE on, or off when only allowed) or given up while only allowed.
    Settled,
}

/// One PPP session.
#[derive(Debug)]
pub struct Session {
    /// Shared by every session the owner starts with the same settings.
    cfg: Arc<Config>,
    rng: SeedRng,
    phase: Phase,
    lcp: Lcp,
    /// Boxed: only the authentication phase needs it.
    auth: Option<Box<AuthMachine>>,
    auth_protocol: u16,
    /// Boxed, made when CCP first runs: sessions without MPPE keys (CHAP-MD5, PAP) never need it.
    ccp: Option<Box<Ccp>>,
    ccp_use: CcpUse,
    ipcp: Fsm<IpcpOptions>,
    /// Boxed, and only with `cfg.ipv6`.
    ipv6cp: Option<Box<Fsm<Ipv6cpOptions>>>,
    peer_ipv4: Option<Ipv4Addr>,
    keys: Option<MppeKeys>,
    /// Boxed: most sessions (L2TP/IPsec, CHAP) never run MPPE.
    mppe: Option<Box<Mppe>>,
    mppe_params: Option<(Strength, bool)>,
    /// Stateful MPPE: the peer asked for a reset; our next packet is flushed once the
    /// Reset-Ack has left (Linux resumes decompression only when the Reset-Ack arrives).
    flush_after_reset_ack: bool,
    /// Set by [`Session::lower_up_proxied`]: the user the LAC authenticated; the
    /// Authenticate phase is skipped once.
    preauthenticated: Option<String>,
    up: bool,
    down: bool,
    silent: bool,
    reason: Option<String>,
    tx: PacketQueue,
    events: VecDeque<Event>,
    stats: Stats,
}

/// Whether a queued frame (FF 03 + protocol + packet) is a CCP Reset-Ack.
fn is_ccp_reset_ack(frame: &[u8]) -> bool {
    frame.get(2..5) == Some(&[0x80, 0xfd, crate::ccp::code::RESET_ACK][..])
}

fn child_rng(rng: &mut StdRng) -> StdRng {
    StdRng::from_seed(rng.gen())
}

impl Session {
    /// A new session in the Dead phase; nothing happens before [`Session::lower_up`].
    /// `cfg` may be shared (an `Arc<Config>`) by every session with the same settings.
    pub fn new(cfg: impl Into<Arc<Config>>, mut rng: StdRng) -> Self {
        let cfg = cfg.into();
        let lcp = Lcp::new(&cfg, child_rng(&mut rng));
        let ipv6_rng = child_rng(&mut rng);
        let ipv6cp = cfg.ipv6.then(|| {
            Box::new(Fsm::new(
                "IPV6CP",
                Ipv6cpOptions::new(ipv6_rng),
                cfg.timers(),
            ))
        });
        Self {
            lcp,
            auth: None,
            auth_protocol: 0,
            ccp: None,
            ccp_use: CcpUse::Unused,
            ipcp: Fsm::new("IPCP", IpcpOptions::new(&cfg), cfg.timers()),
            ipv6cp,
            phase: Phase::Dead,
            peer_ipv4: None,
            keys: None,
            mppe: None,
            mppe_params: None,
            flush_after_reset_ack: false,
            preauthenticated: None,
            up: false,
            down: false,
            silent: false,
            reason: None,
            tx: PacketQueue::default(),
            events: VecDeque::new(),
            stats: Stats::default(),
            rng: SeedRng::from_rng(&mut rng),
            cfg,
        }
    }

    /// Transport is up: LCP starts (sends its Configure-Request).
    pub fn lower_up(&mut self, now: Instant) {
        if self.down || self.phase != Phase::Dead {
            return;
        }
        self.phase = Phase::Establish;
        self.lcp.fsm.open(now);
        self.lcp.fsm.up(now);
        self.pump(now);
    }

    /// Transport is up and a LAC already negotiated LCP and authenticated the user (L2TP proxy
    /// LCP and authentication, RFC 2661 §4.4.5, which the owner verified): LCP opens with
    /// `proxy`'s options and the network phase starts without an authentication exchange.
    /// Err (nothing changed; call [`Session::lower_up`] to negotiate instead) when the session
    /// already started or the proxied options are not ones we would have agreed to.
    pub fn lower_up_proxied(
        &mut self,
        now: Instant,
        proxy: &ProxiedLink,
    ) -> Result<(), AdoptError> {
        if self.down || self.phase != Phase::Dead {
            return Err(AdoptError::AlreadyStarted);
        }
        self.lcp.adopt(&proxy.our_request, &proxy.peer_request)?;
        tracing::debug!(user = %proxy.user, "LCP opened with the LAC's proxied options");
        self.phase = Phase::Establish;
        self.preauthenticated = Some(proxy.user.clone());
        self.peer_ipv4 = proxy.peer_ipv4;
        self.pump(now);
        Ok(())
    }

    /// Transport is gone: the session goes Down without sending anything.
    pub fn lower_down(&mut self, reason: &str) {
        self.silent = true;
        self.tx.clear();
        self.finish(reason.to_string());
    }

    /// Administrative close: LCP Terminate-Request, then Down after Terminate-Ack or the timer.
    pub fn close(&mut self, now: Instant, reason: &str) {
        self.terminate(now, reason.to_string());
        self.pump(now);
    }

    /// True once [`Event::Down`] was queued. Frames still queued for transmission (a last
    /// Terminate-Request or -Ack) can be drained with [`Session::poll_transmit`].
    pub fn is_down(&self) -> bool {
        self.down
    }

    /// Server: the backend's answer to [`Event::Authenticate`]; `peer_ipv4` is the pool
    /// address for this session (used with Accept only).
    pub fn auth_verdict(
        &mut self,
        now: Instant,
        verdict: AuthVerdict,
        peer_ipv4: Option<Ipv4Addr>,
    ) {
        if self.down {
            return;
        }
        if matches!(verdict, AuthVerdict::Accept(_)) {
            self.peer_ipv4 = peer_ipv4;
        }
        let mut out = Vec::new();
        match self.auth.as_deref_mut() {
            Some(AuthMachine::Server(a)) => a.verdict(now, verdict, &mut out),
            _ => tracing::warn!("auth verdict without an authenticator: ignored"),
        }
        self.process_auth(now, out);
        self.pump(now);
    }

    /// Server: the DNS and NBNS (WINS) servers IPCP gives this peer, replacing the configured
    /// ones (e.g. from a login server); None keeps the configured pair. Call before the network
    /// phase starts (before [`Session::auth_verdict`]).
    pub fn set_name_servers(
        &mut self,
        dns: Option<crate::ipcp::NameServers>,
        wins: Option<crate::ipcp::NameServers>,
    ) {
        if self.cfg.role == crate::config::Role::Server {
            self.ipcp.handler.set_name_servers(dns, wins);
        }
    }

    /// Server: the peer may ask IPCP for an address of its own instead of the one given with
    /// [`Session::auth_verdict`]; `chooser` takes it or refuses it. Call before the verdict.
    pub fn let_peer_choose(&mut self, chooser: Box<dyn crate::ipcp::AddressChooser>) {
        if self.cfg.role == crate::config::Role::Server {
            self.ipcp.handler.let_peer_choose(chooser);
        }
    }

    /// Writes the next control frame to send (`FF 03` + protocol + packet) into `buf` and
    /// returns its length; None when nothing is queued. Frames come out in the order the
    /// automata queued them. Size `buf` for the largest frame the link carries (the daemon's
    /// links use 2048 bytes); a frame that does not fit is logged and dropped. `now` is the
    /// contract's: PPP's control frames do not depend on the time they leave.
    pub fn poll_transmit(&mut self, _now: Instant, buf: &mut [u8]) -> Option<usize> {
        loop {
            let frame = self.tx.front()?;
            let len = frame.len();
            let Some(dst) = buf.get_mut(..len) else {
                tracing::warn!(
                    len,
                    room = buf.len(),
                    "control frame too big to send: dropped"
                );
                self.tx.pop();
                continue;
            };
            dst.copy_from_slice(frame);
            if self.flush_after_reset_ack && is_ccp_reset_ack(frame) {
                // Our next data packet is flushed only now that the Reset-Ack is leaving.
                self.flush_after_reset_ack = false;
                if let Some(m) = self.mppe.as_mut() {
                    m.reset_requested();
                }
            }
            self.tx.pop();
            return Some(len);
        }
    }

    /// Next event for the owner.
    pub fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front();
        if self.events.is_empty() && self.events.capacity() > 0 {
            // A session spends its life with no event waiting: the queue's buffer goes.
            self.events = VecDeque::new();
        }
        event
    }

    /// Earliest instant at which [`Session::handle_timeout`] has work.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.down {
            return None;
        }
        [
            self.lcp.fsm.deadline(),
            self.lcp.keepalive_deadline(),
            self.auth.as_deref().and_then(AuthMachine::poll_timeout),
            self.ccp.as_ref().and_then(|c| c.fsm.deadline()),
            self.ipcp.deadline(),
            self.ipv6cp.as_ref().and_then(|f| f.deadline()),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs every timer that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.down {
            return;
        }
        self.lcp.fsm.handle_timeout(now);
        if !self.lcp.handle_keepalive(now) {
            tracing::debug!("LCP echo timeout: peer is dead");
            self.terminate(now, "lcp echo timeout".to_string());
            self.finish("lcp echo timeout".to_string());
        }
        if let Some(a) = self.auth.as_mut() {
            let mut out = Vec::new();
            a.handle_timeout(now, &mut out);
            self.process_auth(now, out);
        }
        if let Some(ccp) = self.ccp.as_mut() {
            ccp.fsm.handle_timeout(now);
        }
        self.ipcp.handle_timeout(now);
        if let Some(ipv6cp) = self.ipv6cp.as_mut() {
            ipv6cp.handle_timeout(now);
        }
        self.pump(now);
    }

    /// The RFC 1661 phase the session is in: "dead", "establish" (LCP), "authenticate",
    /// "network" (NCPs, and once Up) or "terminate". For a driver that reports where sessions fail.
    pub fn phase_name(&self) -> &'static str {
        match self.phase {
            Phase::Dead => "dead",
            Phase::Establish => "establish",
            Phase::Authenticate => "authenticate",
            Phase::Network => "network",
            Phase::Terminate => "terminate",
        }
    }

    /// Counters of dropped input.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Client: the DNS servers the server handed out in IPCP.
    pub fn dns(&self) -> [Option<Ipv4Addr>; 2] {
        self.ipcp.handler.dns()
    }

    /// The peer's MRU (the largest frame we should send it).
    pub fn peer_mru(&self) -> u16 {
        self.lcp.fsm.handler.peer().mru
    }

    fn ipv6_open(&self) -> bool {
        self.ipv6cp
            .as_ref()
            .is_some_and(|f| f.state() == State::Opened)
    }
}
