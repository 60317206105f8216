//! The task that runs one PPP session: its start (negotiated or from a LAC's proxied login),
//! its timers, its authentication, its address, its history records, and its end, for PPTP
//! and L2TP alike.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use l2tpd::tunnel::CallNumbers;
use pppd::auth::{AuthRequest, AuthVerdict};
use pppd::session::{Event, ProxiedLink};
use tokio::sync::mpsc;

use crate::accounting::SessionInfo;
use crate::addresses::prefix_range;
use crate::client_choice::Chosen;
use crate::grant::{AddressGrant, Decision, Grant, NO_GRANT};
use crate::history::Carrier as HistoryCarrier;
use crate::ipsec::IpsecSa;
use crate::link::{Carrier, Link};
use crate::login::{Judgement, PendingVerdict};
use crate::radius::auth::LoginOrigin;
use crate::session_limits::{LimitChange, Limits};
use crate::shared::Shared;

/// Where a session comes from, for logs and history.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The client's transport address.
    pub peer: SocketAddr,
    /// The protocol and the call or tunnel/session that carries the session.
    pub carrier: HistoryCarrier,
    /// L2TP: the LAC's Calling and Called Number, when it sent them.
    pub numbers: CallNumbers,
    /// L2TP/IPsec: the SA the session's L2TP came through (shared with the SA table).
    pub ipsec: Option<Arc<IpsecSa>>,
}

/// How a session's PPP starts.
#[derive(Debug)]
pub enum PppStart {
    /// Negotiate LCP and authenticate the client.
    Negotiate,
    /// Verify a LAC's proxied login and take over its LCP; negotiate when that LCP is not
    /// acceptable. (Boxed: every session's task holds a `PppStart` until PPP starts.)
    Proxied(Box<ProxiedLogin>),
}

/// What a LAC says it negotiated and how the client authenticated to it.
#[derive(Debug)]
pub struct ProxiedLogin {
    /// The client's answer as the LAC saw it, for our backend to judge.
    pub request: AuthRequest,
    /// The LCP options the LAC asked the client for (they become ours).
    pub our_request: Vec<u8>,
    /// The client's LCP options the LAC acknowledged.
    pub peer_request: Vec<u8>,
}

/// How long a closing session may take to say goodbye before it is cut.
const CLOSE_GRACE: Duration = Duration::from_secs(8);

/// Runs the session on the daemon's task tracker, counted against `max_sessions` until it ends;
/// then `(key, reason)` goes to `ended` so the transport can clear its call or session.
pub fn spawn_session<C: Carrier>(
    shared: &Arc<Shared>,
    link: Arc<Link<C>>,
    origin: Origin,
    ended: mpsc::UnboundedSender<(u16, String)>,
    key: u16,
    start: PppStart,
) {
    // The task is built here, not in the spawned future: an async fn's arguments keep their
    // own room in its state for its whole life, next to the task they were moved into.
    let mut task = SessionTask {
        shared: shared.clone(),
        link,
        origin,
        address: None,
        user: None,
        started: false,
        refused: false,
        login: None,
        grant: None,
        limits: None,
        chosen: None,
        routes: Vec::new(),
    };
    shared.tracker.spawn(async move {
        task.start(start).await;
        let reason = task.run().await;
        task.finish(&reason);
        let shared = task.shared.clone();
        drop(task);
        shared.release_session();
        let _ = ended.send((key, reason));
    });
}

struct SessionTask<C> {
    shared: Arc<Shared>,
    link: Arc<Link<C>>,
    origin: Origin,
    /// The pool address this session holds (from authentication on).
    address: Option<Ipv4Addr>,
    user: Option<String>,
    /// A start record was written.
    started: bool,
    /// A login was refused: a session that ends before coming up failed authentication,
    /// whatever ended it (the client often hangs up after the refusal).
    refused: bool,
    /// A login a backend is still judging (RADIUS), with its request; boxed, as most of a
    /// session's life has none.
    login: Option<Box<(AuthRequest, PendingVerdict)>>,
    /// What the accepted login granted (Class values for accounting in `grant.class`); None:
    /// the defaults, as a local login grants (boxed: a RADIUS grant is the rarer case).
    grant: Option<Box<Grant>>,
    /// Session-Timeout and Idle-Timeout, from the network's start.
    limits: Option<Limits>,
    /// The address the client chose for itself, until IPCP is up (RADIUS "user chooses").
    chosen: Option<Chosen>,
    /// Networks behind the client routed to it (Framed-Route).
    routes: Vec<(Ipv4Addr, u8)>,
}

