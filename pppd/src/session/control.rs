//! Control plane of the session: drains the automata's actions and reacts to layer changes
//! (phases, Up/Down), dispatches received control packets, and terminates.

use std::time::Instant;

use super::{CcpUse, Event, Phase, Session};
use crate::ccp::{Ccp, CcpInput};
use crate::config::{MppePolicy, Role};
use crate::frame::{self, PROTO_CCP, PROTO_CHAP, PROTO_IPCP, PROTO_IPV6CP, PROTO_LCP, PROTO_PAP};
use crate::fsm::{Action, Input, State};
use crate::lcp::LcpInput;
use crate::mppe::Mppe;
use crate::packet_queue::PacketQueue;

/// The network control protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ncp {
    Ccp,
    Ipcp,
    Ipv6cp,
}

impl Ncp {
    fn protocol(self) -> u16 {
        match self {
            Ncp::Ccp => PROTO_CCP,
            Ncp::Ipcp => PROTO_IPCP,
            Ncp::Ipv6cp => PROTO_IPV6CP,
        }
    }
}

/// Queues one control frame on `tx` unless the transport is gone (`silent`).
fn queue_frame(tx: &mut PacketQueue, silent: bool, protocol: u16, packet: &[u8]) {
    if !silent {
        tx.push_with(|out| frame::emit_frame(protocol, packet, out));
    }
}

impl Session {
    /// Queues a control frame unless the transport is gone.
    pub(super) fn send_packet(&mut self, protocol: u16, packet: &[u8]) {
        queue_frame(&mut self.tx, self.silent, protocol, packet);
    }

    /// Queues an event unless the session is already down.
    pub(super) fn push_event(&mut self, e: Event) {
        if !self.down {
            self.events.push_back(e);
        }
    }

    /// Drains every automaton until nothing moves, then checks whether the network is up.
    pub(super) fn pump(&mut self, now: Instant) {
        loop {
            let mut busy = false;
            while let Some(a) = self.poll_lcp() {
                busy = true;
                self.on_lcp(now, a);
            }
            for ncp in [Ncp::Ccp, Ncp::Ipcp, Ncp::Ipv6cp] {
                while let Some(a) = self.poll_ncp(ncp) {
                    busy = true;
                    self.on_ncp(now, ncp, a);
                }
            }
            let failure = self
                .lcp
                .fsm
                .handler
                .take_failure()
                .or_else(|| self.ccp.as_mut()?.fsm.handler.take_failure())
                .or_else(|| self.ipcp.handler.take_failure());
            if let Some(f) = failure {
                busy = true;
                self.terminate(now, f);
            }
            if !busy {
                break;
            }
        }
        self.check_up();
    }

    /// LCP's next action; its packets go straight into the transmit queue.
    fn poll_lcp(&mut self) -> Option<Action> {
        let (tx, silent) = (&mut self.tx, self.silent);
        self.lcp
            .fsm
            .poll_action(|p| queue_frame(tx, silent, PROTO_LCP, p))
    }

    /// An NCP's next action; its packets go straight into the transmit queue.
    fn poll_ncp(&mut self, ncp: Ncp) -> Option<Action> {
        let (tx, silent, protocol) = (&mut self.tx, self.silent, ncp.protocol());
        let send = |p: &[u8]| queue_frame(tx, silent, protocol, p);
        match ncp {
            Ncp::Ccp => self.ccp.as_mut()?.fsm.poll_action(send),
            Ncp::Ipcp => self.ipcp.poll_action(send),
            Ncp::Ipv6cp => self.ipv6cp.as_mut()?.poll_action(send),
        }
    }

