//! Typed AVP values (§4.4) with exact length checks, and their encoding.

use super::attr::*;
use super::{unhide, AvpError};
use crate::wire::be32;

/// Result Code AVP: result, optional error code and optional message (§4.4.2).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ResultCode {
    /// Result Code (meaning depends on StopCCN / CDN).
    pub result: u16,
    /// General Error Code, if sent.
    pub error: Option<u16>,
    /// Error message (only sent with an error code; may be empty).
    pub message: Vec<u8>,
}

/// Call Errors AVP counters (§4.4.5); the 2 reserved bytes are sent as zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CallErrors {
    /// CRC errors.
    pub crc: u32,
    /// Framing errors.
    pub framing: u32,
    /// Hardware overruns.
    pub hardware_overruns: u32,
    /// Buffer overruns.
    pub buffer_overruns: u32,
    /// Time-out errors.
    pub timeouts: u32,
    /// Alignment errors.
    pub alignment: u32,
}

/// The typed value of an AVP; vendor-specific and unknown ones stay raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AvpValue {
    /// 0: control message type.
    MessageType(u16),
    /// 1: result of a StopCCN or CDN.
    ResultCode(ResultCode),
    /// 2: protocol version and revision (1, 0 for RFC 2661).
    ProtocolVersion {
        /// Version (1).
        version: u8,
        /// Revision (0).
        revision: u8,
    },
    /// 3: framing capabilities bitmask (sync 1, async 2).
    FramingCapabilities(u32),
    /// 4: bearer capabilities bitmask (digital 1, analog 2).
    BearerCapabilities(u32),
    /// 5: tie breaker.
    TieBreaker([u8; 8]),
    /// 6: firmware revision.
    FirmwareRevision(u16),
    /// 7: host name (at least 1 byte).
    HostName(Vec<u8>),
    /// 8: vendor name.
    VendorName(Vec<u8>),
    /// 9: the sender's tunnel ID.
    AssignedTunnelId(u16),
    /// 10: receive window size.
    ReceiveWindowSize(u16),
    /// 11: tunnel authentication challenge (at least 1 byte).
    Challenge(Vec<u8>),
    /// 12: Q.931 cause code, cause message and advisory message.
    Q931CauseCode {
        /// Cause code.
        cause: u16,
        /// Cause message.
        message: u8,
        /// Advisory message.
        advisory: Vec<u8>,
    },
    /// 13: response to a challenge.
    ChallengeResponse([u8; 16]),
    /// 14: the sender's session ID.
    AssignedSessionId(u16),
    /// 15: call serial number.
    CallSerialNumber(u32),
    /// 16: minimum BPS.
    MinimumBps(u32),
    /// 17: maximum BPS.
    MaximumBps(u32),
    /// 18: bearer type.
    BearerType(u32),
    /// 19: framing type.
    FramingType(u32),
    /// 21: called number.
    CalledNumber(Vec<u8>),
    /// 22: calling number.
    CallingNumber(Vec<u8>),
    /// 23: sub-address.
    SubAddress(Vec<u8>),
    /// 24: (Tx) connect speed.
    TxConnectSpeed(u32),
    /// 25: physical channel ID.
    PhysicalChannelId(u32),
    /// 26: initial received LCP CONFREQ.
    InitialReceivedLcpConfreq(Vec<u8>),
    /// 27: last sent LCP CONFREQ.
    LastSentLcpConfreq(Vec<u8>),
    /// 28: last received LCP CONFREQ.
    LastReceivedLcpConfreq(Vec<u8>),
    /// 29: proxy authentication type.
    ProxyAuthenType(u16),
    /// 30: proxy authentication name.
    ProxyAuthenName(Vec<u8>),
    /// 31: proxy authentication challenge.
    ProxyAuthenChallenge(Vec<u8>),
    /// 32: proxy authentication ID (the byte after a reserved one).
    ProxyAuthenId(u8),
    /// 33: proxy authentication response.
    ProxyAuthenResponse(Vec<u8>),
    /// 34: call error counters.
    CallErrors(CallErrors),
    /// 35: send and receive ACCM.
    Accm {
        /// Send ACCM.
        send: u32,
        /// Receive ACCM.
        receive: u32,
    },
    /// 36: random vector for hidden AVPs (at least 1 byte).
    RandomVector(Vec<u8>),
    /// 37: private group ID.
    PrivateGroupId(Vec<u8>),
    /// 38: Rx connect speed.
    RxConnectSpeed(u32),
    /// 39: sequencing required (no value).
    SequencingRequired,
    /// Vendor-specific or unknown attribute, kept raw for the M-bit rule.
    Unknown {
        /// Vendor ID.
        vendor_id: u16,
        /// Attribute Type.
        attribute: u16,
        /// Value (revealed if it was hidden).
        value: Vec<u8>,
    },
}

