//! One generated session on the client side: the PPP engine in the peer role bound to its
//! carrier (the server's own `Link`, with a [`ProbeSink`] where the TUN device would be), where
//! it stands, and what it has sent.

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use pppd::session::{Event, Session};

use super::probe::{echo_request, ProbeSink};
use super::tally::{Tally, Traffic};
use crate::link::{Carrier, Link};

/// Where a generated session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Negotiating.
    Setup,
    /// IPCP up: our address and the server's end.
    Up { ours: Ipv4Addr, server: Ipv4Addr },
    /// We hung up (LCP Terminate-Request out).
    Closing,
    /// Given up on at the end of the setup phase (counted as failed), closing.
    Abandoned,
    /// Over, and counted.
    Ended,
}

/// How a session ended, for the driver that owns its carrier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// It failed before coming up, or dropped while up (counted already).
    OnItsOwn,
    /// We hung up and PPP is down: the carrier's teardown (CDN, Call-Clear) follows, and the
    /// driver counts the teardown once the tunnel or control connection has closed.
    HungUp,
}

/// Why a session was hung up at the end of a run (the server's history shows it).
pub const HANG_UP: &str = "bench hung up";

/// One session of the generator.
pub struct BenchPeer<C: Carrier> {
    /// Its number in the run (from 1).
    pub number: u32,
    /// PPP and the carrier, shared with the carrier's receive path.
    pub link: Arc<Link<C>>,
    sink: Arc<ProbeSink>,
    started: Instant,
    state: State,
    /// The PPP phase seen last while the session was live: where a failure happened.
    stage: &'static str,
    auth_failure: Option<String>,
    seq: u32,
    sent: Traffic,
    /// The timer the driver has scheduled for it.
    pub timer: Option<Instant>,
}

impl<C: Carrier> BenchPeer<C> {
    /// Starts PPP on a carrier that is up; the session started (was asked for) at `started`.
    pub fn start(
        number: u32,
        mut ppp: Session,
        carrier: C,
        probe_size: usize,
        started: Instant,
    ) -> Self {
        let now = Instant::now();
        ppp.lower_up(now);
        let sink = Arc::new(ProbeSink::new(number, probe_size.max(1)));
        let link = Arc::new(Link::new(
            u64::from(number),
            ppp,
            carrier,
            1360,
            sink.clone(),
        ));
        BenchPeer {
            number,
            link,
            sink,
            started,
            state: State::Setup,
            stage: "establish",
            auth_failure: None,
            seq: 0,
            sent: Traffic::default(),
            timer: None,
        }
    }

    /// Whether IPCP is up and we have not hung up.
    pub fn is_up(&self) -> bool {
        matches!(self.state, State::Up { .. })
    }

    /// Runs due timers, sends queued control frames and counts what PPP reports. Returns the
    /// next deadline, and how the session ended if it ended now.
    pub fn service(
        &mut self,
        now: Instant,
        tally: &Mutex<Tally>,
    ) -> (Option<Instant>, Option<Ended>) {
        let deadline = self.link.pump(now);
        let mut ended = None;
        let events: Vec<Event> = {
            let mut st = self.link.lock();
            let ev: Vec<Event> = std::iter::from_fn(|| st.ppp.poll_event()).collect();
            if !st.ppp.is_down() {
                self.stage = st.ppp.phase_name();
            }
            ev
        };
        for event in events {
            match event {
                Event::Up {
                    local_ipv4,
                    peer_ipv4,
                    ..
                } if self.state == State::Setup => {
                    self.state = State::Up {
                        ours: peer_ipv4,
                        server: local_ipv4,
                    };
                    let latency = now.saturating_duration_since(self.started);
                    lock(tally).came_up(now, latency);
                }
                Event::AuthFailed { message, .. } => self.auth_failure = Some(message),
                Event::Down { reason } => ended = self.down(&reason, tally),
                _ => {}
            }
        }
        (deadline, ended)
    }

    fn down(&mut self, reason: &str, tally: &Mutex<Tally>) -> Option<Ended> {
        let was = std::mem::replace(&mut self.state, State::Ended);
        match was {
            State::Setup => {
                let why = self
                    .auth_failure
                    .take()
                    .unwrap_or_else(|| reason.to_string());
                lock(tally).fail(self.stage, &why);
                Some(Ended::OnItsOwn)
            }
            State::Up { .. } => {
                lock(tally).drop_during_hold(reason);
                Some(Ended::OnItsOwn)
            }
            State::Closing => Some(Ended::HungUp),
            State::Abandoned => Some(Ended::OnItsOwn),
            State::Ended => None,
        }
    }

    /// The carrier went away under the session (tunnel closed, CDN, TCP gone): PPP goes down
    /// with `reason` and is counted on the next [`BenchPeer::service`].
    pub fn lower_down(&self, reason: &str) {
        self.link.lock().ppp.lower_down(reason);
    }

    /// Gives up on a session not up by the end of the setup phase: counted as failed in the
    /// stage it was in, and closed.
    pub fn abandon(&mut self, now: Instant, why: &str, tally: &Mutex<Tally>) {
        if self.state == State::Setup {
            lock(tally).fail(self.stage, why);
            self.state = State::Abandoned;
            self.link.lock().ppp.close(now, why);
        }
    }

    /// The end of the run: LCP Terminate-Request.
    pub fn hang_up(&mut self, now: Instant) {
        if self.is_up() {
            self.state = State::Closing;
            self.link.lock().ppp.close(now, HANG_UP);
        }
    }

    /// Sends the next probe through the session (when it is up), using `buf` as scratch.
    pub fn send_probe(&mut self, now: Instant, size: usize, buf: &mut [u8]) {
        let State::Up { ours, server } = self.state else {
            return;
        };
        self.seq = self.seq.wrapping_add(1);
        let n = echo_request(buf, size, ours, server, self.number, self.seq);
        self.sent.sent_packets += 1;
        self.sent.sent_bytes += n as u64;
        self.link.send_ip(now, &mut buf[..n]);
    }

    /// Adds the session's probe traffic, both ways, to `traffic`.
    pub fn add_traffic(&self, traffic: &mut Traffic) {
        traffic.add(&self.sent);
        self.sink.add_received(traffic);
    }
}

/// The tally's lock (a poisoned lock still holds good counts).
pub fn lock(tally: &Mutex<Tally>) -> std::sync::MutexGuard<'_, Tally> {
    tally.lock().unwrap_or_else(|p| p.into_inner())
}
