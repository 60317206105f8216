//! Everything that can go wrong encoding, decoding or talking VICI.

use std::fmt;

/// Why a packet could not be encoded or decoded, or why charon refused a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViciError {
    /// A packet's length is over [`super::MAX_PACKET`] (or is zero, which has no type byte).
    BadLength(usize),
    /// A packet ends inside a name, a value or an element header.
    Truncated,
    /// The packet type byte is none of the eight VICI types.
    UnknownPacketType(u8),
    /// A message element type byte is none of the six VICI element types.
    UnknownElement(u8),
    /// Sections nest deeper than [`super::MAX_DEPTH`].
    TooDeep,
    /// An element in a place it cannot be: a `SECTION_END` with no section open, a
    /// `LIST_ITEM` outside a list, a key, section or list inside a list.
    Misplaced(u8),
    /// The message ends with a section or a list still open.
    Unterminated,
    /// A name or key is not UTF-8.
    NotUtf8,
    /// A name or key over 255 bytes, or a value over 65535 bytes, cannot be encoded.
    TooLong,
    /// Bytes after the name of a packet type that carries no message.
    Trailing,
    /// Charon answered `CMD_UNKNOWN`: it has no such command.
    UnknownCommand,
    /// Charon answered `EVENT_UNKNOWN`: it has no such event.
    UnknownEvent,
    /// A packet of another type than the one a request is answered with.
    UnexpectedPacket,
    /// Charon answered `success = no`; the text is its `errmsg` (may be empty).
    Failed(String),
}

impl fmt::Display for ViciError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadLength(n) => write!(f, "VICI packet length {n} out of range"),
            Self::Truncated => f.write_str("truncated VICI packet"),
            Self::UnknownPacketType(t) => write!(f, "unknown VICI packet type {t}"),
            Self::UnknownElement(t) => write!(f, "unknown VICI element type {t}"),
            Self::TooDeep => f.write_str("VICI sections nested too deep"),
            Self::Misplaced(t) => write!(f, "misplaced VICI element type {t}"),
            Self::Unterminated => f.write_str("VICI message ends inside a section or list"),
            Self::NotUtf8 => f.write_str("VICI name is not UTF-8"),
            Self::TooLong => f.write_str("VICI name or value too long to encode"),
            Self::Trailing => f.write_str("trailing bytes in VICI packet"),
            Self::UnknownCommand => f.write_str("charon has no such command"),
            Self::UnknownEvent => f.write_str("charon has no such event"),
            Self::UnexpectedPacket => f.write_str("unexpected VICI packet type"),
            Self::Failed(msg) => write!(f, "charon refused the request: {msg}"),
        }
    }
}

impl std::error::Error for ViciError {}