fn array<const N: usize>(attribute: u16, v: &[u8]) -> Result<[u8; N], AvpError> {
    v.try_into().map_err(|_| AvpError::WrongLength {
        attribute,
        len: v.len(),
    })
}

fn u16_of(attribute: u16, v: &[u8]) -> Result<u16, AvpError> {
    array(attribute, v).map(u16::from_be_bytes)
}

fn u32_of(attribute: u16, v: &[u8]) -> Result<u32, AvpError> {
    array(attribute, v).map(u32::from_be_bytes)
}

fn non_empty(attribute: u16, v: &[u8]) -> Result<Vec<u8>, AvpError> {
    if v.is_empty() {
        return Err(AvpError::WrongLength { attribute, len: 0 });
    }
    Ok(v.to_vec())
}

impl AvpValue {
    /// Decodes a clear value; `WrongLength` names the attribute on a bad size.
    pub fn decode(vendor_id: u16, attribute: u16, v: &[u8]) -> Result<AvpValue, AvpError> {
        use AvpValue as A;
        let a = attribute;
        let wrong = || AvpError::WrongLength {
            attribute,
            len: v.len(),
        };
        if vendor_id != 0 {
            return Ok(A::Unknown {
                vendor_id,
                attribute,
                value: v.to_vec(),
            });
        }
        Ok(match attribute {
            MESSAGE_TYPE => A::MessageType(u16_of(a, v)?),
            RESULT_CODE => {
                let (result, rest) = v.split_first_chunk::<2>().ok_or_else(wrong)?;
                let (error, message) = match rest {
                    [] => (None, &[][..]),
                    [e0, e1, message @ ..] => (Some(u16::from_be_bytes([*e0, *e1])), message),
                    [_] => return Err(wrong()),
                };
                A::ResultCode(ResultCode {
                    result: u16::from_be_bytes(*result),
                    error,
                    message: message.to_vec(),
                })
            }
            PROTOCOL_VERSION => {
                let [version, revision] = array(a, v)?;
                A::ProtocolVersion { version, revision }
            }
            FRAMING_CAPABILITIES => A::FramingCapabilities(u32_of(a, v)?),
            BEARER_CAPABILITIES => A::BearerCapabilities(u32_of(a, v)?),
            TIE_BREAKER => A::TieBreaker(array(a, v)?),
            FIRMWARE_REVISION => A::FirmwareRevision(u16_of(a, v)?),
            HOST_NAME => A::HostName(non_empty(a, v)?),
            VENDOR_NAME => A::VendorName(v.to_vec()),
            ASSIGNED_TUNNEL_ID => A::AssignedTunnelId(u16_of(a, v)?),
            RECEIVE_WINDOW_SIZE => A::ReceiveWindowSize(u16_of(a, v)?),
            CHALLENGE => A::Challenge(non_empty(a, v)?),
            Q931_CAUSE_CODE => match v {
                [c0, c1, message, advisory @ ..] => A::Q931CauseCode {
                    cause: u16::from_be_bytes([*c0, *c1]),
                    message: *message,
                    advisory: advisory.to_vec(),
                },
                _ => return Err(wrong()),
            },
            CHALLENGE_RESPONSE => A::ChallengeResponse(array(a, v)?),
            ASSIGNED_SESSION_ID => A::AssignedSessionId(u16_of(a, v)?),
            CALL_SERIAL_NUMBER => A::CallSerialNumber(u32_of(a, v)?),
            MINIMUM_BPS => A::MinimumBps(u32_of(a, v)?),
            MAXIMUM_BPS => A::MaximumBps(u32_of(a, v)?),
            BEARER_TYPE => A::BearerType(u32_of(a, v)?),
            FRAMING_TYPE => A::FramingType(u32_of(a, v)?),
            CALLED_NUMBER => A::CalledNumber(v.to_vec()),
            CALLING_NUMBER => A::CallingNumber(v.to_vec()),
            SUB_ADDRESS => A::SubAddress(v.to_vec()),
            TX_CONNECT_SPEED => A::TxConnectSpeed(u32_of(a, v)?),
            PHYSICAL_CHANNEL_ID => A::PhysicalChannelId(u32_of(a, v)?),
            INITIAL_RECEIVED_LCP_CONFREQ => A::InitialReceivedLcpConfreq(v.to_vec()),
            LAST_SENT_LCP_CONFREQ => A::LastSentLcpConfreq(v.to_vec()),
            LAST_RECEIVED_LCP_CONFREQ => A::LastReceivedLcpConfreq(v.to_vec()),
            PROXY_AUTHEN_TYPE => A::ProxyAuthenType(u16_of(a, v)?),
            PROXY_AUTHEN_NAME => A::ProxyAuthenName(v.to_vec()),
            PROXY_AUTHEN_CHALLENGE => A::ProxyAuthenChallenge(non_empty(a, v)?),
            PROXY_AUTHEN_ID => A::ProxyAuthenId(array::<2>(a, v)?[1]),
            PROXY_AUTHEN_RESPONSE => A::ProxyAuthenResponse(v.to_vec()),
            CALL_ERRORS => {
                let v: [u8; 26] = array(a, v)?;
                A::CallErrors(CallErrors {
                    crc: be32(&v, 2),
                    framing: be32(&v, 6),
                    hardware_overruns: be32(&v, 10),
                    buffer_overruns: be32(&v, 14),
                    timeouts: be32(&v, 18),
                    alignment: be32(&v, 22),
                })
            }
            ACCM => {
                let v: [u8; 10] = array(a, v)?;
                A::Accm {
                    send: be32(&v, 2),
                    receive: be32(&v, 6),
                }
            }
            RANDOM_VECTOR => A::RandomVector(non_empty(a, v)?),
            PRIVATE_GROUP_ID => A::PrivateGroupId(v.to_vec()),
            RX_CONNECT_SPEED => A::RxConnectSpeed(u32_of(a, v)?),
            SEQUENCING_REQUIRED if v.is_empty() => A::SequencingRequired,
            SEQUENCING_REQUIRED => return Err(wrong()),
            _ => A::Unknown {
                vendor_id,
                attribute,
                value: v.to_vec(),
            },
        })
    }

