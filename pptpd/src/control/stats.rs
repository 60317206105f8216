//! Counters of bad or unexpected control input, by reason.

use super::header::Error;

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
    /// Counts one codec error under its reason.
    pub fn record(&mut self, error: &Error) {
        let counter = match error {
            Error::Truncated => &mut self.truncated,
            Error::TooShort(_) => &mut self.too_short,
            Error::Oversized(_) => &mut self.oversized,
            Error::BadMagic(_) => &mut self.bad_magic,
            Error::NotControl(_) => &mut self.not_control,
            Error::UnknownType(_) => &mut self.unknown_type,
            Error::WrongLength(..) => &mut self.wrong_length,
        };
        *counter += 1;
    }
}

#[cfg(test)]
mod tests;
