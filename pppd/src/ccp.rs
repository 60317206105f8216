//! The Compression Control Protocol (RFC 1962) carrying only MPPE (RFC 3078 §2).
//!
//! Each side's Configure-Request lists the MPPE bits it will accept; the other side Naks it
//! down to exactly one strength bit (the strongest both allow) and H (stateless) or not.
//! We offer every allowed strength and stateless; stateful is used only when the peer asks
//! for it and the configuration allows it (or when we are told to prefer it). Once one
//! direction is acknowledged the other is steered to the same parameters. MPPC, Deflate,
//! BSD-Compress, Predictor and any other option are rejected. Reset-Request/Reset-Ack
//! (codes 14/15) serve stateful MPPE.

use std::time::{Duration, Instant};

use crate::config::{Config, MppePolicy};
use crate::fsm::{push_option, Fsm, Input, Negotiator, Options, Reply, State};
use crate::mppe::{
    Strength, CCP_OPT_MPPE, MPPE_BIT_H_STATELESS as H, MPPE_BIT_L40 as L40, MPPE_BIT_S128 as S128,
};

/// CCP-only packet codes.
pub mod code {
    /// Reset-Request.
    pub const RESET_REQUEST: u8 = 14;
    /// Reset-Ack.
    pub const RESET_ACK: u8 = 15;
}

/// Least time between two Reset-Requests while no Reset-Ack came.
const RESET_RETRY: Duration = Duration::from_secs(1);

fn strongest(bits: u32) -> u32 {
    if bits & S128 != 0 {
        S128
    } else {
        bits & L40
    }
}

/// The CCP [`Negotiator`] (MPPE only).
#[derive(Debug)]
pub struct CcpOptions {
    allowed: u32,
    stateful_ok: bool,
    prefer_stateless: bool,
    require: bool,
    offer: u32,
    stateless: bool,
    want_mppe: bool,
    ours_acked: Option<u32>,
    peers: Option<u32>,
    failure: Option<String>,
}

impl CcpOptions {
    /// Options for `cfg`.
    pub fn new(cfg: &Config) -> Self {
        let allowed = if cfg.mppe_128 { S128 } else { 0 } | if cfg.mppe_40 { L40 } else { 0 };
        let prefer_stateless = !(cfg.mppe_stateful && cfg.mppe_prefer_stateful);
        let mut o = Self {
            allowed,
            stateful_ok: cfg.mppe_stateful,
            prefer_stateless,
            require: cfg.mppe == MppePolicy::Require,
            offer: allowed,
            stateless: prefer_stateless,
            want_mppe: true,
            ours_acked: None,
            peers: None,
            failure: None,
        };
        o.reset();
        o
    }

    /// A fatal negotiation failure (MPPE required but impossible), at most once.
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    /// After CCP opened: the MPPE parameters both directions agreed on; None when MPPE is
    /// off in both (only possible when not required); Err when they disagree.
    pub fn negotiated(&self) -> Result<Option<(Strength, bool)>, String> {
        let params = match (self.ours_acked, self.peers) {
            (None, None) => None,
            (Some(a), Some(b)) => {
                let strength = match strongest(a & b) {
                    S128 => Strength::Bits128,
                    L40 => Strength::Bits40,
                    _ => return Err(format!("MPPE strength mismatch ({a:#x} vs {b:#x})")),
                };
                if (a & H) != (b & H) {
                    return Err("MPPE stateless/stateful mismatch".to_string());
                }
                Some((strength, a & H != 0))
            }
            _ => return Err("MPPE negotiated in one direction only".to_string()),
        };
        if params.is_none() && self.require {
            return Err("MPPE required but not negotiated".to_string());
        }
        Ok(params)
    }

    fn value(&self) -> u32 {
        self.offer | if self.stateless { H } else { 0 }
    }

    fn give_up(&mut self, why: &str) {
        tracing::info!(reason = why, "MPPE negotiation failed");
        if self.require {
            self.failure = Some(format!("MPPE required: {why}"));
        } else {
            self.want_mppe = false;
        }
    }

    /// What the peer's request with bits `v` should be: strength and H.
    fn desired_for_peer(&mut self, v: u32) -> u32 {
        if let Some(acked) = self.ours_acked {
            return strongest(acked) | (acked & H);
        }
        let mut chosen = strongest(v & self.offer);
        if chosen == 0 {
            chosen = strongest(v & self.allowed);
        }
        if chosen == 0 {
            chosen = strongest(self.offer);
        }
        if v & H == 0 && self.stateful_ok {
            self.stateless = false;
        }
        chosen | if self.stateless { H } else { 0 }
    }
}

