//! Control connection establishment (§5.1): SCCRQ, SCCRP, SCCCN and tunnel authentication.

use rand::RngCore;

use super::auth::challenge_response;
use super::{Role, State, Tunnel, TunnelEvent};
use crate::avp::{error_code, result, AvpValue};
use crate::message::{ControlMessage, MessageType};

/// Receive Window Size assumed when the peer sends none (§5.8).
const DEFAULT_PEER_WINDOW: u16 = 4;
/// Framing and Bearer Capabilities we advertise: synchronous and asynchronous / digital and analog.
const CAPABILITIES: u32 = 3;
/// Our Firmware Revision AVP.
const FIRMWARE_REVISION: u16 = 0x0100;
/// Highest protocol version we support, as the Error Code of a Result 5 StopCCN (§4.4.2).
const OUR_VERSION: u16 = 0x0100;

impl Tunnel {
    /// LAC: SCCRQ with our Challenge when a secret is set.
    pub(super) fn send_sccrq(&mut self) {
        let mut msg = self.start_message(MessageType::Sccrq);
        if let Some(challenge) = self.new_challenge() {
            msg = msg.with(AvpValue::Challenge(challenge));
        }
        self.send(0, msg);
        self.state = State::WaitReply;
    }

    /// LNS: validates an SCCRQ and answers SCCRP (or StopCCN). With a secret our SCCRP
    /// carries a Challenge whose response the SCCCN must hold, whether or not the LAC
    /// challenged us.
    pub(super) fn on_sccrq(&mut self, msg: &ControlMessage) {
        if self.cfg.role != Role::Lns || self.state != State::Idle {
            self.stats.unexpected += 1;
            return;
        }
        if !self.accept_peer(msg) {
            return;
        }
        let response = match (self.cfg.secret.as_deref(), msg.challenge()) {
            (Some(secret), Some(challenge)) => Some(challenge_response(2, secret, challenge)),
            (None, Some(_)) => return self.refuse_auth("SCCRQ Challenge but no secret configured"),
            // A LAC that does not challenge us is still authenticated by our own Challenge.
            _ => None,
        };
        let mut reply = self.start_message(MessageType::Sccrp);
        if let Some(response) = response {
            reply = reply.with(AvpValue::ChallengeResponse(response));
        }
        if let Some(challenge) = self.new_challenge() {
            reply = reply.with(AvpValue::Challenge(challenge));
        }
        self.send(0, reply);
        self.state = State::WaitConnected;
    }

    /// LAC: checks the LNS's SCCRP, answers SCCCN and reports the tunnel up.
    pub(super) fn on_sccrp(&mut self, msg: &ControlMessage) {
        if self.cfg.role != Role::Lac || self.state != State::WaitReply {
            self.stats.unexpected += 1;
            return;
        }
        if !self.accept_peer(msg) || !self.check_response(2, msg) {
            return;
        }
        let mut reply = ControlMessage::new(MessageType::Scccn);
        match (self.cfg.secret.as_deref(), msg.challenge()) {
            (Some(secret), Some(challenge)) => {
                let response = challenge_response(3, secret, challenge);
                reply = reply.with(AvpValue::ChallengeResponse(response));
            }
            (None, Some(_)) => return self.refuse_auth("SCCRP Challenge but no secret configured"),
            _ => {}
        }
        self.send(0, reply);
        self.establish();
    }

    /// LNS: checks the LAC's SCCCN and reports the tunnel up.
    pub(super) fn on_scccn(&mut self, msg: &ControlMessage) {
        if self.cfg.role != Role::Lns || self.state != State::WaitConnected {
            self.stats.unexpected += 1;
            return;
        }
        if self.check_response(3, msg) {
            self.establish();
        }
    }

    /// SCCRQ/SCCRP common checks; records the peer's tunnel ID and window. False if refused.
    fn accept_peer(&mut self, msg: &ControlMessage) -> bool {
        self.peer_id = msg.assigned_tunnel_id().filter(|&id| id != 0);
        if msg.protocol_version() != Some((1, 0)) {
            let why = "unsupported protocol version";
            self.stop(result::STOPCCN_BAD_VERSION, Some(OUR_VERSION), why);
            return false;
        }
        if self.peer_id.is_none() {
            let why = "Assigned Tunnel ID 0";
            self.stop(
                result::STOPCCN_GENERAL_ERROR,
                Some(error_code::BAD_VALUE),
                why,
            );
            return false;
        }
        let window = msg.receive_window().unwrap_or(DEFAULT_PEER_WINDOW);
        self.reliable.set_peer_window(window);
        let name = msg.host_name().unwrap_or_default();
        self.peer_host_name = String::from_utf8_lossy(name).into_owned();
        true
    }

    /// Verifies the peer's Challenge Response to our Challenge, if we sent one.
    fn check_response(&mut self, message_type: u8, msg: &ControlMessage) -> bool {
        let (Some(challenge), Some(secret)) = (&self.challenge, &self.cfg.secret) else {
            return true;
        };
        let expected = challenge_response(message_type, secret, challenge);
        if msg.challenge_response() == Some(expected) {
            self.challenge = None;
            return true;
        }
        self.refuse_auth("missing or wrong Challenge Response");
        false
    }

    fn refuse_auth(&mut self, why: &str) {
        self.stop(result::STOPCCN_NOT_AUTHORIZED, None, why);
    }

    fn establish(&mut self) {
        self.state = State::Established;
        let peer_host_name = std::mem::take(&mut self.peer_host_name);
        tracing::debug!(tunnel = self.our_id, peer = %peer_host_name, "tunnel established");
        self.events.push_back(TunnelEvent::Established {
            peer_tunnel_id: self.peer_id.unwrap_or(0),
            peer_host_name,
        });
    }

    /// SCCRQ or SCCRP with the AVPs both carry.
    fn start_message(&self, kind: MessageType) -> ControlMessage {
        ControlMessage::new(kind)
            .with(AvpValue::ProtocolVersion {
                version: 1,
                revision: 0,
            })
            .with(AvpValue::HostName(self.cfg.host_name.as_bytes().to_vec()))
            .with(AvpValue::FramingCapabilities(CAPABILITIES))
            .with(AvpValue::BearerCapabilities(CAPABILITIES))
            .with(AvpValue::AssignedTunnelId(self.our_id))
            .with(AvpValue::ReceiveWindowSize(self.cfg.reliable.our_window))
            .with(AvpValue::FirmwareRevision(FIRMWARE_REVISION))
            .with(AvpValue::VendorName(b"rasd".to_vec()))
    }

    /// A fresh random Challenge, remembered, when a secret is configured.
    fn new_challenge(&mut self) -> Option<Vec<u8>> {
        self.cfg.secret.as_ref()?;
        let mut challenge = vec![0; 16];
        self.rng.fill_bytes(&mut challenge);
        self.challenge = Some(challenge.clone());
        Some(challenge)
    }
}
