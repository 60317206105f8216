//! `ControlMessage`: a message type plus its AVPs, parsed from and emitted to a body.

use super::{MessageError, MessageType};
use crate::avp::{attr, emit_all, parse_all, Avp, AvpError, AvpValue};
use crate::header::Header;

/// A control message. `avps` excludes the Message Type AVP, which `kind` stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlMessage {
    /// Message type.
    pub kind: MessageType,
    /// The other AVPs, in wire order (hidden ones revealed).
    pub avps: Vec<Avp>,
}

impl ControlMessage {
    /// An empty message of this type, to be filled with `with` / `with_avp`.
    pub fn new(kind: MessageType) -> Self {
        ControlMessage {
            kind,
            avps: Vec::new(),
        }
    }

    /// Appends a value with its RFC default M bit, not hidden.
    pub fn with(self, value: AvpValue) -> Self {
        self.with_avp(Avp::new(value))
    }

    /// Appends an AVP as given.
    pub fn with_avp(mut self, avp: Avp) -> Self {
        self.avps.push(avp);
        self
    }

    /// Parses a message body (the payload after the header); `secret` reveals hidden AVPs.
    pub fn parse(payload: &[u8], secret: Option<&[u8]>) -> Result<Self, MessageError> {
        if payload.is_empty() {
            return Err(MessageError::Empty);
        }
        let mut avps = parse_all(payload, secret)?;
        let first = avps.first().ok_or(MessageError::Empty)?;
        let AvpValue::MessageType(value) = first.value else {
            return Err(MessageError::FirstNotMessageType);
        };
        let kind = MessageType::from_u16(value).ok_or(MessageError::UnknownMessageType {
            value,
            mandatory: first.mandatory,
        })?;
        avps.remove(0);
        let unknown = avps.iter().find_map(|a| match a.value {
            AvpValue::Unknown {
                vendor_id,
                attribute,
                ..
            } if a.mandatory => Some((vendor_id, attribute)),
            _ => None,
        });
        if let Some((vendor_id, attribute)) = unknown {
            return Err(MessageError::UnknownMandatoryAvp {
                kind,
                vendor_id,
                attribute,
            });
        }
        Ok(ControlMessage { kind, avps })
    }

    /// Encodes the body: Message Type AVP (M=1) then `avps`; hidden ones use `secret`, the
    /// preceding Random Vector AVP and the caller-chosen `padding`.
    pub fn to_vec(&self, secret: Option<&[u8]>, padding: &[u8]) -> Result<Vec<u8>, AvpError> {
        let message_type = Avp::new(AvpValue::MessageType(self.kind.to_u16()));
        let mut out = message_type
            .to_vec_clear()
            .ok_or(AvpError::Unencodable(attr::MESSAGE_TYPE))?;
        out.extend_from_slice(&emit_all(&self.avps, secret, padding)?);
        Ok(out)
    }

    /// Encodes a whole datagram: `header` (Length filled in) followed by the body.
    pub fn to_datagram(
        &self,
        header: &Header,
        secret: Option<&[u8]>,
        padding: &[u8],
    ) -> Result<Vec<u8>, AvpError> {
        let body = self.to_vec(secret, padding)?;
        let mut out = vec![0; header.header_len() + body.len()];
        let header_len = header
            .emit(body.len(), &mut out)
            .ok_or(AvpError::Unencodable(attr::MESSAGE_TYPE))?;
        out[header_len..].copy_from_slice(&body);
        Ok(out)
    }
}
