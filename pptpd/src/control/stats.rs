//! Bad or unexpected control input: what it was, and counters of it by reason.

use std::fmt;

use super::header::{Error, MessageType};

/// Bad input a control connection saw. Each is counted in [`ControlStats`] and reported as a
/// `ControlEvent::BadInput`, so the driver can count it daemon-wide and log it rate-limited;
/// the core itself logs it only at debug level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadControlInput {
    /// A message that did not parse; the connection closes (the stream cannot be resynchronised).
    Malformed(Error),
    /// A well-formed message not allowed in this state or role.
    Unexpected(MessageType),
    /// A message naming a call this connection does not have.
    UnknownCall(MessageType),
    /// SCCRQ/SCCRP with a protocol version other than 1.0 (refused).
    BadVersion(u16),
    /// An Echo-Reply matching no outstanding Echo-Request.
    EchoMismatch,
    /// A call request refused because the connection already has `max_calls` calls.
    TooManyCalls,
}

impl fmt::Display for BadControlInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadControlInput::Malformed(e) => write!(f, "bad control message: {e}"),
            BadControlInput::Unexpected(kind) => write!(f, "unexpected {}", kind.name()),
            BadControlInput::UnknownCall(kind) => write!(f, "{} for an unknown call", kind.name()),
            BadControlInput::BadVersion(v) => write!(f, "protocol version {v:#06x} not supported"),
            BadControlInput::EchoMismatch => f.write_str("Echo-Reply matches no request"),
            BadControlInput::TooManyCalls => {
                f.write_str("call refused: too many calls on this control connection")
            }
        }
    }
}

/// Counters of bad input seen on one control connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ControlStats {
    /// Messages cut short (stream ended inside a message).
    pub truncated: u64,
    /// Declared length below the 12-byte header.
    pub too_short: u64,
    /// Declared length above the 512-byte limit.
    pub oversized: u64,
    /// Wrong magic cookie.
    pub bad_magic: u64,
    /// PPTP message type other than control.
    pub not_control: u64,
    /// Unknown control message type.
    pub unknown_type: u64,
    /// Length not matching the message type.
    pub wrong_length: u64,
    /// Valid messages received in a state (or role) where they make no sense.
    pub unexpected: u64,
    /// Messages naming a call this connection does not have.
    pub unknown_call: u64,
    /// SCCRQ/SCCRP with a protocol version other than 1.0.
    pub bad_version: u64,
    /// Echo-Reply whose identifier matches no outstanding Echo-Request.
    pub echo_mismatch: u64,
    /// Call requests refused because the connection already has `max_calls` calls.
    pub calls_refused: u64,
}

impl ControlStats {
    /// Counts one piece of bad input under its reason.
    pub fn record(&mut self, bad: &BadControlInput) {
        let counter = match bad {
            BadControlInput::Malformed(Error::Truncated) => &mut self.truncated,
            BadControlInput::Malformed(Error::TooShort(_)) => &mut self.too_short,
            BadControlInput::Malformed(Error::Oversized(_)) => &mut self.oversized,
            BadControlInput::Malformed(Error::BadMagic(_)) => &mut self.bad_magic,
            BadControlInput::Malformed(Error::NotControl(_)) => &mut self.not_control,
            BadControlInput::Malformed(Error::UnknownType(_)) => &mut self.unknown_type,
            BadControlInput::Malformed(Error::WrongLength(..)) => &mut self.wrong_length,
            BadControlInput::Unexpected(_) => &mut self.unexpected,
            BadControlInput::UnknownCall(_) => &mut self.unknown_call,
            BadControlInput::BadVersion(_) => &mut self.bad_version,
            BadControlInput::EchoMismatch => &mut self.echo_mismatch,
            BadControlInput::TooManyCalls => &mut self.calls_refused,
        };
        *counter += 1;
    }
}

#[cfg(test)]
mod tests;