    /// Reveals then decodes a hidden value (§4.3).
    pub fn decode_hidden(
        vendor_id: u16,
        attribute: u16,
        hidden: &[u8],
        secret: &[u8],
        random_vector: &[u8],
    ) -> Result<AvpValue, AvpError> {
        if vendor_id == 0 && matches!(attribute, MESSAGE_TYPE | RANDOM_VECTOR) {
            return Err(AvpError::MustNotBeHidden(attribute));
        }
        let clear = unhide(attribute, hidden, secret, random_vector)
            .ok_or(AvpError::BadHiddenLength(attribute))?;
        AvpValue::decode(vendor_id, attribute, &clear)
    }

    /// Vendor ID of this value (0 except for `Unknown`).
    pub fn vendor_id(&self) -> u16 {
        match self {
            AvpValue::Unknown { vendor_id, .. } => *vendor_id,
            _ => 0,
        }
    }

    /// Attribute Type of this value.
    pub fn attribute(&self) -> u16 {
        use AvpValue as A;
        match self {
            A::MessageType(_) => MESSAGE_TYPE,
            A::ResultCode(_) => RESULT_CODE,
            A::ProtocolVersion { .. } => PROTOCOL_VERSION,
            A::FramingCapabilities(_) => FRAMING_CAPABILITIES,
            A::BearerCapabilities(_) => BEARER_CAPABILITIES,
            A::TieBreaker(_) => TIE_BREAKER,
            A::FirmwareRevision(_) => FIRMWARE_REVISION,
            A::HostName(_) => HOST_NAME,
            A::VendorName(_) => VENDOR_NAME,
            A::AssignedTunnelId(_) => ASSIGNED_TUNNEL_ID,
            A::ReceiveWindowSize(_) => RECEIVE_WINDOW_SIZE,
            A::Challenge(_) => CHALLENGE,
            A::Q931CauseCode { .. } => Q931_CAUSE_CODE,
            A::ChallengeResponse(_) => CHALLENGE_RESPONSE,
            A::AssignedSessionId(_) => ASSIGNED_SESSION_ID,
            A::CallSerialNumber(_) => CALL_SERIAL_NUMBER,
            A::MinimumBps(_) => MINIMUM_BPS,
            A::MaximumBps(_) => MAXIMUM_BPS,
            A::BearerType(_) => BEARER_TYPE,
            A::FramingType(_) => FRAMING_TYPE,
            A::CalledNumber(_) => CALLED_NUMBER,
            A::CallingNumber(_) => CALLING_NUMBER,
            A::SubAddress(_) => SUB_ADDRESS,
            A::TxConnectSpeed(_) => TX_CONNECT_SPEED,
            A::PhysicalChannelId(_) => PHYSICAL_CHANNEL_ID,
            A::InitialReceivedLcpConfreq(_) => INITIAL_RECEIVED_LCP_CONFREQ,
            A::LastSentLcpConfreq(_) => LAST_SENT_LCP_CONFREQ,
            A::LastReceivedLcpConfreq(_) => LAST_RECEIVED_LCP_CONFREQ,
            A::ProxyAuthenType(_) => PROXY_AUTHEN_TYPE,
            A::ProxyAuthenName(_) => PROXY_AUTHEN_NAME,
            A::ProxyAuthenChallenge(_) => PROXY_AUTHEN_CHALLENGE,
            A::ProxyAuthenId(_) => PROXY_AUTHEN_ID,
            A::ProxyAuthenResponse(_) => PROXY_AUTHEN_RESPONSE,
            A::CallErrors(_) => CALL_ERRORS,
            A::Accm { .. } => ACCM,
            A::RandomVector(_) => RANDOM_VECTOR,
            A::PrivateGroupId(_) => PRIVATE_GROUP_ID,
            A::RxConnectSpeed(_) => RX_CONNECT_SPEED,
            A::SequencingRequired => SEQUENCING_REQUIRED,
            A::Unknown { attribute, .. } => *attribute,
        }
    }