impl<C: Carrier> SessionTask<C> {
    async fn run(&mut self) -> String {
        let mut shutdown = self.shared.shutdown_signal();
        let mut cut_at: Option<Instant> = None;
        loop {
            let now = Instant::now();
            if cut_at.is_some_and(|t| t <= now) {
                self.link
                    .lock()
                    .ppp
                    .lower_down("no goodbye from the client");
            }
            let change = self.link.lock().limit_change.take();
            if let Some(change) = change {
                self.change_limits(now, change);
            }
            if cut_at.is_none() {
                if let Some(cause) = self.check_limits(now) {
                    self.link.lock().ppp.close(now, cause);
                    cut_at = Some(now + CLOSE_GRACE);
                }
            }
            let deadline = self.link.pump(now);
            let events: Vec<Event> = {
                let mut st = self.link.lock();
                std::iter::from_fn(|| st.ppp.poll_event()).collect()
            };
            let had_events = !events.is_empty();
            for event in events {
                if let Some(reason) = self.on_event(event) {
                    return reason;
                }
            }
            if had_events {
                continue;
            }
            let limit = self.limits.as_ref().and_then(Limits::deadline);
            let deadline = [deadline, cut_at, limit].into_iter().flatten().min();
            let sleep = tokio::time::sleep_until(
                deadline.unwrap_or(now + Duration::from_secs(3600)).into(),
            );
            // PPP's timers keep running while a backend judges a login.
            let mut login = self.login.take();
            let judged = async {
                match login.as_deref_mut() {
                    Some((_, pending)) => pending.await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                verdict = judged => {
                    if let Some(judged) = login.take() {
                        self.apply_verdict(&judged.0, verdict);
                    }
                }
                _ = shutdown.changed(), if cut_at.is_none() => {
                    self.link.lock().ppp.close(Instant::now(), "server shutting down");
                    cut_at = Some(Instant::now() + CLOSE_GRACE);
                }
                _ = self.link.wake.notified() => {}
                _ = sleep => {}
            }
            if self.login.is_none() {
                self.login = login;
            }
        }
    }

    /// Handles one PPP event; Some(reason) when the session is over.
    fn on_event(&mut self, event: Event) -> Option<String> {
        let (id, peer, proto) = (
            self.link.id,
            self.origin.peer,
            self.origin.carrier.protocol(),
        );
        match event {
            Event::Authenticate(req) => self.authenticate(req),
            Event::Authenticated { user } => {
                tracing::debug!(session = id, %peer, protocol = proto, user = %user, "authenticated");
                self.user = Some(user);
            }
            Event::AuthFailed { user, message } => {
                tracing::warn!(session = id, %peer, protocol = proto, user = %user,
                    "authentication failed, no attempts left: {message}");
            }
            Event::Up {
                peer_ipv4, mppe, ..
            } => {
                let user = self.user.clone().unwrap_or_default();
                let mppe = mppe.map(|(s, stateless)| {
                    format!(
                        "{s:?}{}",
                        if stateless { " stateless" } else { " stateful" }
                    )
                });
                tracing::info!(session = id, %peer, protocol = proto, user = %user, address = %peer_ipv4,
                    mppe = mppe.as_deref().unwrap_or("off"), "session up");
                self.adopt_chosen(peer_ipv4);
                self.link.lock().peer_ipv4 = Some(peer_ipv4);
                self.shared.sessions.insert(peer_ipv4, self.link.clone());
                let info = SessionInfo {
                    session: id,
                    user,
                    peer,
                    carrier: self.origin.carrier,
                    address: peer_ipv4,
                    start: SystemTime::now(),
                    numbers: self.origin.numbers.clone(),
                    class: self.grant().class.clone().unwrap_or_default(),
                    interim: self.grant().interim_interval,
                    by_radius: self.grant().by_radius,
                    ipsec: self.origin.ipsec.clone(),
                };
                self.shared.history_start(info, self.link.clone());
                if !self.started {
                    let counters = self.link.counters();
                    self.limits = Some(Limits::new(Instant::now(), self.grant(), &counters));
                    self.install_routes();
                }
                self.started = true;
            }
            Event::Down { reason } => return Some(reason),
        }
        None
    }

    /// Starts PPP: negotiating, or from a LAC's proxied login when our backend accepts it.
    async fn start(&mut self, start: PppStart) {
        match start {
            PppStart::Negotiate => self.link.lock().ppp.lower_up(Instant::now()),
            // Boxed: the proxied start's state would otherwise make every session's task bigger.
            PppStart::Proxied(login) => Box::pin(self.start_proxied(*login)).await,
        }
    }

    /// Verifies a LAC's proxied login and takes over its LCP (or negotiates when it cannot).
    async fn start_proxied(&mut self, login: ProxiedLogin) {
        let now = Instant::now();
        let (id, peer) = (self.link.id, self.origin.peer);
        let user = login.request.user().to_string();
        let decision = match self.shared.judge_login(&login.request, self.login_origin()) {
            Judgement::Now(decision) => decision,
            Judgement::Later(pending) => pending.await,
        };
        let verdict = self.with_address(&login.request, decision);
        if let AuthVerdict::Reject { message } = verdict {
            let reason = format!("proxy authentication failed: {message}");
            self.link.lock().ppp.lower_down(&reason);
            return;
        }
        let proxied = ProxiedLink {
            our_request: login.our_request,
            peer_request: login.peer_request,
            user: user.clone(),
            peer_ipv4: self.address,
        };
        let mut st = self.link.lock();
        self.chosen = self.grant_to_link(&mut st);
        if let Err(why) = st.ppp.lower_up_proxied(now, &proxied) {
            tracing::info!(session = id, %peer, user = %user,
                "proxy LCP not taken over ({why}): renegotiating");
            if let Some(addr) = self.address.take() {
                self.shared.release_address(addr);
            }
            st.ppp.lower_up(now);
        } else {
            tracing::debug!(session = id, %peer, user = %user, method = %login.request.method(),
                "proxy authentication accepted");
        }
    }

    /// Asks the backends about `req`; a verdict that comes later is applied by `run`.
    fn authenticate(&mut self, req: AuthRequest) {
        match self.shared.judge_login(&req, self.login_origin()) {
            Judgement::Now(decision) => self.apply_verdict(&req, decision),
            Judgement::Later(pending) => self.login = Some(Box::new((req, pending))),
        }
    }

    /// Hands PPP the verdict on `req` (with the session's address and grant when it is an
    /// Accept).
    fn apply_verdict(&mut self, req: &AuthRequest, decision: Decision) {
        let verdict = self.with_address(req, decision);
        let mut st = self.link.lock();
        if let AuthVerdict::Accept(_) = verdict {
            self.chosen = self.grant_to_link(&mut st);
        }
        st.ppp.auth_verdict(Instant::now(), verdict, self.address);
        drop(st);
        self.link.wake.notify_one();
    }

    /// What the accepted login granted.
    fn grant(&self) -> &Grant {
        self.grant.as_deref().unwrap_or(&NO_GRANT)
    }

    /// Applies the grant's name servers, MTU and address choice to the link, before its
    /// network phase; where a client's own address will be kept when it may choose one.
    fn grant_to_link(&self, st: &mut crate::link::LinkState<C>) -> Option<Chosen> {
        let g = self.grant();
        let given = |pair: [Option<Ipv4Addr>; 2]| pair.iter().any(Option::is_some).then_some(pair);
        st.ppp.set_name_servers(given(g.dns), given(g.wins));
        if let Some(mtu) = g.mtu {
            let mss = mtu.saturating_sub(40);
            if mss < st.max_mss {
                tracing::info!(session = self.link.id, mtu, mss,
                    "Framed-MTU: TCP MSS clamped (the MRU was negotiated before authentication and stays)");
                st.max_mss = mss;
            }
        }
        (g.address == AddressGrant::UserChooses).then(|| {
            let (chooser, chosen) = self.shared.address_chooser(self.link.id);
            st.ppp.let_peer_choose(Box::new(chooser));
            chosen
        })
    }

    /// IPCP is up with `addr`: when the client chose it, it replaces the pool address.
    fn adopt_chosen(&mut self, addr: Ipv4Addr) {
        let Some(chosen) = self.chosen.as_ref().and_then(Chosen::take) else {
            return;
        };
        if chosen != addr {
            tracing::error!(session = self.link.id, %chosen, %addr, "IPCP is up with an address nobody chose");
            self.shared.release_address(chosen);
            return;
        }
        if let Some(old) = self.address.replace(addr) {
            self.shared.sessions.remove(old);
            self.shared.release_address(old);
        }
        tracing::info!(session = self.link.id, address = %addr, "the client's own address");
    }

    /// Routes the grant's networks behind the client to it; one that cannot be had is logged.
    fn install_routes(&mut self) {
        let routes = self.grant.as_ref().map(|g| g.routes.clone());
        for (net, len) in routes.unwrap_or_default() {
            if let Err(why) = self.shared.claim_route(net, len) {
                tracing::warn!(
                    session = self.link.id,
                    "Framed-Route {net}/{len} not applied: {why}"
                );
                continue;
            }
            let range = prefix_range(net, len);
            self.link.lock().routed.push(range);
            self.shared.sessions.insert_route(range, self.link.clone());
            self.routes.push((net, len));
            tracing::info!(
                session = self.link.id,
                "Framed-Route {net}/{len} routed to the client"
            );
        }
    }

    /// A CoA's new limits (only for a session whose network is up: `Shared` finds no other).
    fn change_limits(&mut self, now: Instant, change: LimitChange) {
        let counters = self.link.counters();
        self.limits
            .get_or_insert_with(|| Limits::new(now, &Grant::default(), &counters))
            .change(now, change, &counters);
        tracing::info!(session = self.link.id, ?change, "new session limits (CoA)");
    }

    /// The cause when Session-Timeout or Idle-Timeout is reached at `now`.
    fn check_limits(&mut self, now: Instant) -> Option<&'static str> {
        // The counters' lock is taken only when a limit is due.
        self.limits.as_ref()?.deadline().filter(|&t| t <= now)?;
        let counters = self.link.counters();
        let cause = self.limits.as_mut()?.check(now, &counters)?;
        self.limits = None;
        tracing::info!(session = self.link.id, "{cause}: ending the session");
        Some(cause)
    }

