//! The option-negotiation automaton of RFC 1661 §4, shared by LCP, IPCP, IPV6CP and CCP.
//!
//! [`Fsm`] implements the whole state transition table (10 states, 16 events, 13 actions), the
//! restart timer, Max-Configure, Max-Terminate and Max-Failure, identifier matching and
//! Code-Reject. What a protocol's options mean is left to a [`Negotiator`]. It is sans-IO:
//! time comes in as `now`, packets and layer signals go out as [`Action`]s.

mod options;
mod receive;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub use options::{push_option, OptionIter, Options, RawOption, Reply};

use crate::frame::{emit_packet, emit_packet_with, ControlPacket};
use crate::packet_queue::PacketQueue;

/// Packet codes common to all LCP-style protocols (RFC 1661 §5).
pub mod code {
    /// Configure-Request.
    pub const CONFIGURE_REQUEST: u8 = 1;
    /// Configure-Ack.
    pub const CONFIGURE_ACK: u8 = 2;
    /// Configure-Nak.
    pub const CONFIGURE_NAK: u8 = 3;
    /// Configure-Reject.
    pub const CONFIGURE_REJECT: u8 = 4;
    /// Terminate-Request.
    pub const TERMINATE_REQUEST: u8 = 5;
    /// Terminate-Ack.
    pub const TERMINATE_ACK: u8 = 6;
    /// Code-Reject.
    pub const CODE_REJECT: u8 = 7;
}

/// The automaton's states (RFC 1661 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Lower layer down, no Open.
    Initial,
    /// Lower layer down, Open issued.
    Starting,
    /// Lower layer up, no Open.
    Closed,
    /// Waiting passively after termination or failure.
    Stopped,
    /// Terminate-Request sent after Close.
    Closing,
    /// Terminate-Request sent or received, no Close.
    Stopping,
    /// Configure-Request sent.
    ReqSent,
    /// Configure-Request sent and Configure-Ack received.
    AckRcvd,
    /// Configure-Request sent and Configure-Ack sent.
    AckSent,
    /// Both Configure-Acks exchanged.
    Opened,
}

impl State {
    /// States in which the restart timer runs.
    fn timed(self) -> bool {
        matches!(
            self,
            State::Closing | State::Stopping | State::ReqSent | State::AckRcvd | State::AckSent
        )
    }

    /// States in which a Configure-Request exchange is under way.
    fn negotiating(self) -> bool {
        matches!(self, State::ReqSent | State::AckRcvd | State::AckSent)
    }
}

/// Restart timer and counters (RFC 1661 §4.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timers {
    /// Restart timer period.
    pub restart: Duration,
    /// Configure-Requests sent without an answer before giving up.
    pub max_configure: u32,
    /// Terminate-Requests sent without an answer before giving up.
    pub max_terminate: u32,
    /// Configure-Naks sent without an Ack before Naks turn into Rejects.
    pub max_failure: u32,
}

impl Default for Timers {
    fn default() -> Self {
        Self {
            restart: Duration::from_secs(3),
            max_configure: 10,
            max_terminate: 2,
            max_failure: 5,
        }
    }
}

/// What the automaton asks its owner to do, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A control packet (code, id, length, data) for the automaton's protocol was handed to
    /// the `send` of [`Fsm::poll_action`].
    Send,
    /// This-Layer-Up (tlu): the layer is Opened.
    Up,
    /// This-Layer-Down (tld): the layer leaves Opened.
    Down,
    /// This-Layer-Started (tls): the layer needs its lower layer.
    Started,
    /// This-Layer-Finished (tlf): the layer no longer needs its lower layer.
    Finished,
}

/// Result of feeding a control packet to [`Fsm::receive`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input<'a> {
    /// Handled by the automaton (possibly silently discarded per the RFC).
    Consumed,
    /// A code beyond 1..=7: protocol-specific (Echo, Reset-Request...) or unknown. The owner
    /// handles it, or calls [`Fsm::reject_code`] with the whole packet.
    Extension {
        /// The code.
        code: u8,
        /// The identifier.
        id: u8,
        /// The data after the header.
        data: &'a [u8],
    },
    /// Malformed or unexpected (bad length, wrong identifier...): dropped.
    Invalid(&'static str),
}

