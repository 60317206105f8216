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
use crate::history::Carrier as HistoryCarrier;
use crate::link::{Carrier, Link};
use crate::login::{Judgement, PendingVerdict};
use crate::radius::auth::LoginOrigin;
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
}

/// How a session's PPP starts.
#[derive(Debug)]
pub enum PppStart {
    /// Negotiate LCP and authenticate the client.
    Negotiate,
    /// Verify a LAC's proxied login and take over its LCP; negotiate when that LCP is not
    /// acceptable.
    Proxied(ProxiedLogin),
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
    let shared = shared.clone();
    shared.clone().tracker.spawn(async move {
        let reason = run_session(shared.clone(), link, origin, start).await;
        shared.release_session();
        let _ = ended.send((key, reason));
    });
}

/// Runs the session until PPP is down; returns the reason it ended.
async fn run_session<C: Carrier>(
    shared: Arc<Shared>,
    link: Arc<Link<C>>,
    origin: Origin,
    start: PppStart,
) -> String {
    let mut task = SessionTask {
        shared,
        link,
        origin,
        address: None,
        user: None,
        started: false,
        login: None,
    };
    task.start(start).await;
    let reason = task.run().await;
    task.finish(&reason);
    reason
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
    /// A login a backend is still judging (RADIUS), with its request.
    login: Option<(AuthRequest, PendingVerdict)>,
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
            let deadline = [deadline, cut_at].into_iter().flatten().min();
            let sleep = tokio::time::sleep_until(
                deadline.unwrap_or(now + Duration::from_secs(3600)).into(),
            );
            // PPP's timers keep running while a backend judges a login.
            let mut login = self.login.take();
            let judged = async {
                match login.as_mut() {
                    Some((_, pending)) => pending.await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                verdict = judged => {
                    if let Some((req, _)) = login.take() {
                        self.apply_verdict(&req, verdict);
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
                tracing::info!(session = id, %peer, protocol = proto, user = %user, "authenticated");
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
                };
                self.shared.history_start(info, self.link.clone());
                self.started = true;
            }
            Event::Down { reason } => return Some(reason),
        }
        None
    }

    /// Starts PPP: negotiating, or from a LAC's proxied login when our backend accepts it.
    async fn start(&mut self, start: PppStart) {
        let now = Instant::now();
        let PppStart::Proxied(login) = start else {
            self.link.lock().ppp.lower_up(now);
            return;
        };
        let (id, peer) = (self.link.id, self.origin.peer);
        let user = login.request.user().to_string();
        let verdict = match self.shared.judge_login(&login.request, self.login_origin()) {
            Judgement::Now(verdict) => verdict,
            Judgement::Later(pending) => pending.await,
        };
        let verdict = self.with_address(&login.request, verdict);
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
        if let Err(why) = st.ppp.lower_up_proxied(now, &proxied) {
            tracing::info!(session = id, %peer, user = %user,
                "proxy LCP not taken over ({why}): renegotiating");
            if let Some(addr) = self.address.take() {
                self.shared.release_address(addr);
            }
            st.ppp.lower_up(now);
        } else {
            tracing::info!(session = id, %peer, user = %user, method = %login.request.method(),
                "proxy authentication accepted");
        }
    }

    /// Asks the backends about `req`; a verdict that comes later is applied by `run`.
    fn authenticate(&mut self, req: AuthRequest) {
        match self.shared.judge_login(&req, self.login_origin()) {
            Judgement::Now(verdict) => self.apply_verdict(&req, verdict),
            Judgement::Later(pending) => self.login = Some((req, pending)),
        }
    }

    /// Hands PPP the verdict on `req` (with the session's address when it is an Accept).
    fn apply_verdict(&mut self, req: &AuthRequest, verdict: AuthVerdict) {
        let verdict = self.with_address(req, verdict);
        self.link
            .lock()
            .ppp
            .auth_verdict(Instant::now(), verdict, self.address);
        self.link.wake.notify_one();
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

    /// An Accept comes with a pool address in `self.address` (a Reject when the pool is
    /// empty). Rejections are logged.
    fn with_address(&mut self, req: &AuthRequest, mut verdict: AuthVerdict) -> AuthVerdict {
        let user = req.user().to_string();
        if let AuthVerdict::Accept(_) = verdict {
            if let Some(old) = self.address.take() {
                self.shared.release_address(old);
            }
            self.address = self.shared.allocate_address(&user);
            if self.address.is_none() {
                tracing::warn!(session = self.link.id, user = %user, "address pool exhausted");
                verdict = AuthVerdict::Reject {
                    message: "no address available".into(),
                };
            }
        }
        if let AuthVerdict::Reject { message } = &verdict {
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
        if self.started {
            self.shared.history_stop(id, reason);
        }
        let user = self.user.as_deref().unwrap_or("-");
        let c = self.link.counters();
        tracing::info!(session = id, %peer, protocol = proto, user, bytes_in = c.bytes_in,
            bytes_out = c.bytes_out, dropped_out = c.dropped_out, spoofed_in = c.spoofed_in,
            "session down: {reason}");
    }
}
