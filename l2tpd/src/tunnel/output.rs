//! Queueing outgoing control messages: header Session ID, hidden AVPs, Random Vector.

use rand::{Rng, RngCore};

use super::{Tunnel, TunnelEvent};
use crate::avp::{attr, Avp, AvpValue, ResultCode};
use crate::message::{ControlMessage, MessageType};

/// AVPs we hide when `hide_avps` is set and a secret is configured.
const HIDDEN: &[u16] = &[
    attr::ASSIGNED_SESSION_ID,
    attr::CALL_SERIAL_NUMBER,
    attr::PROXY_AUTHEN_NAME,
    attr::PROXY_AUTHEN_CHALLENGE,
    attr::PROXY_AUTHEN_RESPONSE,
];

impl Tunnel {
    /// Queues `msg` on the reliable channel; `header_sid` is the Session ID of its header (the
    /// peer's session ID, or 0). The body handed to the channel is that ID followed by the
    /// encoded message; `poll_transmit` turns it into the header. Returns the message's Ns, or
    /// None when it could not be queued (logged and counted).
    pub(super) fn send(&mut self, header_sid: u16, mut msg: ControlMessage) -> Option<u16> {
        let secret = self.cfg.secret.clone();
        let mut padding = Vec::new();
        let hide = |a: &Avp| HIDDEN.contains(&a.value.attribute());
        if self.cfg.hide_avps && secret.is_some() && msg.avps.iter().any(hide) {
            for avp in msg.avps.iter_mut().filter(|a| hide(a)) {
                avp.hidden = true;
            }
            let mut vector = vec![0; 16];
            self.rng.fill_bytes(&mut vector);
            msg.avps.insert(0, Avp::new(AvpValue::RandomVector(vector)));
            padding = vec![0; self.rng.gen_range(0..16)];
            self.rng.fill_bytes(&mut padding);
        }
        let body = match msg.to_vec(secret.as_deref(), &padding) {
            Ok(body) => body,
            Err(e) => {
                tracing::warn!(tunnel = self.our_id, error = %e, "cannot encode {}", msg.kind.name());
                self.stats.send_failures += 1;
                return None;
            }
        };
        let mut queued = header_sid.to_be_bytes().to_vec();
        queued.extend_from_slice(&body);
        match self.reliable.send(queued) {
            Ok(ns) => Some(ns),
            Err(e) => {
                tracing::warn!(tunnel = self.our_id, error = ?e, "cannot queue {}", msg.kind.name());
                self.stats.send_failures += 1;
                None
            }
        }
    }

    /// Sends CDN for our session `our_sid` (0 if none was assigned) to the peer's `peer_sid`.
    pub(super) fn send_cdn(
        &mut self,
        peer_sid: u16,
        our_sid: u16,
        result: u16,
        error: Option<u16>,
        why: &str,
    ) {
        let code = ResultCode {
            result,
            error: Some(error.unwrap_or(0)),
            message: why.as_bytes().to_vec(),
        };
        let msg = ControlMessage::new(MessageType::Cdn)
            .with(AvpValue::ResultCode(code))
            .with(AvpValue::AssignedSessionId(our_sid));
        self.send_or_hold(peer_sid, msg);
    }

    /// Like [`Tunnel::send`] for messages that must not be lost to a full control queue (CDN,
    /// StopCCN: when a thousand sessions end at once, their CDNs outnumber the queue): held
    /// in order and queued as acknowledgements make room. At most one per session, plus a
    /// StopCCN, can be held.
    pub(super) fn send_or_hold(&mut self, header_sid: u16, msg: ControlMessage) {
        if self.held.is_empty() && self.reliable.can_send() {
            self.send(header_sid, msg);
        } else if self.held.len() <= usize::from(self.cfg.max_sessions) {
            self.held.push_back((header_sid, msg));
        } else {
            tracing::warn!(
                tunnel = self.our_id,
                "cannot hold {}: dropped",
                msg.kind.name()
            );
            self.stats.send_failures += 1;
        }
    }

    /// Queues held messages while the control queue has room.
    pub(super) fn queue_held(&mut self) {
        while self.reliable.can_send() {
            let Some((sid, msg)) = self.held.pop_front() else {
                break;
            };
            self.send(sid, msg);
        }
    }

    /// LAC: a session's `SessionUp` is reported once its ICCN (Ns `iccn`) has gone on the
    /// wire, so that the driver's PPP does not reach the LNS ahead of it (an LNS drops PPP
    /// for a session it does not know yet). Called with each transmitted message's Ns.
    pub(super) fn release_sessions_up(&mut self, sent_ns: u16) {
        while let Some((iccn, _)) = self.held_up.front() {
            // Ns at or before the one just sent, in sequence-number space.
            if sent_ns.wrapping_sub(*iccn) >= 0x8000 {
                break;
            }
            let Some((_, event)) = self.held_up.pop_front() else {
                break;
            };
            if let TunnelEvent::SessionUp { session_id, .. } = &event {
                if self.sessions.contains_key(session_id) {
                    self.events.push_back(event);
                }
            }
        }
    }
}