impl Negotiator for CcpOptions {
    fn reset(&mut self) {
        self.offer = self.allowed;
        self.stateless = self.prefer_stateless;
        self.want_mppe = self.allowed != 0;
        self.ours_acked = None;
    }

    fn build_request(&mut self, out: &mut Vec<u8>) {
        if self.want_mppe {
            push_option(out, CCP_OPT_MPPE, &self.value().to_be_bytes());
        }
    }

    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply) {
        self.peers = None;
        let mut saw_mppe = false;
        for o in options {
            match (o.kind, o.u32()) {
                (CCP_OPT_MPPE, Some(v)) if self.allowed != 0 => {
                    saw_mppe = true;
                    let want = self.desired_for_peer(v);
                    if v == want {
                        self.peers = Some(v);
                    } else {
                        reply.nak(&o, &want.to_be_bytes());
                    }
                }
                _ => reply.reject(&o),
            }
        }
        if !saw_mppe && self.require && self.allowed != 0 {
            let want = self
                .ours_acked
                .unwrap_or_else(|| strongest(self.offer) | (self.value() & H));
            reply.nak_missing(CCP_OPT_MPPE, &want.to_be_bytes());
        }
    }

    fn acked(&mut self, _options: Options<'_>) {
        self.ours_acked = self.want_mppe.then(|| self.value());
    }

    fn naked(&mut self, options: Options<'_>) {
        for o in options {
            let (CCP_OPT_MPPE, Some(v)) = (o.kind, o.u32()) else {
                continue;
            };
            let strength = strongest(v & self.allowed);
            if strength == 0 {
                self.give_up("peer offers no acceptable strength");
                return;
            }
            self.offer = strength;
            // A Nak towards stateful is followed only when allowed; otherwise we keep asking
            // for stateless and our own Nak tells the peer (its Max-Failure ends a deadlock).
            self.stateless = v & H != 0 || !self.stateful_ok;
        }
    }

    fn rejected(&mut self, options: Options<'_>) {
        if options.iter().any(|o| o.kind == CCP_OPT_MPPE) {
            self.give_up("peer rejected MPPE");
        }
    }
}

/// What a received CCP packet means for the session beyond the automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CcpInput {
    /// Nothing more to do.
    Consumed,
    /// The peer sent Reset-Request (answered): the encryptor must flush.
    ResetRequested,
    /// Dropped as malformed or unexpected.
    Invalid(&'static str),
}

/// CCP: automaton, MPPE options and the Reset-Request exchange.
#[derive(Debug)]
pub struct Ccp {
    /// The automaton (its handler holds the options).
    pub fsm: Fsm<CcpOptions>,
    reset_sent: Option<Instant>,
}

impl Ccp {
    /// CCP for `cfg`.
    pub fn new(cfg: &Config) -> Self {
        Self {
            fsm: Fsm::new("CCP", CcpOptions::new(cfg), cfg.timers()),
            reset_sent: None,
        }
    }

    /// A received CCP packet.
    pub fn receive(&mut self, now: Instant, packet: &[u8]) -> CcpInput {
        let (code, id) = match self.fsm.receive(now, packet) {
            Input::Consumed => return CcpInput::Consumed,
            Input::Invalid(why) => return CcpInput::Invalid(why),
            Input::Extension { code, id, .. } => (code, id),
        };
        let opened = self.fsm.state() == State::Opened;
        match code {
            code::RESET_REQUEST if opened => {
                self.fsm.send(code::RESET_ACK, id, &[]);
                CcpInput::ResetRequested
            }
            code::RESET_ACK => {
                self.reset_sent = None;
                CcpInput::Consumed
            }
            code::RESET_REQUEST => CcpInput::Consumed,
            _ => {
                self.fsm.reject_code(packet);
                CcpInput::Consumed
            }
        }
    }

    /// Our decryptor lost sync (stateful MPPE): sends a Reset-Request, at most one per second
    /// while unanswered.
    pub fn request_reset(&mut self, now: Instant) {
        if self.fsm.state() != State::Opened
            || self.reset_sent.is_some_and(|t| now < t + RESET_RETRY)
        {
            return;
        }
        self.reset_sent = Some(now);
        let id = self.fsm.new_id();
        self.fsm.send(code::RESET_REQUEST, id, &[]);
    }
}

#[cfg(test)]
mod tests;
