//! Call messages (OCRQ/OCRP, ICRQ/ICRP/ICCN, CCRQ, CDN, SLI, WEN) and the answers to call
//! requests.

use tracing::{debug, warn};

use super::calls::{Call, CallState};
use super::codes::*;
use super::config::{CallRequest, ControlEvent};
use super::connection::{ControlConnection, State};
use super::header::MessageType;
use super::message::{Body, Message};
use super::msg_call::{Ccrq, Cdn, Iccn, Icrp, Icrq, Ocrp, Ocrq, Sli, Wen};
use super::stats::BadControlInput;

/// Connect speed reported when the peer's OCRQ gives no maximum.
const DEFAULT_CONNECT_SPEED: u32 = 100_000_000;

/// What OCRQ and ICRQ have in common.
pub(crate) struct PeerCallRequest {
    peer_call_id: u16,
    peer_window: u16,
    incoming: bool,
    connect_speed: u32,
}

impl From<Ocrq> for PeerCallRequest {
    fn from(m: Ocrq) -> Self {
        PeerCallRequest {
            peer_call_id: m.call_id,
            peer_window: m.recv_window,
            incoming: false,
            connect_speed: if m.max_bps == 0 {
                DEFAULT_CONNECT_SPEED
            } else {
                m.max_bps
            },
        }
    }
}

impl From<Icrq> for PeerCallRequest {
    fn from(m: Icrq) -> Self {
        PeerCallRequest {
            peer_call_id: m.call_id,
            peer_window: 0,
            incoming: true,
            connect_speed: DEFAULT_CONNECT_SPEED,
        }
    }
}

impl ControlConnection {
    /// Server: OCRQ/ICRQ → CallRequested, or an immediate refusal.
    pub(crate) fn on_call_request(&mut self, req: PeerCallRequest) {
        let kind = if req.incoming {
            MessageType::IncomingCallRequest
        } else {
            MessageType::OutgoingCallRequest
        };
        let refusal = if self.calls.is_full() {
            Some((ERROR_NO_RESOURCE, BadControlInput::TooManyCalls))
        } else if self.calls.by_peer_id(req.peer_call_id).is_some() {
            // The peer's call id is already in use.
            Some((ERROR_BAD_VALUE, BadControlInput::Unexpected(kind)))
        } else {
            None
        };
        if let Some((error_code, bad)) = refusal {
            self.bad_input(bad);
            self.send_call_refusal(req.incoming, req.peer_call_id, error_code);
            return;
        }
        let token = self.new_token();
        self.calls.push(Call {
            call_id: None,
            peer_call_id: Some(req.peer_call_id),
            peer_window: req.peer_window,
            state: CallState::Requested {
                token,
                incoming: req.incoming,
                connect_speed: req.connect_speed,
            },
        });
        self.events
            .push_back(ControlEvent::CallRequested(CallRequest {
                token,
                peer_call_id: req.peer_call_id,
                peer_recv_window: req.peer_window,
                incoming: req.incoming,
            }));
    }

    fn send_call_refusal(&mut self, incoming: bool, peer_call_id: u16, error_code: u8) {
        let msg = if incoming {
            Message::Icrp(Icrp {
                call_id: 0,
                peer_call_id,
                result_code: ICRP_GENERAL_ERROR,
                error_code,
                recv_window: self.cfg.recv_window,
                processing_delay: 0,
            })
        } else {
            Message::Ocrp(Ocrp {
                call_id: 0,
                peer_call_id,
                result_code: OCRP_GENERAL_ERROR,
                error_code,
                recv_window: self.cfg.recv_window,
                ..Ocrp::default()
            })
        };
        self.send(msg);
    }

    /// Client: a call request from the server side is not something we take.
    pub(crate) fn refuse_unsolicited(&mut self, msg: Message) {
        self.bad_input(BadControlInput::Unexpected(msg.kind()));
        let reply = match msg {
            Message::Icrq(req) => Message::Icrp(Icrp {
                peer_call_id: req.call_id,
                result_code: ICRP_DO_NOT_ACCEPT,
                ..Icrp::default()
            }),
            Message::Ocrq(req) => Message::Ocrp(Ocrp {
                peer_call_id: req.call_id,
                result_code: OCRP_DO_NOT_ACCEPT,
                ..Ocrp::default()
            }),
            _ => return,
        };
        self.send(reply);
    }

