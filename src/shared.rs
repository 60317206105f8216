//! What every session and transport of the daemon shares: the users, the client addresses
//! (pools, granted addresses, Framed-Routes), the session map, the connection history, the
//! session limit and the shutdown signal.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dashmap::DashMap;
use pppd::auth::AuthRequest;
use pppd::session::Session;
use rand::{rngs::StdRng, SeedableRng};
use tokio::sync::watch;
use tokio_util::task::TaskTracker;

use crate::accounting::{Accounting, SessionInfo};
use crate::addresses::Addresses;
use crate::bad_input::BadInput;
use crate::client_choice::{Chooser, Chosen};
use crate::dataplane::SessionMap;
use crate::history::{History, SessionRecord};
use crate::link::CounterSource;
use crate::login::{Judgement, Logins};
use crate::radius::auth::{acct_session_id, LoginOrigin};
use crate::session_limits::LimitChange;
use crate::session_summary::SessionSummary;
use radius::dae::Selector;

/// Session numbers start from the wall clock (a million per second), so the history never
/// shows the same number twice across restarts of the daemon.
fn first_session_id() -> u64 {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    secs.saturating_mul(1_000_000).max(1)
}

/// A started session whose stop record is still owed.
struct OpenRecord {
    record: SessionRecord,
    counters: Arc<dyn CounterSource>,
}

/// Daemon-wide state shared by every task.
pub struct Shared {
    /// Sessions by client address, for the TUN path.
    pub sessions: Arc<SessionMap>,
    /// Every task of the daemon, waited for at shutdown.
    pub tracker: TaskTracker,
    /// Bad input from the network, counted per kind, logged rate-limited.
    pub bad_input: Arc<BadInput>,
    /// Sessions that came up, ended and failed since the last summary line.
    pub summary: SessionSummary,
    logins: Logins,
    addresses: Arc<Addresses>,
    history: History,
    accounting: Option<Arc<Accounting>>,
    open: DashMap<u64, OpenRecord>,
    next_id: AtomicU64,
    active: AtomicUsize,
    max_sessions: usize,
    shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// Shared state over the given login backends, addresses and history; `bad_input` counts what
    /// every transport (and the RADIUS client) drops.
    pub fn new(
        logins: Logins,
        addresses: Addresses,
        history: History,
        max_sessions: usize,
        shutdown: watch::Receiver<bool>,
        bad_input: Arc<BadInput>,
    ) -> Self {
        Shared {
            sessions: Arc::default(),
            tracker: TaskTracker::new(),
            bad_input,
            summary: SessionSummary::default(),
            logins,
            addresses: Arc::new(addresses),
            history,
            accounting: None,
            open: DashMap::new(),
            next_id: AtomicU64::new(first_session_id()),
            active: AtomicUsize::new(0),
            max_sessions,
            shutdown,
        }
    }

    /// Sends every session's start and stop to RADIUS accounting too.
    pub fn with_accounting(mut self, accounting: Option<Arc<Accounting>>) -> Self {
        self.accounting = accounting;
        self
    }