    /// What the backends are told about where this login comes from.
    fn login_origin(&self) -> LoginOrigin {
        LoginOrigin {
            session: self.link.id,
            peer: self.origin.peer,
            carrier: self.origin.carrier,
            numbers: self.origin.numbers.clone(),
        }
    }

    /// An Accept comes with the session's address in `self.address` (the granted one, or from
    /// the pool) and its grant in `self.grant`; a Reject when the address cannot be had.
    /// Rejections are logged.
    fn with_address(&mut self, req: &AuthRequest, decision: Decision) -> AuthVerdict {
        let Decision { mut verdict, grant } = decision;
        let user = req.user().to_string();
        if let AuthVerdict::Accept(_) = verdict {
            if let Some(old) = self.address.take() {
                self.shared.release_address(old);
            }
            if let Some(old) = self.chosen.take().and_then(|c| c.take()) {
                self.shared.release_address(old);
            }
            match self.take_address(&user, &grant) {
                Ok(addr) => {
                    self.address = Some(addr);
                    self.grant = (grant != NO_GRANT).then(|| Box::new(grant));
                }
                Err(why) => {
                    tracing::warn!(session = self.link.id, user = %user, "no address: {why}");
                    verdict = AuthVerdict::Reject {
                        message: "no address available".into(),
                    };
                }
            }
        }
        if let AuthVerdict::Reject { message } = &verdict {
            self.refused = true;
            let (id, peer, proto) = (
                self.link.id,
                self.origin.peer,
                self.origin.carrier.protocol(),
            );
            tracing::warn!(session = id, %peer, protocol = proto, user = %user, method = %req.method(),
                "authentication failed: {message}");
        }
        verdict
    }