/// The option semantics of one protocol.
pub trait Negotiator {
    /// Restores our own wishes before a new negotiation (called by the first Configure-Request
    /// sent from a non-negotiating state). Values learnt from the peer are not touched.
    fn reset(&mut self);
    /// Appends the options of our next Configure-Request.
    fn build_request(&mut self, out: &mut Vec<u8>);
    /// Judges the peer's Configure-Request; options not Nak'ed or Rejected are acknowledged.
    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply);
    /// The peer acknowledged our request (identical to what we sent).
    fn acked(&mut self, options: Options<'_>);
    /// The peer Nak'ed our request with these suggestions.
    fn naked(&mut self, options: Options<'_>);
    /// The peer rejected these options of our request (a subset of what we sent).
    fn rejected(&mut self, options: Options<'_>);
}

/// Longest copy of a rejected packet put into a Code-Reject.
const MAX_REJECTED_COPY: usize = 1000;

/// One RFC 1661 automaton driving the options of one protocol.
#[derive(Debug)]
pub struct Fsm<N> {
    name: &'static str,
    state: State,
    /// The protocol's option semantics.
    pub handler: N,
    timers: Timers,
    next_id: u8,
    req_id: u8,
    /// Set once an Ack/Nak/Reject answered `req_id`: later copies are duplicates.
    answered: bool,
    last_request: Vec<u8>,
    restart_count: u32,
    naks_sent: u32,
    naks_received: u32,
    deadline: Option<Instant>,
    term_reason: Vec<u8>,
    cause: Option<String>,
    actions: VecDeque<Action>,
    /// The packets of the queued [`Action::Send`]s, in order.
    packets: PacketQueue,
}

impl<N: Negotiator> Fsm<N> {
    /// A new automaton in the Initial state; `name` is used in logs ("LCP", "IPCP"...).
    pub fn new(name: &'static str, handler: N, timers: Timers) -> Self {
        Self {
            name,
            state: State::Initial,
            handler,
            timers,
            next_id: 1,
            req_id: 0,
            answered: true,
            last_request: Vec::new(),
            restart_count: 0,
            naks_sent: 0,
            naks_received: 0,
            deadline: None,
            term_reason: Vec::new(),
            cause: None,
            actions: VecDeque::new(),
            packets: PacketQueue::default(),
        }
    }

    /// Current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Protocol name used in logs.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Next pending action; for [`Action::Send`] the packet is first handed to `send`, so
    /// packets and layer signals reach the owner in the order they arose.
    pub fn poll_action(&mut self, send: impl FnOnce(&[u8])) -> Option<Action> {
        let action = self.actions.pop_front()?;
        if action == Action::Send {
            if let Some(packet) = self.packets.front() {
                send(packet);
            }
            self.packets.pop();
        }
        Some(action)
    }

    /// When the restart timer fires, if it runs.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Why the layer last went down or finished (peer's Terminate-Request, timeout, Close reason).
    pub fn take_cause(&mut self) -> Option<String> {
        self.cause.take()
    }

    /// A fresh identifier for a protocol-specific request (Echo-Request, Reset-Request...).
    pub fn new_id(&mut self) -> u8 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        id
    }

    /// Queues a protocol-specific packet.
    pub fn send(&mut self, code: u8, id: u8, data: &[u8]) {
        self.send_with(code, id, |out| out.extend_from_slice(data));
    }

    /// Queues a protocol-specific packet whose data `data` appends to the buffer it is given.
    pub fn send_with(&mut self, code: u8, id: u8, data: impl FnOnce(&mut Vec<u8>)) {
        self.packets
            .push_with(|out| emit_packet_with(code, id, out, data));
        self.actions.push_back(Action::Send);
    }

    /// Event Up: the lower layer is ready.
    pub fn up(&mut self, now: Instant) {
        match self.state {
            State::Initial => self.set_state(State::Closed),
            State::Starting => {
                self.irc(false);
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            _ => tracing::debug!(fsm = self.name, state = ?self.state, "Up ignored"),
        }
    }

    /// Event Down: the lower layer is gone.
    pub fn down(&mut self) {
        let next = match self.state {
            State::Initial | State::Starting => return,
            State::Closed | State::Closing => State::Initial,
            State::Stopped => {
                self.tls();
                State::Starting
            }
            State::Stopping | State::ReqSent | State::AckRcvd | State::AckSent => State::Starting,
            State::Opened => {
                self.tld();
                State::Starting
            }
        };
        self.set_state(next);
    }

    /// Event Open: administrative permission to negotiate.
    pub fn open(&mut self, now: Instant) {
        match self.state {
            State::Initial => {
                self.tls();
                self.set_state(State::Starting);
            }
            State::Closed => {
                self.irc(false);
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            State::Closing => self.set_state(State::Stopping),
            _ => {}
        }
    }

    /// Opens the layer with options agreed elsewhere (L2TP proxy LCP, RFC 2661 §4.4.5): from
    /// Initial straight to Opened without a packet; This-Layer-Up follows. False (and nothing
    /// changes) in any other state.
    pub fn adopt_opened(&mut self) -> bool {
        if self.state != State::Initial {
            return false;
        }
        self.set_state(State::Opened);
        self.tlu();
        true
    }

    /// Event Close: administrative close; `reason` goes into the Terminate-Request.
    pub fn close(&mut self, now: Instant, reason: &str) {
        self.cause.get_or_insert_with(|| reason.to_string());
        self.term_reason = reason.as_bytes().to_vec();
        match self.state {
            State::Initial => {}
            State::Starting => {
                self.tlf();
                self.set_state(State::Initial);
            }
            State::Closed | State::Stopped => self.set_state(State::Closed),
            State::Closing | State::Stopping => self.set_state(State::Closing),
            State::ReqSent | State::AckRcvd | State::AckSent => {
                self.irc(true);
                self.str(now);
                self.set_state(State::Closing);
            }
            State::Opened => {
                self.tld();
                self.irc(true);
                self.str(now);
                self.set_state(State::Closing);
            }
        }
    }

    /// Fires the restart timer when it is due (events TO+ and TO-).
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_none_or(|d| d > now) {
            return;
        }
        self.deadline = None;
        if self.restart_count > 0 {
            match self.state {
                State::Closing | State::Stopping => self.str(now),
                State::ReqSent | State::AckRcvd => {
                    self.resend_request(now);
                    self.set_state(State::ReqSent);
                }
                State::AckSent => self.resend_request(now),
                _ => {}
            }
            return;
        }
        let next = match self.state {
            State::Closing => State::Closed,
            State::Stopping => State::Stopped,
            State::ReqSent | State::AckRcvd | State::AckSent => {
                tracing::info!(fsm = self.name, "negotiation timed out (Max-Configure)");
                self.cause
                    .get_or_insert_with(|| format!("{} negotiation timed out", self.name));
                State::Stopped
            }
            _ => return,
        };
        self.tlf();
        self.set_state(next);
    }

    /// A received control packet (code, id, length, data; trailing padding allowed).
    pub fn receive<'a>(&mut self, now: Instant, packet: &'a [u8]) -> Input<'a> {
        let Some(p) = ControlPacket::new_checked(packet) else {
            return Input::Invalid("bad packet length");
        };
        let (code, id, data) = (p.code(), p.id(), p.data());
        if matches!(self.state, State::Initial | State::Starting) {
            return Input::Invalid("layer not started");
        }
        match code {
            code::CONFIGURE_REQUEST => self.rcv_configure_request(now, id, data),
            code::CONFIGURE_ACK => self.rcv_configure_ack(now, id, data),
            code::CONFIGURE_NAK | code::CONFIGURE_REJECT => {
                self.rcv_configure_nak_rej(now, code, id, data)
            }
            code::TERMINATE_REQUEST => {
                self.rcv_terminate_request(now, id, data);
                Input::Consumed
            }
            code::TERMINATE_ACK => {
                self.rcv_terminate_ack(now);
                Input::Consumed
            }
            code::CODE_REJECT => {
                let rejected = data.first().copied().unwrap_or(0);
                tracing::info!(fsm = self.name, code = rejected, "peer sent Code-Reject");
                let catastrophic = (1..=code::CODE_REJECT).contains(&rejected);
                self.receive_reject(now, catastrophic);
                Input::Consumed
            }
            code => Input::Extension { code, id, data },
        }
    }

    /// Events RXJ+ (`catastrophic == false`) and RXJ-: a Code-Reject or Protocol-Reject.
    pub fn receive_reject(&mut self, now: Instant, catastrophic: bool) {
        if !catastrophic {
            if self.state == State::AckRcvd {
                self.set_state(State::ReqSent);
            }
            return;
        }
        self.cause
            .get_or_insert_with(|| format!("peer rejected {}", self.name));
        let next = match self.state {
            State::Closed | State::Closing => State::Closed,
            State::Stopped | State::Stopping => State::Stopped,
            State::ReqSent | State::AckRcvd | State::AckSent => State::Stopped,
            State::Opened => {
                self.tld();
                self.irc(true);
                self.str(now);
                self.set_state(State::Stopping);
                return;
            }
            State::Initial | State::Starting => return,
        };
        self.tlf();
        self.set_state(next);
    }

    /// Event RUC: answers an unknown code with Code-Reject (carrying a copy of `packet`).
    pub fn reject_code(&mut self, packet: &[u8]) {
        if matches!(self.state, State::Initial | State::Starting) {
            return;
        }
        let copy = &packet[..packet.len().min(MAX_REJECTED_COPY)];
        let id = self.new_id();
        self.send(code::CODE_REJECT, id, copy);
    }

    fn set_state(&mut self, next: State) {
        if next != self.state {
            tracing::debug!(fsm = self.name, from = ?self.state, to = ?next, "state");
        }
        self.state = next;
        if !next.timed() {
            self.deadline = None;
        }
    }

    fn tlu(&mut self) {
        self.actions.push_back(Action::Up);
    }

    fn tld(&mut self) {
        self.actions.push_back(Action::Down);
    }

    fn tls(&mut self) {
        self.actions.push_back(Action::Started);
    }

    fn tlf(&mut self) {
        self.actions.push_back(Action::Finished);
    }

    fn irc(&mut self, terminate: bool) {
        self.restart_count = if terminate {
            self.timers.max_terminate
        } else {
            self.timers.max_configure
        };
    }

    fn scr(&mut self, now: Instant) {
        if !self.state.negotiating() {
            self.handler.reset();
            self.naks_sent = 0;
            self.naks_received = 0;
        }
        let mut opts = Vec::new();
        self.handler.build_request(&mut opts);
        self.req_id = self.new_id();
        self.last_request = opts;
        self.resend_request(now);
    }

    fn resend_request(&mut self, now: Instant) {
        self.answered = false;
        let (id, options) = (self.req_id, &self.last_request);
        self.packets
            .push_with(|out| emit_packet(code::CONFIGURE_REQUEST, id, options, out));
        self.actions.push_back(Action::Send);
        self.restart_count = self.restart_count.saturating_sub(1);
        self.deadline = Some(now + self.timers.restart);
    }

    fn str(&mut self, now: Instant) {
        let id = self.new_id();
        let reason = std::mem::take(&mut self.term_reason);
        self.send(code::TERMINATE_REQUEST, id, &reason);
        self.term_reason = reason;
        self.restart_count = self.restart_count.saturating_sub(1);
        self.deadline = Some(now + self.timers.restart);
    }

    fn sta(&mut self, id: u8) {
        self.send(code::TERMINATE_ACK, id, &[]);
    }
}
