//! Server liveness and the choice of server for a request: the lowest priority number among
//! those of the request's purpose that it has not timed out on and that are not within their
//! dead time.

use std::time::Instant;

use super::{Client, Purpose};

/// What the core knows of one server.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServerState {
    /// Marked dead, and not heard from since.
    pub(crate) dead: bool,
    /// Skipped until then.
    pub(crate) dead_until: Option<Instant>,
    /// Its last verified reply.
    pub(crate) last_answer: Option<Instant>,
}

/// What choosing a server found.
pub(crate) enum Choice {
    /// Send to this one.
    Server(usize),
    /// Every server not yet tried is dead (and the request was sent to another already).
    AllDead,
    /// Every server was tried.
    Exhausted,
}

impl Client {
    pub(crate) fn choose_server(&self, now: Instant, purpose: Purpose, tried: &[usize]) -> Choice {
        let mut untried = self
            .cfg
            .servers
            .iter()
            .enumerate()
            .filter(|(i, s)| s.purpose == purpose && !tried.contains(i))
            .peekable();
        if untried.peek().is_none() {
            return Choice::Exhausted;
        }
        let untried: Vec<(usize, u32)> = untried.map(|(i, s)| (i, s.priority)).collect();
        let live = untried
            .iter()
            .filter(|(i, _)| self.servers[*i].dead_until.is_none_or(|t| t <= now))
            .min_by_key(|(i, priority)| (*priority, *i));
        if let Some((i, _)) = live {
            return Choice::Server(*i);
        }
        if !tried.is_empty() {
            return Choice::AllDead;
        }
        // Every server is dead and this request has not been sent yet: rather than refuse it
        // unheard, try the one whose dead time ends first (one lost reply must not lock every
        // login out for the dead time).
        untried
            .iter()
            .min_by_key(|(i, priority)| (self.servers[*i].dead_until, *priority, *i))
            .map_or(Choice::AllDead, |(i, _)| Choice::Server(*i))
    }

    /// A request ran out of retries on `server`, first sent at `first_sent`: unless the server
    /// answered something since, it is dead for the dead time.
    pub(crate) fn server_timed_out(&mut self, now: Instant, server: usize, first_sent: Instant) {
        let state = &mut self.servers[server];
        if state.last_answer.is_some_and(|t| t >= first_sent) {
            return;
        }
        state.dead_until = Some(now + self.cfg.dead_time);
        if !state.dead {
            state.dead = true;
            let addr = self.cfg.servers[server].addr;
            tracing::warn!(%addr, "RADIUS server not answering, marked dead");
            self.events
                .push_back(super::Event::ServerDead { server, addr });
        }
    }

    /// A verified reply came from `server`.
    pub(crate) fn server_answered(&mut self, now: Instant, server: usize) {
        let state = &mut self.servers[server];
        state.last_answer = Some(now);
        state.dead_until = None;
        if state.dead {
            state.dead = false;
            let addr = self.cfg.servers[server].addr;
            tracing::info!(%addr, "RADIUS server answering again");
            self.events
                .push_back(super::Event::ServerAlive { server, addr });
        }
    }
}
