//! Routing of received control messages by state and role; connection-level messages
//! (start, stop, echo) are handled here.

use std::time::Instant;

use tracing::debug;

use super::codes::*;
use super::config::Role;
use super::connection::{ControlConnection, State};
use super::message::{Body, Message};
use super::msg_conn::{EchoReply, Sccrp, Sccrq, StopCcrp, StopCcrq};
use super::stats::BadControlInput;

impl ControlConnection {
    /// Handles one complete, well-formed message.
    pub(crate) fn on_message(&mut self, now: Instant, msg: Message) {
        debug!(kind = msg.kind().name(), "received");
        self.last_rx = now;
        match self.state {
            State::Closed => {}
            State::Idle => {
                self.bad_input(BadControlInput::Unexpected(msg.kind()));
                self.close(format!("{} before start", msg.kind().name()));
            }
            State::WaitSccrq => self.on_setup_server(msg),
            State::WaitSccrp => self.on_setup_client(msg),
            State::Stopping { .. } => self.on_stopping(msg),
            State::Established => self.on_established(msg),
        }
    }

    fn sccrp(&self, result_code: u8, error_code: u8) -> Message {
        Message::Sccrp(Sccrp {
            protocol_version: PROTOCOL_VERSION,
            result_code,
            error_code,
            framing_capabilities: FRAMING_ASYNC | FRAMING_SYNC,
            bearer_capabilities: BEARER_ANALOG | BEARER_DIGITAL,
            max_channels: self.cfg.max_calls,
            firmware_revision: FIRMWARE_REVISION,
            hostname: self.cfg.hostname.clone(),
            vendor: self.cfg.vendor.clone(),
        })
    }

    /// Server before SCCRQ: only SCCRQ is acceptable.
    fn on_setup_server(&mut self, msg: Message) {
        let Message::Sccrq(req) = msg else {
            self.bad_input(BadControlInput::Unexpected(msg.kind()));
            self.send(self.sccrp(SCCRP_GENERAL_ERROR, ERROR_NOT_CONNECTED));
            self.close(format!(
                "{} before Start-Control-Connection-Request",
                msg.kind().name()
            ));
            return;
        };
        self.on_sccrq(req);
    }

    fn on_sccrq(&mut self, req: Sccrq) {
        if req.protocol_version != PROTOCOL_VERSION {
            self.bad_input(BadControlInput::BadVersion(req.protocol_version));
            self.send(self.sccrp(SCCRP_BAD_VERSION, ERROR_NONE));
            self.close(format!(
                "peer protocol version {:#06x} not supported",
                req.protocol_version
            ));
            return;
        }
        debug!(
            hostname = %req.hostname,
            vendor = %req.vendor,
            "control connection established"
        );
        self.send(self.sccrp(SCCRP_SUCCESS, ERROR_NONE));
        self.established();
    }

    /// Client before SCCRP: the reply decides; echo requests are answered.
    fn on_setup_client(&mut self, msg: Message) {
        match msg {
            Message::Sccrp(reply) if reply.result_code != SCCRP_SUCCESS => {
                self.close(format!(
                    "Start-Control-Connection refused: {} (error {})",
                    sccrp_result_text(reply.result_code),
                    reply.error_code
                ));
            }
            Message::Sccrp(reply) if reply.protocol_version != PROTOCOL_VERSION => {
                self.bad_input(BadControlInput::BadVersion(reply.protocol_version));
                self.send(Message::StopCcrq(StopCcrq {
                    reason: STOP_REASON_PROTOCOL,
                }));
                self.close(format!(
                    "peer protocol version {:#06x} not supported",
                    reply.protocol_version
                ));
            }
            Message::Sccrp(reply) => {
                debug!(
                    hostname = %reply.hostname,
                    vendor = %reply.vendor,
                    "control connection established"
                );
                self.established();
            }
            Message::EchoRequest(req) => self.send_echo_reply(req.identifier),
            other => {
                self.bad_input(BadControlInput::Unexpected(other.kind()));
                self.close(format!(
                    "{} before Start-Control-Connection-Reply",
                    other.kind().name()
                ));
            }
        }
    }

    /// After our StopCCRQ: wait for the reply, answer a crossing request.
    fn on_stopping(&mut self, msg: Message) {
        let State::Stopping { reason, .. } = &self.state else {
            return;
        };
        let reason = reason.clone();
        match msg {
            Message::StopCcrp(_) => self.close(reason),
            Message::StopCcrq(_) => {
                self.send_stop_reply();
                self.close(reason);
            }
            Message::EchoRequest(req) => self.send_echo_reply(req.identifier),
            other => debug!(kind = other.kind().name(), "ignored while stopping"),
        }
    }

    fn on_established(&mut self, msg: Message) {
        let server = self.cfg.role == Role::Server;
        match msg {
            Message::Sccrq(_) => {
                self.bad_input(BadControlInput::Unexpected(Sccrq::KIND));
                if server {
                    self.send(self.sccrp(SCCRP_CHANNEL_EXISTS, ERROR_NONE));
                }
            }
            Message::StopCcrq(req) => self.on_stop_request(req),
            Message::EchoRequest(req) => self.send_echo_reply(req.identifier),
            Message::EchoReply(reply) => self.on_echo_reply(reply),
            Message::Ocrq(req) if server => self.on_call_request(req.into()),
            Message::Icrq(req) if server => self.on_call_request(req.into()),
            Message::Ocrq(_) | Message::Icrq(_) => self.refuse_unsolicited(msg),
            Message::Iccn(msg) if server => self.on_iccn(msg),
            Message::Ocrp(msg) if !server => self.on_ocrp(msg),
            Message::Ccrq(msg) => self.on_ccrq(msg),
            Message::Cdn(msg) => self.on_cdn(msg),
            Message::Sli(msg) => self.on_sli(msg),
            Message::Wen(msg) => self.on_wen(msg),
            other => self.bad_input(BadControlInput::Unexpected(other.kind())),
        }
    }

    fn on_stop_request(&mut self, req: StopCcrq) {
        self.send_stop_reply();
        self.close(format!(
            "peer stopped the control connection (reason {})",
            req.reason
        ));
    }

    fn send_stop_reply(&mut self) {
        self.send(Message::StopCcrp(StopCcrp {
            result_code: RESULT_OK,
            error_code: ERROR_NONE,
        }));
    }

    fn send_echo_reply(&mut self, identifier: u32) {
        self.send(Message::EchoReply(EchoReply {
            identifier,
            result_code: RESULT_OK,
            error_code: ERROR_NONE,
        }));
    }

    fn on_echo_reply(&mut self, reply: EchoReply) {
        match self.echo {
            Some((identifier, _)) if identifier == reply.identifier => self.echo = None,
            _ => self.bad_input(BadControlInput::EchoMismatch),
        }
    }
}

#[cfg(test)]
mod tests;
