//! The 12-byte header shared by all PPTP control messages (RFC 2637 §2.1) and its validation.

use std::fmt;

use crate::wire::{be16, be32};

/// Length of the common control message header.
pub const HEADER_LEN: usize = 12;
/// Largest message length we accept from a peer (the largest RFC message is 220 bytes).
pub const MAX_MESSAGE_LEN: usize = 512;
/// The magic cookie every control message carries.
pub const MAGIC_COOKIE: u32 = 0x1A2B_3C4D;
/// PPTP message type of control messages (2 would be management, which is undefined).
pub const CONTROL_MESSAGE: u16 = 1;

/// Control message types (RFC 2637 §2), each with its fixed total length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// Start-Control-Connection-Request (SCCRQ).
    StartControlConnectionRequest,
    /// Start-Control-Connection-Reply (SCCRP).
    StartControlConnectionReply,
    /// Stop-Control-Connection-Request (StopCCRQ).
    StopControlConnectionRequest,
    /// Stop-Control-Connection-Reply (StopCCRP).
    StopControlConnectionReply,
    /// Echo-Request.
    EchoRequest,
    /// Echo-Reply.
    EchoReply,
    /// Outgoing-Call-Request (OCRQ).
    OutgoingCallRequest,
    /// Outgoing-Call-Reply (OCRP).
    OutgoingCallReply,
    /// Incoming-Call-Request (ICRQ).
    IncomingCallRequest,
    /// Incoming-Call-Reply (ICRP).
    IncomingCallReply,
    /// Incoming-Call-Connected (ICCN).
    IncomingCallConnected,
    /// Call-Clear-Request (CCRQ).
    CallClearRequest,
    /// Call-Disconnect-Notify (CDN).
    CallDisconnectNotify,
    /// WAN-Error-Notify (WEN).
    WanErrorNotify,
    /// Set-Link-Info (SLI).
    SetLinkInfo,
}

impl MessageType {
    /// Decodes the control message type field; None when unknown.
    pub fn from_u16(value: u16) -> Option<Self> {
        use MessageType::*;
        Some(match value {
            1 => StartControlConnectionRequest,
            2 => StartControlConnectionReply,
            3 => StopControlConnectionRequest,
            4 => StopControlConnectionReply,
            5 => EchoRequest,
            6 => EchoReply,
            7 => OutgoingCallRequest,
            8 => OutgoingCallReply,
            9 => IncomingCallRequest,
            10 => IncomingCallReply,
            11 => IncomingCallConnected,
            12 => CallClearRequest,
            13 => CallDisconnectNotify,
            14 => WanErrorNotify,
            15 => SetLinkInfo,
            _ => return None,
        })
    }

    /// The value of the control message type field.
    pub fn to_u16(self) -> u16 {
        use MessageType::*;
        match self {
            StartControlConnectionRequest => 1,
            StartControlConnectionReply => 2,
            StopControlConnectionRequest => 3,
            StopControlConnectionReply => 4,
            EchoRequest => 5,
            EchoReply => 6,
            OutgoingCallRequest => 7,
            OutgoingCallReply => 8,
            IncomingCallRequest => 9,
            IncomingCallReply => 10,
            IncomingCallConnected => 11,
            CallClearRequest => 12,
            CallDisconnectNotify => 13,
            WanErrorNotify => 14,
            SetLinkInfo => 15,
        }
    }

    /// The exact total length (header included) of a message of this type.
    pub fn fixed_len(self) -> usize {
        use MessageType::*;
        match self {
            StartControlConnectionRequest | StartControlConnectionReply => 156,
            StopControlConnectionRequest | StopControlConnectionReply => 16,
            EchoRequest => 16,
            EchoReply => 20,
            OutgoingCallRequest => 168,
            OutgoingCallReply => 32,
            IncomingCallRequest => 220,
            IncomingCallReply => 24,
            IncomingCallConnected => 28,
            CallClearRequest => 16,
            CallDisconnectNotify => 148,
            WanErrorNotify => 40,
            SetLinkInfo => 24,
        }
    }

    /// Short name for logs (SCCRQ, OCRP, ...).
    pub fn name(self) -> &'static str {
        use MessageType::*;
        match self {
            StartControlConnectionRequest => "SCCRQ",
            StartControlConnectionReply => "SCCRP",
            StopControlConnectionRequest => "StopCCRQ",
            StopControlConnectionReply => "StopCCRP",
            EchoRequest => "Echo-Request",
            EchoReply => "Echo-Reply",
            OutgoingCallRequest => "OCRQ",
            OutgoingCallReply => "OCRP",
            IncomingCallRequest => "ICRQ",
            IncomingCallReply => "ICRP",
            IncomingCallConnected => "ICCN",
            CallClearRequest => "CCRQ",
            CallDisconnectNotify => "CDN",
            WanErrorNotify => "WEN",
            SetLinkInfo => "SLI",
        }
    }
}