    /// The address `grant` gives `user`, taken for this session.
    fn take_address(&self, user: &str, grant: &Grant) -> Result<Ipv4Addr, String> {
        match grant.address {
            AddressGrant::Fixed(addr) => self
                .shared
                .claim_address(addr)
                .map(|()| addr)
                .map_err(|why| format!("Framed-IP-Address refused: {why}")),
            // With UserChooses, the pool's address stands unless IPCP gives the client its own.
            AddressGrant::Pool | AddressGrant::UserChooses => {
                self.shared.allocate_address(user, grant.pool.as_deref())
            }
        }
    }

    /// Gives back everything the session held and writes its stop record.
    fn finish(&mut self, reason: &str) {
        let (id, peer, proto) = (
            self.link.id,
            self.origin.peer,
            self.origin.carrier.protocol(),
        );
        if let Some(addr) = self.address.take() {
            self.shared.sessions.remove(addr);
            self.shared.release_address(addr);
        }
        if let Some(addr) = self.chosen.take().and_then(|c| c.take()) {
            self.shared.release_address(addr);
        }
        for (net, len) in self.routes.drain(..) {
            self.shared.sessions.remove_route(prefix_range(net, len));
            self.shared.release_route(net, len);
        }
        if self.started {
            self.shared.history_stop(id, reason);
        } else if self.refused {
            self.shared.summary.failed("authentication failed");
        } else {
            self.shared.summary.failed(reason);
        }
        let user = self.user.as_deref().unwrap_or("-");
        let c = self.link.counters();
        tracing::info!(session = id, %peer, protocol = proto, user, bytes_in = c.bytes_in,
            bytes_out = c.bytes_out, dropped_out = c.dropped_out, spoofed_in = c.spoofed_in,
            "session down: {reason}");
    }
}
