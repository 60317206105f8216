//! Moving requests along: from the queue to a server, socket slot and identifier; on a
//! deadline to a retransmission, a failover or a failure; on an answer out of the core.

use std::time::{Duration, Instant};

use super::servers::Choice;
use super::{Client, Event, FailReason, InFlight, Pending, RequestId};
use crate::wire::Code;

/// What trying to start a request did.
enum Start {
    Assigned,
    Wait,
    Failed,
}

impl Client {
    /// Starts queued requests, oldest first, while the in-flight bound allows; a request whose
    /// server has no free identifier keeps its place.
    pub(super) fn drain_queue(&mut self, now: Instant) {
        let mut waiting = std::collections::VecDeque::new();
        while let Some(id) = self.queue.pop_front() {
            if self.outstanding.len() >= self.cfg.max_in_flight {
                waiting.push_back(id);
                continue;
            }
            if let Start::Wait = self.start(now, id) {
                waiting.push_back(id);
            }
        }
        self.queue = waiting;
    }

    fn start(&mut self, now: Instant, id: RequestId) -> Start {
        let Some(p) = self.pending.get(&id) else {
            return Start::Failed;
        };
        let server = match self.choose_server(now, p.purpose, &p.tried) {
            Choice::Server(server) => server,
            Choice::AllDead | Choice::Exhausted => {
                self.fail(id, FailReason::Timeout);
                return Start::Failed;
            }
        };
        let Some((socket, identifier)) = self.alloc_identifier(server) else {
            return Start::Wait;
        };
        self.outstanding.insert((socket, server, identifier), id);
        let flight = InFlight {
            server,
            socket,
            identifier,
            authenticator: [0; 16],
            sends: 0,
            first_sent: now,
            deadline: now + self.cfg.timeout,
        };
        if let Some(p) = self.pending.get_mut(&id) {
            p.flight = Some(flight);
        }
        self.to_send.push_back(id);
        Start::Assigned
    }

    /// A free identifier on `server`, trying the socket slots in turn.
    fn alloc_identifier(&mut self, server: usize) -> Option<(usize, u8)> {
        let sockets = self.cfg.sockets;
        for k in 0..sockets {
            let socket = (self.next_socket + k) % sockets;
            if let Some(identifier) = self.ids[server * sockets + socket].alloc() {
                self.next_socket = (socket + 1) % sockets;
                return Some((socket, identifier));
            }
        }
        None
    }

    fn free_identifier(&mut self, f: &InFlight) {
        self.outstanding.remove(&(f.socket, f.server, f.identifier));
        self.ids[f.server * self.cfg.sockets + f.socket].free(f.identifier);
    }

    /// How long to wait after the `sends`-th send: the timeout, doubled per send, capped.
    pub(super) fn backoff(&self, sends: u32) -> Duration {
        let factor = 1u32 << sends.saturating_sub(1).min(16);
        self.cfg
            .timeout
            .saturating_mul(factor)
            .min(self.cfg.max_timeout.max(self.cfg.timeout))
    }

    fn flight_mut(&mut self, id: RequestId) -> Option<&mut InFlight> {
        self.pending.get_mut(&id)?.flight.as_mut()
    }

    /// The deadline of request `id` passed: send it again (unless the driver has not taken the
    /// last send yet), or, out of retries, give its server up and put it first in the queue.
    pub(super) fn expire(&mut self, now: Instant, id: RequestId) {
        let Some((f, code)) = self
            .pending
            .get(&id)
            .and_then(|p| Some((p.flight?, p.request.code)))
        else {
            return;
        };
        let unsent = self.to_send.contains(&id);
        if unsent || f.sends <= self.cfg.retries {
            if !unsent {
                self.stats.retransmitted += 1;
                if code == Code::AccountingRequest {
                    self.renumber(id, &f);
                }
                self.to_send.push_back(id);
            }
            // Armed again when sent; until then no stale deadline makes the driver spin.
            let wait = self.backoff(f.sends + 1);
            if let Some(flight) = self.flight_mut(id) {
                flight.deadline = now + wait;
            }
            return;
        }
        self.free_identifier(&f);
        self.server_timed_out(now, f.server, f.first_sent);
        if let Some(p) = self.pending.get_mut(&id) {
            p.tried.push(f.server);
            p.flight = None;
        }
        self.queue.push_front(id);
    }

    /// Acct-Delay-Time changes the packet, so a resend goes with a new identifier (RFC 2866
    /// §5.2, RFC 5080 §2.2.1); the old one is freed by the timeout that caused the resend.
    fn renumber(&mut self, id: RequestId, f: &InFlight) {
        self.free_identifier(f);
        // The identifier just freed guarantees one is found.
        if let Some((socket, identifier)) = self.alloc_identifier(f.server) {
            self.outstanding.insert((socket, f.server, identifier), id);
            if let Some(flight) = self.flight_mut(id) {
                flight.socket = socket;
                flight.identifier = identifier;
            }
        }
    }

    /// Takes request `id` out of the core, freeing its identifier.
    pub(super) fn finish(&mut self, id: RequestId) -> Option<Pending> {
        let p = self.pending.remove(&id)?;
        if let Some(f) = &p.flight {
            self.free_identifier(f);
        }
        self.to_send.retain(|&x| x != id);
        Some(p)
    }

    fn fail(&mut self, id: RequestId, reason: FailReason) {
        if self.finish(id).is_some() {
            self.stats.failed += 1;
            tracing::warn!(request = id.0, ?reason, "RADIUS request failed");
            self.events.push_back(Event::Failed { id, reason });
        }
    }
}
