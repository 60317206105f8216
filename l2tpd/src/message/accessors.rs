//! Convenience look-ups of the first AVP of a given kind.

use super::ControlMessage;
use crate::avp::{AvpValue, ResultCode};

impl ControlMessage {
    /// The first value `f` maps to `Some`.
    pub fn find<'a, T>(&'a self, f: impl Fn(&'a AvpValue) -> Option<T>) -> Option<T> {
        self.avps.iter().find_map(|a| f(&a.value))
    }

    /// Assigned Tunnel ID.
    pub fn assigned_tunnel_id(&self) -> Option<u16> {
        self.find(|v| match v {
            AvpValue::AssignedTunnelId(id) => Some(*id),
            _ => None,
        })
    }

    /// Assigned Session ID.
    pub fn assigned_session_id(&self) -> Option<u16> {
        self.find(|v| match v {
            AvpValue::AssignedSessionId(id) => Some(*id),
            _ => None,
        })
    }

    /// Protocol Version as (version, revision).
    pub fn protocol_version(&self) -> Option<(u8, u8)> {
        self.find(|v| match v {
            AvpValue::ProtocolVersion { version, revision } => Some((*version, *revision)),
            _ => None,
        })
    }

    /// Host Name.
    pub fn host_name(&self) -> Option<&[u8]> {
        self.find(|v| match v {
            AvpValue::HostName(name) => Some(name.as_slice()),
            _ => None,
        })
    }

    /// Vendor Name.
    pub fn vendor_name(&self) -> Option<&[u8]> {
        self.find(|v| match v {
            AvpValue::VendorName(name) => Some(name.as_slice()),
            _ => None,
        })
    }

    /// Framing Capabilities bitmask.
    pub fn framing_capabilities(&self) -> Option<u32> {
        self.find(|v| match v {
            AvpValue::FramingCapabilities(bits) => Some(*bits),
            _ => None,
        })
    }

    /// Receive Window Size (absent means 4, §5.8; that default is the caller's).
    pub fn receive_window(&self) -> Option<u16> {
        self.find(|v| match v {
            AvpValue::ReceiveWindowSize(size) => Some(*size),
            _ => None,
        })
    }

    /// Tie Breaker.
    pub fn tie_breaker(&self) -> Option<[u8; 8]> {
        self.find(|v| match v {
            AvpValue::TieBreaker(t) => Some(*t),
            _ => None,
        })
    }

    /// Challenge.
    pub fn challenge(&self) -> Option<&[u8]> {
        self.find(|v| match v {
            AvpValue::Challenge(c) => Some(c.as_slice()),
            _ => None,
        })
    }

    /// Challenge Response.
    pub fn challenge_response(&self) -> Option<[u8; 16]> {
        self.find(|v| match v {
            AvpValue::ChallengeResponse(r) => Some(*r),
            _ => None,
        })
    }

    /// Result Code.
    pub fn result_code(&self) -> Option<&ResultCode> {
        self.find(|v| match v {
            AvpValue::ResultCode(rc) => Some(rc),
            _ => None,
        })
    }

    /// Call Serial Number.
    pub fn call_serial_number(&self) -> Option<u32> {
        self.find(|v| match v {
            AvpValue::CallSerialNumber(n) => Some(*n),
            _ => None,
        })
    }

    /// (Tx) Connect Speed.
    pub fn tx_connect_speed(&self) -> Option<u32> {
        self.find(|v| match v {
            AvpValue::TxConnectSpeed(bps) => Some(*bps),
            _ => None,
        })
    }

    /// Framing Type.
    pub fn framing_type(&self) -> Option<u32> {
        self.find(|v| match v {
            AvpValue::FramingType(t) => Some(*t),
            _ => None,
        })
    }

    /// ACCM as (send, receive).
    pub fn accm(&self) -> Option<(u32, u32)> {
        self.find(|v| match v {
            AvpValue::Accm { send, receive } => Some((*send, *receive)),
            _ => None,
        })
    }

    /// Whether the Sequencing Required AVP is present.
    pub fn sequencing_required(&self) -> bool {
        self.find(|v| matches!(v, AvpValue::SequencingRequired).then_some(()))
            .is_some()
    }
}
