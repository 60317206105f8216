//! The control connection state machine: public API, timers and output queues. Message
//! handling lives in `dispatch` (connection level) and `call_handling` (calls).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use tracing::{debug, warn};

use super::calls::{Call, CallState, Calls};
use super::codes::*;
use super::config::{ControlConfig, ControlEvent, Role};
use super::framer::Framer;
use super::message::Message;
use super::msg_call::{Ccrq, Cdn, Ocrq};
use super::msg_conn::{EchoRequest, Sccrq, StopCcrq};
use super::stats::{BadControlInput, ControlStats};

/// How long we wait for the Stop-Control-Connection-Reply after our request.
pub const STOP_REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// Connection phases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Client before `start`.
    Idle,
    /// Server waiting for SCCRQ.
    WaitSccrq,
    /// Client waiting for SCCRP.
    WaitSccrp,
    /// Control connection up.
    Established,
    /// We sent StopCCRQ and wait for the reply.
    Stopping { deadline: Instant, reason: String },
    /// Finished; every input is ignored.
    Closed,
}

/// One PPTP control connection (either role), fed with TCP bytes and time.
pub struct ControlConnection {
    pub(crate) cfg: ControlConfig,
    pub(crate) state: State,
    framer: Framer,
    pub(crate) calls: Calls,
    transmit: VecDeque<Message>,
    pub(crate) events: VecDeque<ControlEvent>,
    pub(crate) stats: ControlStats,
    setup_deadline: Option<Instant>,
    pub(crate) last_rx: Instant,
    /// Outstanding Echo-Request: identifier and reply deadline.
    pub(crate) echo: Option<(u32, Instant)>,
    next_echo_id: u32,
    next_token: u32,
    next_serial: u16,
}

impl ControlConnection {
    /// A new connection. The server waits for SCCRQ (setup timeout running from `now`); the
    /// client waits for `start`.
    pub fn new(cfg: ControlConfig, now: Instant) -> Self {
        let (state, setup_deadline) = match cfg.role {
            Role::Server => (State::WaitSccrq, Some(now + cfg.setup_timeout)),
            Role::Client => (State::Idle, None),
        };
        ControlConnection {
            calls: Calls::new(cfg.max_calls),
            cfg,
            state,
            framer: Framer::new(),
            transmit: VecDeque::new(),
            events: VecDeque::new(),
            stats: ControlStats::default(),
            setup_deadline,
            last_rx: now,
            echo: None,
            next_echo_id: 1,
            next_token: 1,
            next_serial: 1,
        }
    }

    /// TCP bytes in any fragmentation; bounded buffering (one message of at most 512 bytes).
    /// A malformed message closes the connection (the stream cannot be resynchronised).
    pub fn handle_bytes(&mut self, now: Instant, data: &[u8]) {
        let mut rest = data;
        while !rest.is_empty() && !self.is_closed() {
            let (used, complete) = match self.framer.push(rest) {
                Ok(progress) => progress,
                Err(e) => {
                    self.bad_input(BadControlInput::Malformed(e));
                    self.close(format!("bad control message: {e}"));
                    return;
                }
            };
            rest = rest.get(used..).unwrap_or(&[]);
            if complete {
                let parsed = Message::from_bytes(self.framer.message());
                self.framer.clear();
                match parsed {
                    Ok(msg) => self.on_message(now, msg),
                    Err(e) => {
                        self.bad_input(BadControlInput::Malformed(e));
                        self.close(format!("bad control message: {e}"));
                    }
                }
            }
        }
    }

    /// Writes the next message to send on TCP into `buf` (at least [`super::MAX_MESSAGE_LEN`]
    /// bytes) and returns its length. A `buf` too small for it returns None and leaves it queued.
    /// `now` is the contract's (every core's `poll_transmit` takes it); no PPTP control message
    /// depends on the time it leaves.
    pub fn poll_transmit(&mut self, _now: Instant, buf: &mut [u8]) -> Option<usize> {
        let len = self.transmit.front()?.emit(buf)?;
        self.transmit.pop_front();
        Some(len)
    }

    /// Next event for the driver.
    pub fn poll_event(&mut self) -> Option<ControlEvent> {
        self.events.pop_front()
    }