    /// Server: the driver's answer to `CallRequested`.
    pub(crate) fn answer_call(&mut self, token: u32, answer: Result<u16, &str>) {
        if self.state != State::Established {
            debug!(token, "call answer after the control connection ended");
            return;
        }
        let Some(index) = self.calls.by_token(token) else {
            if let Ok(call_id) = answer {
                self.events.push_back(ControlEvent::CallCleared {
                    call_id,
                    reason: "call request withdrawn by the peer".into(),
                });
            }
            return;
        };
        let Some(call) = self.calls.get_mut(index).copied() else {
            return;
        };
        let (
            CallState::Requested {
                incoming,
                connect_speed,
                ..
            },
            Some(peer_call_id),
        ) = (call.state, call.peer_call_id)
        else {
            return;
        };
        let call_id = match answer {
            Ok(call_id) if self.calls.by_id(call_id).is_none() => call_id,
            Ok(call_id) => {
                // A driver bug; the call that owns the id stays untouched.
                warn!(
                    call_id,
                    "accept_call with a call id already in use: refused"
                );
                self.calls.remove(index);
                self.send_call_refusal(incoming, peer_call_id, ERROR_BAD_CALL_ID);
                return;
            }
            Err(reason) => {
                debug!(peer_call_id, reason, "call refused");
                self.calls.remove(index);
                self.send_call_refusal(incoming, peer_call_id, ERROR_NO_RESOURCE);
                return;
            }
        };
        let recv_window = self.cfg.recv_window;
        let msg = if incoming {
            Message::Icrp(Icrp {
                call_id,
                peer_call_id,
                result_code: ICRP_CONNECT,
                error_code: ERROR_NONE,
                recv_window,
                processing_delay: 0,
            })
        } else {
            Message::Ocrp(Ocrp {
                call_id,
                peer_call_id,
                result_code: OCRP_CONNECTED,
                error_code: ERROR_NONE,
                cause_code: 0,
                connect_speed,
                recv_window,
                processing_delay: 0,
                physical_channel_id: 0,
            })
        };
        if let Some(call) = self.calls.get_mut(index) {
            call.call_id = Some(call_id);
            call.state = if incoming {
                CallState::WaitConnected
            } else {
                CallState::Established
            };
        }
        debug!(call_id, peer_call_id, incoming, "call accepted");
        self.send(msg);
    }

    /// Server: the incoming call is connected.
    pub(crate) fn on_iccn(&mut self, msg: Iccn) {
        let index = self.calls.by_id(msg.peer_call_id);
        let Some(call) = index.and_then(|i| self.calls.get_mut(i)) else {
            self.bad_input(BadControlInput::UnknownCall(Iccn::KIND));
            return;
        };
        if call.state != CallState::WaitConnected {
            self.bad_input(BadControlInput::Unexpected(Iccn::KIND));
            return;
        }
        call.state = CallState::Established;
        call.peer_window = msg.recv_window;
        let event = ControlEvent::CallEstablished {
            call_id: msg.peer_call_id,
            peer_call_id: call.peer_call_id.unwrap_or(0),
            peer_recv_window: msg.recv_window,
        };
        self.events.push_back(event);
    }