/// Why a control message was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Fewer bytes than the header or than the declared length.
    Truncated,
    /// Declared length smaller than the header.
    TooShort(u16),
    /// Declared length larger than [`MAX_MESSAGE_LEN`].
    Oversized(u16),
    /// Magic cookie is not 0x1A2B3C4D.
    BadMagic(u32),
    /// PPTP message type is not 1 (control).
    NotControl(u16),
    /// Unknown control message type.
    UnknownType(u16),
    /// Declared length differs from the fixed length of the message type.
    WrongLength(MessageType, u16),
}

impl Error {
    /// A short static reason, suitable for counters and logs.
    pub fn reason(&self) -> &'static str {
        match self {
            Error::Truncated => "truncated message",
            Error::TooShort(_) => "declared length shorter than the header",
            Error::Oversized(_) => "declared length too large",
            Error::BadMagic(_) => "wrong magic cookie",
            Error::NotControl(_) => "not a control message",
            Error::UnknownType(_) => "unknown control message type",
            Error::WrongLength(..) => "length does not match the message type",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated => write!(f, "{}", self.reason()),
            Error::TooShort(len) | Error::Oversized(len) => write!(f, "{} ({len})", self.reason()),
            Error::BadMagic(magic) => write!(f, "{} ({magic:#010x})", self.reason()),
            Error::NotControl(t) | Error::UnknownType(t) => write!(f, "{} ({t})", self.reason()),
            Error::WrongLength(kind, len) => write!(
                f,
                "{}: {} must be {} bytes, got {len}",
                self.reason(),
                kind.name(),
                kind.fixed_len()
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Validates as much of a message as `prefix` holds. Returns `Ok(None)` while fewer than
/// [`HEADER_LEN`] bytes are available (the length field is checked as soon as it is there), and
/// `Ok(Some((type, total length)))` once the header is complete and consistent.
pub fn check_prefix(prefix: &[u8]) -> Result<Option<(MessageType, usize)>, Error> {
    if prefix.len() >= 2 {
        let length = be16(prefix, 0);
        if usize::from(length) < HEADER_LEN {
            return Err(Error::TooShort(length));
        }
        if usize::from(length) > MAX_MESSAGE_LEN {
            return Err(Error::Oversized(length));
        }
    }
    if prefix.len() < HEADER_LEN {
        return Ok(None);
    }
    let packet = ControlPacket::new_unchecked(prefix);
    if packet.pptp_type() != CONTROL_MESSAGE {
        return Err(Error::NotControl(packet.pptp_type()));
    }
    if packet.magic() != MAGIC_COOKIE {
        return Err(Error::BadMagic(packet.magic()));
    }
    let raw = packet.message_type();
    let kind = MessageType::from_u16(raw).ok_or(Error::UnknownType(raw))?;
    let length = packet.length();
    if usize::from(length) != kind.fixed_len() {
        return Err(Error::WrongLength(kind, length));
    }
    Ok(Some((kind, kind.fixed_len())))
}

/// A read-only view of one control message (header + body) in a buffer.
#[derive(Debug, Clone)]
pub struct ControlPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> ControlPacket<T> {
    /// Wraps a buffer without checks; accessors return 0 / empty for missing bytes.
    pub fn new_unchecked(buffer: T) -> Self {
        ControlPacket { buffer }
    }

    /// Wraps a buffer after validating the header, the declared length against the message
    /// type and the buffer size.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let buf = buffer.as_ref();
        match check_prefix(buf)? {
            None => Err(Error::Truncated),
            Some((_, len)) if buf.len() < len => Err(Error::Truncated),
            Some(_) => Ok(ControlPacket { buffer }),
        }
    }

    /// The declared total length.
    pub fn length(&self) -> u16 {
        be16(self.buffer.as_ref(), 0)
    }

    /// The PPTP message type (1 = control).
    pub fn pptp_type(&self) -> u16 {
        be16(self.buffer.as_ref(), 2)
    }

    /// The magic cookie field.
    pub fn magic(&self) -> u32 {
        be32(self.buffer.as_ref(), 4)
    }

    /// The raw control message type.
    pub fn message_type(&self) -> u16 {
        be16(self.buffer.as_ref(), 8)
    }

    /// The message body after the header, bounded by the declared length.
    pub fn body(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        let end = usize::from(self.length()).min(buf.len());
        buf.get(HEADER_LEN..end).unwrap_or(&[])
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> T {
        self.buffer
    }
}

#[cfg(test)]
mod tests;