    fn on_lcp(&mut self, now: Instant, action: Action) {
        match action {
            Action::Send | Action::Started => {}
            Action::Up => {
                if self.down || self.phase != Phase::Establish {
                    return;
                }
                let peer = self.lcp.fsm.handler.peer();
                tracing::debug!(peer_mru = peer.mru, "LCP opened");
                self.lcp.start_keepalive(now);
                self.start_auth(now);
            }
            Action::Down => {
                self.lcp.stop_keepalive();
                self.leave_network();
                let closing = matches!(self.lcp.fsm.state(), State::Closing | State::Stopping);
                if closing || self.down {
                } else if self.up {
                    self.terminate(now, "LCP renegotiation is not supported".to_string());
                } else {
                    // Before the network is up (e.g. an LNS renegotiating a LAC's proxy LCP),
                    // negotiation simply starts over: LCP, then authentication again.
                    tracing::info!("LCP renegotiation before the network came up: starting over");
                    self.phase = Phase::Establish;
                    self.keys = None;
                    self.mppe_params = None;
                    self.ccp_use = CcpUse::Unused;
                }
            }
            Action::Finished => {
                let reason = self
                    .reason
                    .take()
                    .or_else(|| self.lcp.fsm.take_cause())
                    .unwrap_or_else(|| "LCP finished".to_string());
                self.finish(reason);
            }
        }
    }

    fn on_ncp(&mut self, now: Instant, ncp: Ncp, action: Action) {
        let active = !self.down && self.phase == Phase::Network;
        match action {
            Action::Up if active && ncp == Ncp::Ccp => self.ccp_opened(now),
            Action::Up if active => tracing::debug!(ncp = ?ncp, "network protocol opened"),
            Action::Down if active => {
                if ncp == Ncp::Ccp {
                    self.mppe = None;
                    self.mppe_params = None;
                    self.ccp_use = CcpUse::Negotiating;
                }
                if self.up && ncp != Ncp::Ipv6cp {
                    let cause = self.ncp_cause(ncp);
                    self.terminate(now, format!("{ncp:?} went down: {cause}"));
                }
            }
            Action::Finished if active => {
                let cause = self.ncp_cause(ncp);
                match ncp {
                    Ncp::Ccp if self.cfg.mppe == MppePolicy::Require => {
                        self.terminate(now, format!("MPPE required but CCP failed: {cause}"));
                    }
                    Ncp::Ccp => {
                        tracing::info!(cause = %cause, "CCP failed: continuing without MPPE");
                        self.ccp_use = CcpUse::Settled;
                    }
                    Ncp::Ipcp => self.terminate(now, format!("IPCP failed: {cause}")),
                    Ncp::Ipv6cp => tracing::info!(cause = %cause, "IPV6CP failed"),
                }
            }
            _ => {}
        }
    }

    fn ncp_cause(&mut self, ncp: Ncp) -> String {
        let cause = match ncp {
            Ncp::Ccp => self.ccp.as_mut().and_then(|c| c.fsm.take_cause()),
            Ncp::Ipcp => self.ipcp.take_cause(),
            Ncp::Ipv6cp => self.ipv6cp.as_mut().and_then(|f| f.take_cause()),
        };
        cause.unwrap_or_else(|| "no reason given".to_string())
    }

    fn ccp_opened(&mut self, now: Instant) {
        let Some(ccp) = self.ccp.as_ref() else {
            return;
        };
        match ccp.fsm.handler.negotiated() {
            Ok(Some((strength, stateless))) => {
                let Some(keys) = self.keys.as_ref() else {
                    self.terminate(now, "MPPE negotiated without keys".to_string());
                    return;
                };
                tracing::debug!(?strength, stateless, "MPPE on");
                self.mppe = Some(Box::new(Mppe::new(keys, strength, stateless)));
                self.mppe_params = Some((strength, stateless));
                self.ccp_use = CcpUse::Settled;
            }
            Ok(None) => {
                tracing::debug!("CCP opened without MPPE");
                self.ccp_use = CcpUse::Settled;
            }
            Err(e) => self.terminate(now, e),
        }
    }