    /// When `handle_timeout` must be called next (setup, echo or stop timer).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.state {
            State::Idle | State::Closed => None,
            State::WaitSccrq | State::WaitSccrp => self.setup_deadline,
            State::Stopping { deadline, .. } => Some(*deadline),
            State::Established if self.cfg.echo_interval.is_zero() => None,
            State::Established => Some(match self.echo {
                Some((_, deadline)) => deadline,
                None => self.last_rx + self.cfg.echo_interval,
            }),
        }
    }

    /// Runs the timers that are due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        match &self.state {
            State::WaitSccrq | State::WaitSccrp
                if self.setup_deadline.is_some_and(|d| now >= d) =>
            {
                let what = match self.cfg.role {
                    Role::Server => "Start-Control-Connection-Request",
                    Role::Client => "Start-Control-Connection-Reply",
                };
                let limit = self.cfg.setup_timeout;
                self.close(format!("setup timeout: no {what} within {limit:?}"));
            }
            State::Stopping { deadline, reason } if now >= *deadline => {
                let reason = format!("{reason} (no Stop-Control-Connection-Reply)");
                self.close(reason);
            }
            State::Established => self.echo_timer(now),
            _ => {}
        }
    }

    fn echo_timer(&mut self, now: Instant) {
        if self.cfg.echo_interval.is_zero() {
            return;
        }
        match self.echo {
            Some((_, deadline)) if now >= deadline => {
                let limit = self.cfg.echo_timeout;
                self.close(format!("echo timeout: no Echo-Reply within {limit:?}"));
            }
            None if now >= self.last_rx + self.cfg.echo_interval => {
                let identifier = self.next_echo_id;
                self.next_echo_id = self.next_echo_id.wrapping_add(1);
                debug!(identifier, "sending Echo-Request");
                self.send(Message::EchoRequest(EchoRequest { identifier }));
                self.echo = Some((identifier, now + self.cfg.echo_timeout));
            }
            _ => {}
        }
    }

    /// Server: accept with OUR call ID (allocated by the driver, unique daemon-wide) →
    /// OCRP/ICRP success. A request the peer withdrew meanwhile yields `CallCleared`.
    pub fn accept_call(&mut self, token: u32, call_id: u16) {
        self.answer_call(token, Ok(call_id));
    }

    /// Server: refuse a requested call (OCRP/ICRP general error, error code No-Resource).
    pub fn refuse_call(&mut self, token: u32, reason: &str) {
        self.answer_call(token, Err(reason));
    }

    /// We end a call: Call-Disconnect-Notify (server) / Call-Clear-Request (client).
    pub fn clear_call(&mut self, call_id: u16, reason: &str) {
        let Some(index) = self.calls.by_id(call_id) else {
            debug!(call_id, "clear_call: no such call");
            return;
        };
        debug!(call_id, reason, "clearing call");
        let up = self.state == State::Established;
        match self.cfg.role {
            Role::Server => {
                self.calls.remove(index);
                if up {
                    self.send(Message::Cdn(Cdn {
                        call_id,
                        result_code: CDN_ADMIN_SHUTDOWN,
                        error_code: ERROR_NONE,
                        cause_code: 0,
                        call_statistics: reason.to_string(),
                    }));
                }
            }
            Role::Client => {
                let queued = self
                    .calls
                    .get_mut(index)
                    .is_some_and(|c| c.state == CallState::Queued);
                if queued || !up {
                    self.calls.remove(index);
                } else if let Some(call) = self.calls.get_mut(index) {
                    call.state = CallState::Clearing;
                    self.send(Message::Ccrq(Ccrq { call_id }));
                }
            }
        }
    }

    /// Orderly shutdown: Stop-Control-Connection-Request, Closed after the reply or a timeout
    /// ([`STOP_REPLY_TIMEOUT`]). Before the connection is up it closes at once.
    pub fn shutdown(&mut self, now: Instant, reason: &str) {
        match self.state {
            State::Closed | State::Stopping { .. } => {}
            State::Idle | State::WaitSccrq | State::WaitSccrp => self.close(reason.to_string()),
            State::Established => {
                let code = match self.cfg.role {
                    Role::Server => STOP_REASON_LOCAL_SHUTDOWN,
                    Role::Client => STOP_REASON_NONE,
                };
                debug!(reason, "stopping control connection");
                self.send(Message::StopCcrq(StopCcrq { reason: code }));
                self.state = State::Stopping {
                    deadline: now + STOP_REPLY_TIMEOUT,
                    reason: reason.to_string(),
                };
            }
        }
    }

    /// Client: send SCCRQ (the setup timeout starts now).
    pub fn start(&mut self, now: Instant) {
        if self.cfg.role != Role::Client || self.state != State::Idle {
            debug!("start: not an idle client connection");
            return;
        }
        self.send(Message::Sccrq(Sccrq {
            protocol_version: PROTOCOL_VERSION,
            framing_capabilities: FRAMING_ASYNC | FRAMING_SYNC,
            bearer_capabilities: BEARER_ANALOG | BEARER_DIGITAL,
            max_channels: 0,
            firmware_revision: FIRMWARE_REVISION,
            hostname: self.cfg.hostname.clone(),
            vendor: self.cfg.vendor.clone(),
        }));
        self.state = State::WaitSccrp;
        self.setup_deadline = Some(now + self.cfg.setup_timeout);
    }

    /// Client: place an outgoing call with our call id (OCRQ). Placed before the connection is
    /// up, it is sent once SCCRP arrives. A call that cannot be placed yields `CallCleared`.
    pub fn place_call(&mut self, call_id: u16) {
        let refuse = if self.cfg.role != Role::Client {
            Some("placing calls needs the client role")
        } else if matches!(self.state, State::Closed | State::Stopping { .. }) {
            Some("control connection is closed")
        } else if self.calls.by_id(call_id).is_some() {
            Some("call id already in use")
        } else if self.calls.is_full() {
            Some("too many calls on this control connection")
        } else {
            None
        };
        if let Some(reason) = refuse {
            warn!(call_id, reason, "cannot place call");
            self.events.push_back(ControlEvent::CallCleared {
                call_id,
                reason: reason.to_string(),
            });
            return;
        }
        self.calls.push(Call {
            call_id: Some(call_id),
            peer_call_id: None,
            peer_window: 0,
            state: CallState::Queued,
        });
        if self.state == State::Established {
            self.send_ocrq(call_id);
        }
    }

    /// Sends the OCRQ of a queued call.
    pub(crate) fn send_ocrq(&mut self, call_id: u16) {
        let Some(index) = self.calls.by_id(call_id) else {
            return;
        };
        if let Some(call) = self.calls.get_mut(index) {
            call.state = CallState::Dialing;
        }
        let call_serial = self.next_serial;
        self.next_serial = self.next_serial.wrapping_add(1);
        self.send(Message::Ocrq(Ocrq {
            call_id,
            call_serial,
            min_bps: 300,
            max_bps: 100_000_000,
            bearer_type: BEARER_ANALOG | BEARER_DIGITAL,
            framing_type: FRAMING_ASYNC | FRAMING_SYNC,
            recv_window: self.cfg.recv_window,
            processing_delay: 0,
            phone_number: String::new(),
            subaddress: String::new(),
        }));
    }

    /// Counters of bad input by reason.
    pub fn stats(&self) -> &ControlStats {
        &self.stats
    }

    /// True once `Closed` was emitted.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// True while the control connection is up (SCCRQ/SCCRP exchanged, not stopping).
    pub fn is_established(&self) -> bool {
        self.state == State::Established
    }

    /// A fresh token for a call request.
    pub(crate) fn new_token(&mut self) -> u32 {
        let token = self.next_token;
        self.next_token = self.next_token.wrapping_add(1);
        token
    }

    /// Queues a message for TCP.
    pub(crate) fn send(&mut self, msg: Message) {
        debug!(kind = msg.kind().name(), "sending");
        self.transmit.push_back(msg);
    }

    /// Counts bad input from the peer and reports it to the driver.
    pub(crate) fn bad_input(&mut self, bad: BadControlInput) {
        debug!(%bad, "bad control input");
        self.stats.record(&bad);
        self.events.push_back(ControlEvent::BadInput(bad));
    }

    /// Ends the connection (once) and reports why.
    pub(crate) fn close(&mut self, reason: String) {
        if self.state == State::Closed {
            return;
        }
        debug!(%reason, "control connection closed");
        self.state = State::Closed;
        self.setup_deadline = None;
        self.echo = None;
        self.calls.clear();
        self.events.push_back(ControlEvent::Closed { reason });
    }

    /// The control connection came up: leave setup, send queued calls.
    pub(crate) fn established(&mut self) {
        self.state = State::Established;
        self.setup_deadline = None;
        for call_id in self.calls.queued() {
            self.send_ocrq(call_id);
        }
    }
}
