//! The Authenticate phase: runs the [`Authenticator`] (server) or [`AuthPeer`] (client) with
//! the method LCP negotiated and turns their outputs into frames and events.

use std::time::Instant;

use super::{Event, Phase, Session};
use crate::auth::{AuthOutput, AuthPeer, Authenticator, Method};
use crate::config::Role;
use crate::frame::{PROTO_CHAP, PROTO_PAP};

/// The authentication machine of our role.
pub(super) enum AuthMachine {
    Server(Authenticator),
    Client(AuthPeer),
}

impl std::fmt::Debug for AuthMachine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuthMachine::Server(_) => "Authenticator",
            AuthMachine::Client(_) => "AuthPeer",
        })
    }
}

impl AuthMachine {
    pub(super) fn poll_timeout(&self) -> Option<Instant> {
        match self {
            AuthMachine::Server(a) => a.poll_timeout(),
            AuthMachine::Client(a) => a.poll_timeout(),
        }
    }

    pub(super) fn handle_timeout(&mut self, now: Instant, out: &mut Vec<AuthOutput>) {
        match self {
            AuthMachine::Server(a) => a.handle_timeout(now, out),
            AuthMachine::Client(a) => a.handle_timeout(now, out),
        }
    }

    fn handle_packet(&mut self, data: &[u8], out: &mut Vec<AuthOutput>) {
        match self {
            AuthMachine::Server(a) => a.handle_packet(data, out),
            AuthMachine::Client(a) => a.handle_packet(data, out),
        }
    }
}

fn protocol_of(method: Method) -> u16 {
    if method == Method::Pap {
        PROTO_PAP
    } else {
        PROTO_CHAP
    }
}

impl Session {
    /// LCP opened: start authenticating, or go straight to the network phase.
    pub(super) fn start_auth(&mut self, now: Instant) {
        self.phase = Phase::Authenticate;
        if let Some(user) = self.preauthenticated.take() {
            tracing::debug!(user = %user, "authenticated by the LAC (proxy authentication)");
            self.push_event(Event::Authenticated { user });
            self.enter_network(now);
            return;
        }
        let method = self.lcp.fsm.handler.auth_method();
        let Some(method) = method else {
            if self.cfg.role == Role::Server && !self.cfg.auth_methods.is_empty() {
                self.terminate(now, "authentication was not negotiated".to_string());
            } else {
                self.enter_network(now);
            }
            return;
        };
        tracing::debug!(method = method.name(), "authentication phase");
        let mut out = Vec::new();
        let machine = match (self.cfg.role, &self.cfg.credentials) {
            (Role::Server, _) => {
                let (name, attempts) = (&self.cfg.name, self.cfg.auth_attempts);
                let mut a = self
                    .rng
                    .draw(|rng| Authenticator::new(method, name, attempts, rng));
                a.start(now, &mut out);
                AuthMachine::Server(a)
            }
            (Role::Client, Some((user, password))) => {
                let mut a = self
                    .rng
                    .draw(|rng| AuthPeer::new(method, user, password, rng));
                a.start(now, &mut out);
                AuthMachine::Client(a)
            }
            (Role::Client, None) => {
                self.terminate(
                    now,
                    "the server requires authentication but we have no credentials".to_string(),
                );
                return;
            }
        };
        self.auth = Some(Box::new(machine));
        self.auth_protocol = protocol_of(method);
        self.process_auth(now, out);
    }

    /// A PAP or CHAP frame.
    pub(super) fn receive_auth(&mut self, now: Instant, protocol: u16, packet: &[u8]) {
        let Some(a) = self
            .auth
            .as_mut()
            .filter(|_| protocol == self.auth_protocol)
        else {
            self.stats.wrong_phase += 1;
            tracing::debug!(protocol, "authentication frame not expected: dropped");
            return;
        };
        let mut out = Vec::new();
        a.handle_packet(packet, &mut out);
        self.process_auth(now, out);
    }

    /// Turns the machine's outputs into frames, events and phase changes.
    pub(super) fn process_auth(&mut self, now: Instant, out: Vec<AuthOutput>) {
        for o in out {
            match o {
                AuthOutput::Send { protocol, data } => self.send_packet(protocol, &data),
                AuthOutput::Request(req) => self.push_event(Event::Authenticate(req)),
                AuthOutput::Success { user, keys } => {
                    if self.phase != Phase::Authenticate {
                        continue;
                    }
                    tracing::debug!(user = %user, "authenticated");
                    self.push_event(Event::Authenticated { user });
                    self.keys = keys;
                    self.enter_network(now);
                }
                AuthOutput::Failure { user, message } => {
                    if self.down || self.phase == Phase::Terminate {
                        continue;
                    }
                    tracing::info!(user = %user, message = %message, "authentication failed");
                    self.push_event(Event::AuthFailed {
                        user,
                        message: message.clone(),
                    });
                    self.terminate(now, format!("authentication failed: {message}"));
                }
            }
        }
    }
}