    /// Authentication done (or not needed): CCP, IPCP and IPV6CP start.
    pub(super) fn enter_network(&mut self, now: Instant) {
        self.phase = Phase::Network;
        let use_ccp = match self.cfg.mppe {
            MppePolicy::Refuse => false,
            policy if self.keys.is_none() => {
                if policy == MppePolicy::Require {
                    self.terminate(
                        now,
                        "MPPE required but authentication gave no keys".to_string(),
                    );
                    return;
                }
                false
            }
            _ => true,
        };
        if use_ccp {
            self.ccp_use = CcpUse::Negotiating;
            let cfg = &self.cfg;
            let ccp = self.ccp.get_or_insert_with(|| Box::new(Ccp::new(cfg)));
            ccp.fsm.open(now);
            ccp.fsm.up(now);
        }
        if self.cfg.role == Role::Server {
            self.ipcp.handler.set_peer_address(self.peer_ipv4);
        }
        self.ipcp.open(now);
        self.ipcp.up(now);
        if let Some(ipv6cp) = self.ipv6cp.as_mut() {
            ipv6cp.open(now);
            ipv6cp.up(now);
        }
    }

    /// LCP left Opened: everything above it stops.
    fn leave_network(&mut self) {
        self.auth = None;
        self.mppe = None;
        if let Some(ccp) = self.ccp.as_mut() {
            ccp.fsm.down();
        }
        self.ipcp.down();
        if let Some(ipv6cp) = self.ipv6cp.as_mut() {
            ipv6cp.down();
        }
        if !self.down {
            self.phase = Phase::Terminate;
        }
    }

    /// Emits Up once IPCP is open and CCP has settled as the policy demands.
    fn check_up(&mut self) {
        if self.up || self.down || self.phase != Phase::Network {
            return;
        }
        let ccp_ready = match self.ccp_use {
            CcpUse::Unused => true,
            CcpUse::Negotiating => false,
            CcpUse::Settled => self.mppe.is_some() || self.cfg.mppe != MppePolicy::Require,
        };
        // IPV6CP gets to finish (open, fail or be rejected) so Up can carry the identifier.
        let ipv6_busy = self
            .ipv6cp
            .as_ref()
            .is_some_and(|f| matches!(f.state(), State::ReqSent | State::AckRcvd | State::AckSent));
        if self.ipcp.state() != State::Opened || !ccp_ready || ipv6_busy {
            return;
        }
        self.up = true;
        // As the contract has it, in both roles: `local` is the server's end, `peer` the client's.
        let (ours, theirs) = (
            self.ipcp.handler.local_address(),
            self.ipcp.handler.peer_address(),
        );
        let (local, peer) = match self.cfg.role {
            Role::Server => (ours, theirs),
            Role::Client => (theirs, ours),
        };
        if self.cfg.role == Role::Server {
            // The peer's own choice, when it was let choose, stands if IPCP runs again.
            self.peer_ipv4 = Some(peer);
        }
        let ifid = (self.ipv6cp.as_ref())
            .filter(|_| self.ipv6_open())
            .map(|f| f.handler.peer_id());
        tracing::debug!(local = %local, peer = %peer, mppe = ?self.mppe_params, "session up");
        self.push_event(Event::Up {
            local_ipv4: local,
            peer_ipv4: peer,
            mppe: self.mppe_params,
            peer_ipv6_ifid: ifid,
        });
    }

    /// Starts an orderly end: LCP Close (Terminate-Request); Down follows on its Finish.
    pub(super) fn terminate(&mut self, now: Instant, reason: String) {
        if self.down {
            return;
        }
        tracing::debug!(reason = %reason, "terminating session");
        self.reason.get_or_insert(reason.clone());
        self.phase = Phase::Terminate;
        match self.lcp.fsm.state() {
            State::Initial | State::Starting | State::Closed | State::Stopped => {
                self.finish(reason)
            }
            _ => self.lcp.fsm.close(now, &reason),
        }
    }

    /// The session is over: queues Down (once) and drops all crypto state.
    pub(super) fn finish(&mut self, reason: String) {
        if self.down {
            return;
        }
        tracing::debug!(reason = %reason, "session down");
        self.events.push_back(Event::Down { reason });
        self.down = true;
        self.up = false;
        self.phase = Phase::Dead;
        self.auth = None;
        self.mppe = None;
        self.keys = None;
        self.lcp.stop_keepalive();
    }