    /// Client: the answer to our OCRQ.
    pub(crate) fn on_ocrp(&mut self, msg: Ocrp) {
        let Some(index) = self.calls.by_id(msg.peer_call_id) else {
            self.bad_input(BadControlInput::UnknownCall(Ocrp::KIND));
            return;
        };
        let Some(call) = self.calls.get_mut(index) else {
            return;
        };
        let call_id = msg.peer_call_id;
        match call.state {
            CallState::Dialing if msg.result_code == OCRP_CONNECTED => {
                call.state = CallState::Established;
                call.peer_call_id = Some(msg.call_id);
                call.peer_window = msg.recv_window;
                debug!(call_id, peer_call_id = msg.call_id, "call established");
                self.events.push_back(ControlEvent::CallEstablished {
                    call_id,
                    peer_call_id: msg.call_id,
                    peer_recv_window: msg.recv_window,
                });
            }
            CallState::Dialing => {
                self.calls.remove(index);
                self.events.push_back(ControlEvent::CallCleared {
                    call_id,
                    reason: format!(
                        "call refused: {} (error {})",
                        ocrp_result_text(msg.result_code),
                        msg.error_code
                    ),
                });
            }
            // Cleared while dialing: remember the peer's id so its CDN finds the call.
            CallState::Clearing if msg.result_code == OCRP_CONNECTED => {
                call.peer_call_id = Some(msg.call_id);
            }
            CallState::Clearing => {
                self.calls.remove(index);
            }
            _ => self.bad_input(BadControlInput::Unexpected(Ocrp::KIND)),
        }
    }

    /// Call-Clear-Request: the peer ends a call; answer with CDN.
    pub(crate) fn on_ccrq(&mut self, msg: Ccrq) {
        let Some(call) = self
            .calls
            .by_peer_id(msg.call_id)
            .and_then(|i| self.calls.remove(i))
        else {
            self.bad_input(BadControlInput::UnknownCall(Ccrq::KIND));
            return;
        };
        let Some(call_id) = call.call_id else {
            debug!(peer_call_id = msg.call_id, "call request withdrawn");
            return;
        };
        self.send(Message::Cdn(Cdn {
            call_id,
            result_code: CDN_REQUEST,
            error_code: ERROR_NONE,
            cause_code: 0,
            call_statistics: String::new(),
        }));
        if call.state != CallState::Clearing {
            self.events.push_back(ControlEvent::CallCleared {
                call_id,
                reason: "peer sent Call-Clear-Request".into(),
            });
        }
    }

    /// Call-Disconnect-Notify: the call is gone.
    pub(crate) fn on_cdn(&mut self, msg: Cdn) {
        let Some(call) = self
            .calls
            .by_peer_id(msg.call_id)
            .and_then(|i| self.calls.remove(i))
        else {
            self.bad_input(BadControlInput::UnknownCall(Cdn::KIND));
            return;
        };
        let Some(call_id) = call.call_id else {
            return;
        };
        if call.state != CallState::Clearing {
            let mut reason = format!(
                "peer disconnected the call: {}",
                cdn_result_text(msg.result_code)
            );
            if !msg.call_statistics.is_empty() {
                reason.push_str(&format!(" ({})", msg.call_statistics));
            }
            self.events
                .push_back(ControlEvent::CallCleared { call_id, reason });
        }
    }

    /// Set-Link-Info: ACCMs are irrelevant for PPTP's synchronous framing; accepted, ignored.
    pub(crate) fn on_sli(&mut self, msg: Sli) {
        if self.calls.by_id(msg.peer_call_id).is_none() {
            self.bad_input(BadControlInput::UnknownCall(Sli::KIND));
        }
        debug!(
            call_id = msg.peer_call_id,
            send_accm = msg.send_accm,
            recv_accm = msg.recv_accm,
            "Set-Link-Info ignored"
        );
    }

    /// WAN-Error-Notify: logged at debug level (a peer can send any number of them).
    pub(crate) fn on_wen(&mut self, msg: Wen) {
        if self.calls.by_id(msg.peer_call_id).is_none() {
            self.bad_input(BadControlInput::UnknownCall(Wen::KIND));
        }
        debug!(
            call_id = msg.peer_call_id,
            crc = msg.crc_errors,
            framing = msg.framing_errors,
            hardware_overruns = msg.hardware_overruns,
            buffer_overruns = msg.buffer_overruns,
            timeouts = msg.timeout_errors,
            alignment = msg.alignment_errors,
            "WAN-Error-Notify"
        );
    }
}

#[cfg(test)]
mod tests;
