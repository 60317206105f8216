//! The Link Control Protocol (RFC 1661): the automaton with LCP's options, plus the codes
//! only LCP has — Protocol-Reject, Echo-Request/Reply (keepalive), Discard-Request,
//! Identification and Time-Remaining (RFC 1570).

mod keepalive;
mod options;
#[cfg(test)]
mod tests;

use std::time::Instant;

use rand::rngs::StdRng;

pub use keepalive::{Keepalive, Tick};
pub use options::{opt, AdoptError, LcpOptions, PeerLcp, DEFAULT_MRU, MIN_MRU};

use crate::config::Config;
use crate::fsm::{Fsm, Input, State};
use crate::wire;

/// LCP-only packet codes.
pub mod code {
    /// Protocol-Reject.
    pub const PROTOCOL_REJECT: u8 = 8;
    /// Echo-Request.
    pub const ECHO_REQUEST: u8 = 9;
    /// Echo-Reply.
    pub const ECHO_REPLY: u8 = 10;
    /// Discard-Request.
    pub const DISCARD_REQUEST: u8 = 11;
    /// Identification (RFC 1570).
    pub const IDENTIFICATION: u8 = 12;
    /// Time-Remaining (RFC 1570).
    pub const TIME_REMAINING: u8 = 13;
}

/// What a received LCP packet means for the session beyond the automaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LcpInput {
    /// Nothing more to do.
    Consumed,
    /// The peer Protocol-Rejected this protocol (LCP Opened).
    ProtocolRejected(u16),
    /// Dropped as malformed or unexpected.
    Invalid(&'static str),
}

/// LCP: automaton, options and keepalive.
#[derive(Debug)]
pub struct Lcp {
    /// The automaton (its handler holds the options).
    pub fsm: Fsm<LcpOptions>,
    keepalive: Keepalive,
}

impl Lcp {
    /// LCP for `cfg`.
    pub fn new(cfg: &Config, rng: StdRng) -> Self {
        Self {
            fsm: Fsm::new("LCP", LcpOptions::new(cfg, rng), cfg.timers()),
            keepalive: Keepalive::new(cfg.echo_interval, cfg.echo_failures),
        }
    }

    /// True when LCP is Opened.
    pub fn is_opened(&self) -> bool {
        self.fsm.state() == State::Opened
    }

    /// Opens LCP with options a LAC negotiated for us (L2TP proxy LCP); see
    /// [`LcpOptions::adopt`]. Err when LCP is not Initial or the options are not ours to agree to.
    pub fn adopt(&mut self, ours: &[u8], theirs: &[u8]) -> Result<(), AdoptError> {
        if self.fsm.state() != State::Initial {
            return Err(AdoptError::AlreadyStarted);
        }
        self.fsm.handler.adopt(ours, theirs)?;
        self.fsm.adopt_opened();
        Ok(())
    }

    /// A received LCP packet.
    pub fn receive(&mut self, now: Instant, packet: &[u8]) -> LcpInput {
        let (code, id, data) = match self.fsm.receive(now, packet) {
            Input::Consumed => return LcpInput::Consumed,
            Input::Invalid(why) => return LcpInput::Invalid(why),
            Input::Extension { code, id, data } => (code, id, data),
        };
        let opened = self.is_opened();
        match code {
            code::PROTOCOL_REJECT if opened => match wire::read_u16(data, 0) {
                Some(protocol) => LcpInput::ProtocolRejected(protocol),
                None => LcpInput::Invalid("short Protocol-Reject"),
            },
            code::ECHO_REQUEST if opened => self.answer_echo(id, data),
            code::ECHO_REPLY if opened => {
                let ours = self.fsm.handler.magic();
                if wire::read_u32(data, 0) == Some(ours) && ours != 0 {
                    tracing::warn!("LCP Echo-Reply carries our own magic: link looped back?");
                    return LcpInput::Invalid("looped-back Echo-Reply");
                }
                self.keepalive.reply_received();
                LcpInput::Consumed
            }
            code::PROTOCOL_REJECT
            | code::ECHO_REQUEST
            | code::ECHO_REPLY
            | code::DISCARD_REQUEST
            | code::IDENTIFICATION
            | code::TIME_REMAINING => LcpInput::Consumed,
            _ => {
                tracing::debug!(code, "LCP code unknown: Code-Reject");
                self.fsm.reject_code(packet);
                LcpInput::Consumed
            }
        }
    }

    fn answer_echo(&mut self, id: u8, data: &[u8]) -> LcpInput {
        let Some(magic) = wire::read_u32(data, 0) else {
            return LcpInput::Invalid("short Echo-Request");
        };
        let rest = &data[4..];
        let ours = self.fsm.handler.magic();
        if ours != 0 && magic == ours {
            tracing::warn!("LCP Echo-Request carries our own magic: link looped back?");
            return LcpInput::Invalid("looped-back Echo-Request");
        }
        let room = usize::from(self.fsm.handler.peer().mru).saturating_sub(8);
        self.fsm.send_with(code::ECHO_REPLY, id, |out| {
            out.extend_from_slice(&ours.to_be_bytes());
            out.extend_from_slice(&rest[..rest.len().min(room)]);
        });
        LcpInput::Consumed
    }

    /// Sends a Protocol-Reject for a frame of `protocol` with information field `info`.
    pub fn protocol_reject(&mut self, protocol: u16, info: &[u8]) {
        let room = usize::from(self.fsm.handler.peer().mru).saturating_sub(6);
        let id = self.fsm.new_id();
        self.fsm.send_with(code::PROTOCOL_REJECT, id, |out| {
            out.extend_from_slice(&protocol.to_be_bytes());
            out.extend_from_slice(&info[..info.len().min(room)]);
        });
    }

    /// Starts the Echo keepalive (LCP Opened).
    pub fn start_keepalive(&mut self, now: Instant) {
        self.keepalive.start(now);
    }

    /// Stops the Echo keepalive.
    pub fn stop_keepalive(&mut self) {
        self.keepalive.stop();
    }

    /// When the keepalive timer fires.
    pub fn keepalive_deadline(&self) -> Option<Instant> {
        self.keepalive.deadline()
    }

    /// The peer sent traffic: as good as an Echo-Reply for the keepalive.
    pub fn traffic_received(&mut self) {
        self.keepalive.traffic_received();
    }

    /// Fires the keepalive if due; false when the peer is declared dead.
    pub fn handle_keepalive(&mut self, now: Instant) -> bool {
        match self.keepalive.handle_timeout(now) {
            Some(Tick::Dead) => false,
            Some(Tick::Send) => {
                let id = self.fsm.new_id();
                let magic = self.fsm.handler.magic().to_be_bytes();
                self.fsm.send(code::ECHO_REQUEST, id, &magic);
                true
            }
            None => true,
        }
    }
}