    pub(super) fn receive_lcp(&mut self, now: Instant, packet: &[u8]) {
        match self.lcp.receive(now, packet) {
            LcpInput::Consumed => {}
            LcpInput::Invalid(why) => self.bad_control("LCP", why),
            LcpInput::ProtocolRejected(p) => self.protocol_rejected(now, p),
        }
    }

    fn protocol_rejected(&mut self, now: Instant, protocol: u16) {
        tracing::info!(
            protocol = format_args!("{protocol:#06x}"),
            "peer sent Protocol-Reject"
        );
        if protocol == PROTO_LCP {
            self.lcp.fsm.receive_reject(now, true);
            return;
        }
        self.lcp.fsm.receive_reject(now, false);
        match protocol {
            PROTO_CCP if self.ccp_use != CcpUse::Unused => {
                if self.cfg.mppe == MppePolicy::Require {
                    self.terminate(now, "MPPE required but the peer rejected CCP".to_string());
                } else {
                    if let Some(ccp) = self.ccp.as_mut() {
                        ccp.fsm.down();
                    }
                    self.ccp_use = CcpUse::Unused;
                }
            }
            PROTO_IPCP => self.terminate(now, "the peer rejected IPCP".to_string()),
            PROTO_IPV6CP => {
                if let Some(ipv6cp) = self.ipv6cp.as_mut() {
                    ipv6cp.down();
                }
            }
            PROTO_PAP | PROTO_CHAP if self.auth.is_some() => {
                self.terminate(
                    now,
                    "the peer rejected the authentication protocol".to_string(),
                );
            }
            _ => {}
        }
    }

    pub(super) fn receive_ccp(&mut self, now: Instant, packet: &[u8]) {
        if self.phase != Phase::Network {
            self.wrong_phase("CCP");
            return;
        }
        let Some(ccp) = self.ccp.as_mut().filter(|_| self.ccp_use != CcpUse::Unused) else {
            self.unknown_protocol(PROTO_CCP, packet);
            return;
        };
        match ccp.receive(now, packet) {
            CcpInput::Consumed => {}
            CcpInput::Invalid(why) => self.bad_control("CCP", why),
            CcpInput::ResetRequested => self.flush_after_reset_ack = true,
        }
    }

    pub(super) fn receive_ipcp(&mut self, now: Instant, packet: &[u8]) {
        if self.phase != Phase::Network {
            self.wrong_phase("IPCP");
            return;
        }
        match self.ipcp.receive(now, packet) {
            Input::Consumed => {}
            Input::Invalid(why) => self.bad_control("IPCP", why),
            Input::Extension { .. } => self.ipcp.reject_code(packet),
        }
    }

    pub(super) fn receive_ipv6cp(&mut self, now: Instant, packet: &[u8]) {
        if !self.cfg.ipv6 {
            self.unknown_protocol(PROTO_IPV6CP, packet);
            return;
        }
        if self.phase != Phase::Network {
            self.wrong_phase("IPV6CP");
            return;
        }
        let Some(ipv6cp) = self.ipv6cp.as_mut() else {
            return;
        };
        match ipv6cp.receive(now, packet) {
            Input::Consumed => {}
            Input::Invalid(why) => self.bad_control("IPV6CP", why),
            Input::Extension { .. } => ipv6cp.reject_code(packet),
        }
    }

    /// A frame of a protocol we do not run: Protocol-Reject when LCP is Opened.
    pub(super) fn unknown_protocol(&mut self, protocol: u16, info: &[u8]) {
        self.stats.unknown_protocol += 1;
        tracing::debug!(
            protocol = format_args!("{protocol:#06x}"),
            "protocol not supported"
        );
        if self.lcp.is_opened() {
            self.lcp.protocol_reject(protocol, info);
        }
    }

    fn bad_control(&mut self, proto: &'static str, why: &'static str) {
        self.stats.bad_control += 1;
        tracing::debug!(proto, why, "control packet dropped");
    }

    fn wrong_phase(&mut self, proto: &'static str) {
        self.stats.wrong_phase += 1;
        tracing::debug!(proto, phase = ?self.phase, "control packet in the wrong phase: dropped");
    }
}
