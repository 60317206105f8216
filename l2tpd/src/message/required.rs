//! The AVPs each message must carry (§6), Message Type aside.

use super::{ControlMessage, MessageType};
use crate::avp::attr::*;

/// Required attribute types (IETF vendor) per message type.
pub(super) fn required(kind: MessageType) -> &'static [u16] {
    use MessageType::*;
    match kind {
        Sccrq | Sccrp => &[
            PROTOCOL_VERSION,
            HOST_NAME,
            FRAMING_CAPABILITIES,
            ASSIGNED_TUNNEL_ID,
        ],
        Scccn | Hello => &[],
        StopCcn => &[ASSIGNED_TUNNEL_ID, RESULT_CODE],
        Ocrq => &[
            ASSIGNED_SESSION_ID,
            CALL_SERIAL_NUMBER,
            MINIMUM_BPS,
            MAXIMUM_BPS,
            BEARER_TYPE,
            FRAMING_TYPE,
            CALLED_NUMBER,
        ],
        Ocrp | Icrp => &[ASSIGNED_SESSION_ID],
        Occn | Iccn => &[TX_CONNECT_SPEED, FRAMING_TYPE],
        Icrq => &[ASSIGNED_SESSION_ID, CALL_SERIAL_NUMBER],
        Cdn => &[RESULT_CODE, ASSIGNED_SESSION_ID],
        Wen => &[CALL_ERRORS],
        Sli => &[ACCM],
    }
}

impl ControlMessage {
    /// The first AVP §6 requires for this message type that is absent (attribute type).
    pub fn missing_required(&self) -> Option<u16> {
        required(self.kind).iter().copied().find(|&attribute| {
            !self
                .avps
                .iter()
                .any(|a| a.value.vendor_id() == 0 && a.value.attribute() == attribute)
        })
    }
}