    /// A receiver that changes once, when the daemon starts shutting down.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.clone()
    }

    /// Counts a new session against `max_sessions`; its ID, or None at the limit or during shutdown.
    pub fn reserve_session(&self) -> Option<u64> {
        if *self.shutdown.borrow() {
            return None;
        }
        let prev = self.active.fetch_add(1, Ordering::SeqCst);
        if prev >= self.max_sessions {
            self.active.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(self.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Shrinks the per-session maps (open history records, the data plane's sessions) to
    /// what they hold.
    pub fn shrink_maps(&self) {
        self.open.shrink_to_fit();
        self.sessions.shrink_to_fit();
    }

    /// Sessions counted by `reserve_session` and not yet ended.
    pub fn active_sessions(&self) -> usize {
        self.active.load(Ordering::Relaxed)
    }

    /// A session counted by `reserve_session` ended.
    pub fn release_session(&self) {
        self.active.fetch_sub(1, Ordering::SeqCst);
    }

    /// A PPP engine for a new session, seeded from the operating system's randomness.
    pub fn new_ppp_session(&self, cfg: Arc<pppd::config::Config>) -> Session {
        Session::new(cfg, StdRng::from_entropy())
    }

    /// Judges a login with the configured backends.
    pub fn judge_login(&self, req: &AuthRequest, origin: LoginOrigin) -> Judgement {
        self.logins.judge(req, origin)
    }

    /// An address for `user` from the pool, or from the pool named `pool` (Framed-Pool).
    pub fn allocate_address(&self, user: &str, pool: Option<&str>) -> Result<Ipv4Addr, String> {
        self.addresses.allocate(user, pool)
    }

    /// Takes the address a login server gave (see [`Addresses::claim`]).
    pub fn claim_address(&self, addr: Ipv4Addr) -> Result<(), String> {
        self.addresses.claim(addr)
    }

    /// Routes a network behind a client (see [`Addresses::claim_route`]).
    pub fn claim_route(&self, net: Ipv4Addr, len: u8) -> Result<(), String> {
        self.addresses.claim_route(net, len)
    }

    /// Removes a network behind a client.
    pub fn release_route(&self, net: Ipv4Addr, len: u8) {
        self.addresses.release_route(net, len);
    }

    /// Lets `session`'s client choose its own address in IPCP (RADIUS "user chooses").
    pub fn address_chooser(&self, session: u64) -> (Chooser, Chosen) {
        Chooser::new(self.addresses.clone(), session)
    }

    /// Number of addresses in the pool.
    pub fn pool_capacity(&self) -> usize {
        self.addresses.pool_capacity()
    }

    /// Gives a session's address back.
    pub fn release_address(&self, addr: Ipv4Addr) {
        self.addresses.release(addr);
    }

    /// Writes a session's start record (and its accounting Start) and remembers that its stop
    /// is owed.
    pub fn history_start(&self, info: SessionInfo, counters: Arc<dyn CounterSource>) {
        let mut record = SessionRecord::new(
            info.session,
            &info.user,
            info.peer,
            info.carrier,
            info.address,
            info.start,
        );
        record.ipsec = info.ipsec.clone();
        self.history.write_line(&record.start_line());
        let id = info.session;
        if let Some(acct) = &self.accounting {
            acct.start(info, counters.clone());
        }
        self.open.insert(id, OpenRecord { record, counters });
        self.summary.came_up();
    }

    /// Sessions up now (that came up and have not ended).
    pub fn sessions_up(&self) -> usize {
        self.open.len()
    }

    /// Writes a session's stop record and its accounting Stop (once).
    pub fn history_stop(&self, id: u64, cause: &str) {
        if let Some((_, open)) = self.open.remove(&id) {
            self.summary.ended();
            self.write_stop(open, cause);
            if let Some(acct) = &self.accounting {
                acct.stop(id, cause);
            }
        }
    }

    /// Every session up that `selector` names (every field it has must match); none for an
    /// empty selector.
    fn matching(&self, selector: &Selector) -> Vec<(u64, Arc<dyn CounterSource>)> {
        if selector.is_empty() {
            return Vec::new();
        }
        self.open
            .iter()
            .filter(|e| {
                let r = &e.value().record;
                selector
                    .acct_session_id
                    .as_ref()
                    .is_none_or(|id| *id == acct_session_id(r.session))
                    && selector.user_name.as_ref().is_none_or(|u| *u == r.user)
                    && selector.framed_ip.is_none_or(|a| a == r.address)
                    && selector
                        .calling_station_id
                        .as_ref()
                        .is_none_or(|c| *c == r.peer.ip().to_string())
            })
            .map(|e| (*e.key(), e.value().counters.clone()))
            .collect()
    }

    /// Ends every session `selector` names; how many.
    pub fn disconnect(&self, selector: &Selector, reason: &str) -> usize {
        let matching = self.matching(selector);
        for (_, session) in &matching {
            session.disconnect(reason);
        }
        matching.len()
    }

    /// Gives every session `selector` names new limits and, when `interim` is set, a new time
    /// between Interim-Updates; how many.
    pub fn change_limits(
        &self,
        selector: &Selector,
        change: LimitChange,
        interim: Option<Duration>,
    ) -> usize {
        let matching = self.matching(selector);
        for (id, session) in &matching {
            session.change_limits(change);
            if let (Some(interval), Some(acct)) = (interim, &self.accounting) {
                acct.set_interim(*id, interval);
            }
        }
        matching.len()
    }

    /// Writes the stop record of every session still open (the daemon is exiting).
    pub fn history_stop_all(&self, cause: &str) {
        let ids: Vec<u64> = self.open.iter().map(|e| *e.key()).collect();
        for id in ids {
            self.history_stop(id, cause);
        }
    }

    fn write_stop(&self, open: OpenRecord, cause: &str) {
        let mut record = open.record;
        let c = open.counters.counters();
        record.bytes_in = c.bytes_in;
        record.bytes_out = c.bytes_out;
        record.packets_in = c.packets_in;
        record.packets_out = c.packets_out;
        self.history
            .write_line(&record.stop_line(SystemTime::now(), cause));
    }
}
