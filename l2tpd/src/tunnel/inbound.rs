//! Dispatch of delivered control messages, and the answers to malformed ones.

use std::time::Instant;

use super::{State, Tunnel};
use crate::avp::{attribute_name, error_code, parse_all, result, AvpValue};
use crate::message::{ControlMessage, MessageError, MessageType, TeardownScope};

impl Tunnel {
    /// Handles one in-order message body; `sid` is its header Session ID.
    pub(super) fn handle_message(&mut self, now: Instant, sid: u16, body: &[u8]) {
        let msg = match ControlMessage::parse(body, self.cfg.secret.as_deref()) {
            Ok(msg) => msg,
            Err(e) => return self.on_parse_error(now, sid, body, e),
        };
        tracing::debug!(
            tunnel = self.our_id,
            sid,
            kind = msg.kind.name(),
            "control message"
        );
        if self.state == State::Stopping && msg.kind != MessageType::StopCcn {
            return;
        }
        if let Some(attribute) = msg.missing_required() {
            return self.on_missing(sid, &msg, attribute);
        }
        use MessageType::*;
        match msg.kind {
            Sccrq => self.on_sccrq(&msg),
            Sccrp => self.on_sccrp(&msg),
            Scccn => self.on_scccn(&msg),
            StopCcn => self.on_stopccn(now, &msg),
            Hello => {}
            Icrq => self.on_icrq(&msg),
            Icrp => self.on_icrp(sid, &msg),
            Iccn => self.on_iccn(sid, &msg),
            Cdn => self.on_cdn(sid, &msg),
            Ocrq => self.on_ocrq(&msg),
            Ocrp | Occn => self.stats.unexpected += 1,
            Wen | Sli => self.on_link_info(sid, &msg),
        }
    }

    /// The peer's StopCCN: acknowledge it and close.
    fn on_stopccn(&mut self, now: Instant, msg: &ControlMessage) {
        let reason = match msg.result_code() {
            Some(rc) => format!(
                "peer StopCCN: result {} error {} {}",
                rc.result,
                rc.error.unwrap_or(0),
                String::from_utf8_lossy(&rc.message)
            ),
            None => "peer StopCCN".to_owned(),
        };
        self.closed_by_peer(now, reason);
    }

    /// The peer closed the tunnel: acknowledge at once, then linger for a full retransmission
    /// cycle so a retransmitted StopCCN is acknowledged again.
    fn closed_by_peer(&mut self, now: Instant, reason: String) {
        self.reliable.close_by_peer();
        self.linger_until = Some(now + self.cfg.reliable.full_cycle());
        self.finish(reason);
    }

    /// A body that did not parse: the RFC's teardown if it names one, else drop it (and
    /// refuse the tunnel if it was still being set up).
    fn on_parse_error(&mut self, now: Instant, sid: u16, body: &[u8], e: MessageError) {
        tracing::debug!(tunnel = self.our_id, error = %e, "bad control message");
        self.stats.malformed += 1;
        let why = e.to_string();
        if let MessageError::UnknownMandatoryAvp {
            kind: MessageType::StopCcn,
            ..
        } = e
        {
            // The tunnel is going away regardless: no StopCCN back.
            return self.closed_by_peer(now, format!("peer StopCCN ({why})"));
        }
        match e.teardown() {
            Some(t) if t.scope == TeardownScope::Tunnel => self.stop(t.result, Some(t.error), &why),
            Some(t) => {
                let peer_sid = self.sessions.get(&sid).map(|s| s.peer_id).or_else(|| {
                    parse_all(body, self.cfg.secret.as_deref())
                        .ok()?
                        .iter()
                        .find_map(|a| match a.value {
                            AvpValue::AssignedSessionId(id) => Some(id),
                            _ => None,
                        })
                });
                self.refuse_session(sid, peer_sid.unwrap_or(0), t.result, t.error, &why);
            }
            None if matches!(
                self.state,
                State::Idle | State::WaitConnected | State::WaitReply
            ) =>
            {
                self.stop(
                    result::STOPCCN_GENERAL_ERROR,
                    Some(error_code::BAD_VALUE),
                    &why,
                )
            }
            None => {}
        }
    }

    /// A message lacking an AVP §6 requires: CDN for session messages, StopCCN otherwise
    /// (Result 2 General Error, Error 0 and a message naming the AVP, as accel-ppp does).
    fn on_missing(&mut self, sid: u16, msg: &ControlMessage, attribute: u16) {
        self.stats.malformed += 1;
        let why = format!(
            "{} lacks required AVP {}",
            msg.kind.name(),
            attribute_name(0, attribute).unwrap_or("?")
        );
        if msg.kind.is_session_level() {
            let peer_sid = self.sessions.get(&sid).map(|s| s.peer_id);
            let peer_sid = peer_sid.or(msg.assigned_session_id()).unwrap_or(0);
            self.refuse_session(
                sid,
                peer_sid,
                result::CDN_GENERAL_ERROR,
                error_code::NONE,
                &why,
            );
        } else {
            if self.peer_id.is_none() {
                self.peer_id = msg.assigned_tunnel_id().filter(|&id| id != 0);
            }
            self.stop(result::STOPCCN_GENERAL_ERROR, None, &why);
        }
    }
}
