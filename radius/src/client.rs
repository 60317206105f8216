//! The sans-IO RADIUS client core. The driver owns `Config::sockets` UDP sockets (slots
//! `0..sockets`) and runs the same loop as for every other core: feed `handle_request`,
//! `handle_datagram` and `handle_timeout`; drain `poll_transmit` and `poll_event`; sleep until
//! `poll_timeout`. The core picks the server (by priority, skipping dead ones), the socket slot
//! and the identifier, retransmits with back-off, fails over, and checks every reply
//! (source, identifier, Response Authenticator, Message-Authenticator) before believing it.

mod config;
mod encode;
mod event;
mod ids;
mod reply;
mod schedule;
mod servers;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::Instant;

use rand::rngs::StdRng;

pub use config::{Config, Purpose, ServerConfig};
pub use event::{DropReason, Event, FailReason, Request, RequestError, RequestId, Stats, Transmit};

use ids::IdSpace;
use servers::ServerState;

/// Where a sent request waits for its answer.
#[derive(Clone, Copy, Debug)]
struct InFlight {
    server: usize,
    socket: usize,
    identifier: u8,
    /// The Request Authenticator of the last send (set when encoded).
    authenticator: [u8; 16],
    /// Sends to this server so far.
    sends: u32,
    /// When this server was first sent this request.
    first_sent: Instant,
    deadline: Instant,
}

/// A request between `handle_request` and its `Reply` or `Failed`.
struct Pending {
    purpose: Purpose,
    request: Request,
    created: Instant,
    /// Servers that already timed out on this request.
    tried: Vec<usize>,
    flight: Option<InFlight>,
}

/// The RADIUS client core; see the module documentation.
pub struct Client {
    cfg: Config,
    rng: StdRng,
    servers: Vec<ServerState>,
    /// Indexed by `server * cfg.sockets + socket`.
    ids: Vec<IdSpace>,
    next_socket: usize,
    next_id: u64,
    pending: BTreeMap<RequestId, Pending>,
    outstanding: HashMap<(usize, usize, u8), RequestId>,
    queue: VecDeque<RequestId>,
    to_send: VecDeque<RequestId>,
    events: VecDeque<Event>,
    stats: Stats,
}

impl Client {
    /// A core for `cfg` (at least one socket slot and one request in flight are used even if
    /// fewer are configured); `rng` makes the Access-Request authenticators, so seed it from
    /// the operating system.
    pub fn new(mut cfg: Config, rng: StdRng) -> Self {
        cfg.sockets = cfg.sockets.max(1);
        cfg.max_in_flight = cfg.max_in_flight.max(1);
        let servers = cfg.servers.iter().map(|_| ServerState::default()).collect();
        let ids = vec![IdSpace::default(); cfg.servers.len() * cfg.sockets];
        Client {
            cfg,
            rng,
            servers,
            ids,
            next_socket: 0,
            next_id: 0,
            pending: BTreeMap::new(),
            outstanding: HashMap::new(),
            queue: VecDeque::new(),
            to_send: VecDeque::new(),
            events: VecDeque::new(),
            stats: Stats::default(),
        }
    }

    /// Takes a request for a server of `purpose`; its answer comes as `Event::Reply` (or
    /// `Event::Failed`) with the returned id.
    pub fn handle_request(
        &mut self,
        now: Instant,
        purpose: Purpose,
        request: Request,
    ) -> Result<RequestId, RequestError> {
        if !self.cfg.servers.iter().any(|s| s.purpose == purpose) {
            return Err(RequestError::NoServer);
        }
        if !encode::fits(&request) {
            return Err(RequestError::TooLong);
        }
        if self.pending.len() >= self.cfg.max_in_flight + self.cfg.max_queued {
            self.stats.busy += 1;
            return Err(RequestError::Busy);
        }
        let id = RequestId(self.next_id);
        self.next_id += 1;
        self.stats.requests += 1;
        let pending = Pending {
            purpose,
            request,
            created: now,
            tried: Vec::new(),
            flight: None,
        };
        self.pending.insert(id, pending);
        self.queue.push_back(id);
        self.drain_queue(now);
        Ok(id)
    }

    /// Takes a datagram that arrived on socket slot `socket` from `from`.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        socket: usize,
        from: SocketAddr,
        datagram: &[u8],
    ) {
        if let Err(reason) = self.accept_reply(now, socket, from, datagram) {
            self.stats.count_drop(reason);
            tracing::debug!(%from, reason = reason.reason(), "RADIUS datagram dropped");
            self.events.push_back(Event::Dropped { reason, from });
        }
    }

    /// The next datagram to send, written into `buf` (give it `wire::MAX_LEN` octets).
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<Transmit> {
        while let Some(id) = self.to_send.pop_front() {
            if let Some(t) = self.encode(now, id, buf) {
                self.stats.sent += 1;
                return Some(t);
            }
        }
        None
    }

    /// The next event for the driver.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When `handle_timeout` should next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.pending
            .values()
            .filter_map(|p| p.flight.map(|f| f.deadline))
            .min()
    }

    /// Retransmits, fails over and fails what is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let due: Vec<RequestId> = self
            .pending
            .iter()
            .filter(|(_, p)| p.flight.is_some_and(|f| f.deadline <= now))
            .map(|(&id, _)| id)
            .collect();
        for id in due {
            self.expire(now, id);
        }
        self.drain_queue(now);
    }

    /// Requests sent and not yet answered or failed.
    pub fn in_flight(&self) -> usize {
        self.outstanding.len()
    }

    /// Requests waiting for a slot or an identifier.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Whether server `index` is marked dead.
    pub fn is_dead(&self, index: usize) -> bool {
        self.servers.get(index).is_some_and(|s| s.dead)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }
}