    /// The clear value bytes as sent on the wire.
    pub fn value_bytes(&self) -> Vec<u8> {
        use AvpValue as A;
        match self {
            A::MessageType(x)
            | A::FirmwareRevision(x)
            | A::AssignedTunnelId(x)
            | A::ReceiveWindowSize(x)
            | A::AssignedSessionId(x)
            | A::ProxyAuthenType(x) => x.to_be_bytes().to_vec(),
            A::FramingCapabilities(x)
            | A::BearerCapabilities(x)
            | A::CallSerialNumber(x)
            | A::MinimumBps(x)
            | A::MaximumBps(x)
            | A::BearerType(x)
            | A::FramingType(x)
            | A::TxConnectSpeed(x)
            | A::PhysicalChannelId(x)
            | A::RxConnectSpeed(x) => x.to_be_bytes().to_vec(),
            A::HostName(v)
            | A::VendorName(v)
            | A::Challenge(v)
            | A::CalledNumber(v)
            | A::CallingNumber(v)
            | A::SubAddress(v)
            | A::InitialReceivedLcpConfreq(v)
            | A::LastSentLcpConfreq(v)
            | A::LastReceivedLcpConfreq(v)
            | A::ProxyAuthenName(v)
            | A::ProxyAuthenChallenge(v)
            | A::ProxyAuthenResponse(v)
            | A::RandomVector(v)
            | A::PrivateGroupId(v)
            | A::Unknown { value: v, .. } => v.clone(),
            A::ResultCode(rc) => {
                let mut out = rc.result.to_be_bytes().to_vec();
                if let Some(error) = rc.error {
                    out.extend_from_slice(&error.to_be_bytes());
                    out.extend_from_slice(&rc.message);
                }
                out
            }
            A::ProtocolVersion { version, revision } => vec![*version, *revision],
            A::TieBreaker(t) => t.to_vec(),
            A::Q931CauseCode {
                cause,
                message,
                advisory,
            } => {
                let mut out = cause.to_be_bytes().to_vec();
                out.push(*message);
                out.extend_from_slice(advisory);
                out
            }
            A::ChallengeResponse(r) => r.to_vec(),
            A::ProxyAuthenId(id) => vec![0, *id],
            A::CallErrors(e) => {
                let mut out = vec![0, 0];
                for x in [
                    e.crc,
                    e.framing,
                    e.hardware_overruns,
                    e.buffer_overruns,
                    e.timeouts,
                    e.alignment,
                ] {
                    out.extend_from_slice(&x.to_be_bytes());
                }
                out
            }
            A::Accm { send, receive } => {
                let mut out = vec![0, 0];
                out.extend_from_slice(&send.to_be_bytes());
                out.extend_from_slice(&receive.to_be_bytes());
                out
            }
            A::SequencingRequired => Vec::new(),
        }
    }
}
