//! Why a control message body was rejected, and how the RFC says to answer.

use std::fmt;

use super::MessageType;
use crate::avp::{attribute_name, error_code, result, AvpError};

/// A control message could not be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageError {
    /// Empty body: a ZLB acknowledgement, not a message (the caller handles it).
    Empty,
    /// An AVP is malformed, or hidden without a secret or Random Vector.
    Avp(AvpError),
    /// The first AVP is not a Message Type AVP.
    FirstNotMessageType,
    /// Unknown or reserved message type; with M=0 the RFC says ignore the message.
    UnknownMessageType {
        /// Message Type value.
        value: u16,
        /// M bit of the Message Type AVP.
        mandatory: bool,
    },
    /// An unrecognized AVP with the M bit set (§4.1).
    UnknownMandatoryAvp {
        /// The message it arrived in.
        kind: MessageType,
        /// Vendor ID of the AVP.
        vendor_id: u16,
        /// Attribute Type of the AVP.
        attribute: u16,
    },
}

/// What a teardown applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TeardownScope {
    /// The whole tunnel: send StopCCN.
    Tunnel,
    /// The session the message belongs to: send CDN.
    Session,
}

/// The answer the RFC calls for: tear down `scope` with this Result Code AVP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Teardown {
    /// Tunnel (StopCCN) or session (CDN).
    pub scope: TeardownScope,
    /// Result Code.
    pub result: u16,
    /// General Error Code.
    pub error: u16,
}

impl MessageError {
    /// The RFC-mandated teardown, if any; `None` means drop the message (or, for malformed
    /// ones, let the state machine decide).
    ///
    /// Unknown M=1 AVP (§4.1): session-level message → CDN Result 2 (general error),
    /// tunnel-level → StopCCN Result 2; both with Error Code 8 (unknown mandatory AVP,
    /// IANA L2TP registry). Unknown message type with M=1 (§4.4.1) → StopCCN Result 2,
    /// Error Code 3 (field value out of range).
    pub fn teardown(&self) -> Option<Teardown> {
        match *self {
            MessageError::UnknownMandatoryAvp { kind, .. } => Some(if kind.is_session_level() {
                Teardown {
                    scope: TeardownScope::Session,
                    result: result::CDN_GENERAL_ERROR,
                    error: error_code::UNKNOWN_MANDATORY_AVP,
                }
            } else {
                Teardown {
                    scope: TeardownScope::Tunnel,
                    result: result::STOPCCN_GENERAL_ERROR,
                    error: error_code::UNKNOWN_MANDATORY_AVP,
                }
            }),
            MessageError::UnknownMessageType {
                mandatory: true, ..
            } => Some(Teardown {
                scope: TeardownScope::Tunnel,
                result: result::STOPCCN_GENERAL_ERROR,
                error: error_code::BAD_VALUE,
            }),
            _ => None,
        }
    }
}

impl From<AvpError> for MessageError {
    fn from(e: AvpError) -> Self {
        MessageError::Avp(e)
    }
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::Empty => f.write_str("empty control message (ZLB)"),
            MessageError::Avp(e) => e.fmt(f),
            MessageError::FirstNotMessageType => f.write_str("first AVP is not Message Type"),
            MessageError::UnknownMessageType { value, mandatory } => {
                write!(
                    f,
                    "unknown message type {value} (M={})",
                    u8::from(*mandatory)
                )
            }
            MessageError::UnknownMandatoryAvp {
                kind,
                vendor_id,
                attribute,
            } => write!(
                f,
                "{}: unknown mandatory AVP {vendor_id}:{attribute} ({})",
                kind.name(),
                attribute_name(*vendor_id, *attribute).unwrap_or("unknown")
            ),
        }
    }
}

impl std::error::Error for MessageError {}
