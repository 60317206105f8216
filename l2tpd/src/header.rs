//! The L2TPv2 header (RFC 2661 §3.1): zero-copy view and parsed representation.
//!
//! ```text
//! |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
//! |           Tunnel ID           |           Session ID          |
//! |             Ns (opt)          |             Nr (opt)          |
//! |      Offset Size (opt)        |    Offset pad... (opt)
//! ```
//!
//! Reserved `x` bits are ignored on receipt and sent as zero.

use crate::wire::be16;
use std::fmt;
use std::ops::Range;

/// The only version this crate speaks.
pub const L2TP_VERSION: u8 = 2;
/// Header length of a control message (T, L and S set, no offset).
pub const CONTROL_HEADER_LEN: usize = 12;

const FLAG_T: u16 = 0x8000;
const FLAG_L: u16 = 0x4000;
const FLAG_S: u16 = 0x0800;
const FLAG_O: u16 = 0x0200;
const FLAG_P: u16 = 0x0100;
const VERSION_MASK: u16 = 0x000f;

/// Why a datagram was not accepted as an L2TPv2 message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Shorter than the header its flags announce.
    Truncated,
    /// Version 1: an L2F packet (RFC 2341).
    L2f,
    /// Version 3: an L2TPv3 packet (RFC 3931).
    L2tpV3,
    /// Any other version than 1, 2 or 3.
    BadVersion(u8),
    /// A control message (T=1) without L or S, or with O or P set.
    BadControlFlags,
    /// The Length field exceeds the datagram.
    LengthOverrun {
        /// Length field.
        length: u16,
        /// Bytes actually received.
        available: usize,
    },
    /// The Length field is shorter than the header itself.
    LengthTooShort(u16),
    /// The offset padding runs past the end of the message.
    OffsetOverrun(u16),
}

impl HeaderError {
    /// A short static reason for logs and counters.
    pub fn reason(&self) -> &'static str {
        match self {
            HeaderError::Truncated => "truncated L2TP header",
            HeaderError::L2f => "L2F (version 1) packet",
            HeaderError::L2tpV3 => "L2TPv3 (version 3) packet",
            HeaderError::BadVersion(_) => "unknown L2TP version",
            HeaderError::BadControlFlags => "control message without L/S or with O/P",
            HeaderError::LengthOverrun { .. } => "L2TP Length exceeds the datagram",
            HeaderError::LengthTooShort(_) => "L2TP Length shorter than the header",
            HeaderError::OffsetOverrun(_) => "L2TP offset padding exceeds the message",
        }
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

impl std::error::Error for HeaderError {}

/// A read-only view of an L2TP datagram (UDP header already stripped).
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps a buffer without checks; accessors return 0 / `None` / empty for missing bytes.
    pub fn new_unchecked(buffer: T) -> Self {
        Packet { buffer }
    }

    /// Wraps a buffer after checking version, flag combinations and lengths.
    pub fn new_checked(buffer: T) -> Result<Self, HeaderError> {
        let packet = Packet { buffer };
        packet.check()?;
        Ok(packet)
    }

    /// Gives the buffer back.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn check(&self) -> Result<(), HeaderError> {
        let buf = self.buffer.as_ref();
        if buf.len() < 2 {
            return Err(HeaderError::Truncated);
        }
        match self.version() {
            L2TP_VERSION => {}
            1 => return Err(HeaderError::L2f),
            3 => return Err(HeaderError::L2tpV3),
            v => return Err(HeaderError::BadVersion(v)),
        }
        if self.is_control()
            && (!self.has_length() || !self.has_sequence() || self.has_offset() || self.priority())
        {
            return Err(HeaderError::BadControlFlags);
        }
        let fixed = self.fixed_len();
        if buf.len() < fixed {
            return Err(HeaderError::Truncated);
        }
        if let Some(length) = self.length() {
            if usize::from(length) > buf.len() {
                return Err(HeaderError::LengthOverrun {
                    length,
                    available: buf.len(),
                });
            }
            if usize::from(length) < fixed {
                return Err(HeaderError::LengthTooShort(length));
            }
        }
        if let Some(offset) = self.offset_size() {
            if fixed + usize::from(offset) > self.end() {
                return Err(HeaderError::OffsetOverrun(offset));
            }
        }
        Ok(())
    }

    fn flags(&self) -> u16 {
        be16(self.buffer.as_ref(), 0)
    }

    /// T bit: a control message.
    pub fn is_control(&self) -> bool {
        self.flags() & FLAG_T != 0
    }

    /// L bit: the Length field is present.
    pub fn has_length(&self) -> bool {
        self.flags() & FLAG_L != 0
    }

    /// S bit: Ns and Nr are present.
    pub fn has_sequence(&self) -> bool {
        self.flags() & FLAG_S != 0
    }

    /// O bit: the Offset Size field is present.
    pub fn has_offset(&self) -> bool {
        self.flags() & FLAG_O != 0
    }

    /// P bit: preferential treatment asked for (data only).
    pub fn priority(&self) -> bool {
        self.flags() & FLAG_P != 0
    }

    /// Ver field.
    pub fn version(&self) -> u8 {
        (self.flags() & VERSION_MASK) as u8
    }

    fn ids_at(&self) -> usize {
        if self.has_length() {
            4
        } else {
            2
        }
    }

    fn seq_at(&self) -> usize {
        self.ids_at() + 4
    }

    fn offset_at(&self) -> usize {
        self.seq_at() + if self.has_sequence() { 4 } else { 0 }
    }

    /// Header length up to and including the Offset Size field (padding excluded).
    fn fixed_len(&self) -> usize {
        self.offset_at() + if self.has_offset() { 2 } else { 0 }
    }

    /// End of the message: the Length field, or the whole datagram.
    fn end(&self) -> usize {
        let len = self.buffer.as_ref().len();
        self.length().map_or(len, |l| usize::from(l).min(len))
    }

    /// Length field (total message length), if present.
    pub fn length(&self) -> Option<u16> {
        self.has_length().then(|| be16(self.buffer.as_ref(), 2))
    }

    /// Tunnel ID (the receiver's).
    pub fn tunnel_id(&self) -> u16 {
        be16(self.buffer.as_ref(), self.ids_at())
    }

    /// Session ID (the receiver's; 0 for tunnel-level messages).
    pub fn session_id(&self) -> u16 {
        be16(self.buffer.as_ref(), self.ids_at() + 2)
    }

    /// Ns, if the S bit is set.
    pub fn ns(&self) -> Option<u16> {
        self.has_sequence()
            .then(|| be16(self.buffer.as_ref(), self.seq_at()))
    }

    /// Nr, if the S bit is set (reserved and to be ignored on data messages).
    pub fn nr(&self) -> Option<u16> {
        self.has_sequence()
            .then(|| be16(self.buffer.as_ref(), self.seq_at() + 2))
    }

    /// Offset Size, if the O bit is set.
    pub fn offset_size(&self) -> Option<u16> {
        self.has_offset()
            .then(|| be16(self.buffer.as_ref(), self.offset_at()))
    }

    /// Full header length, offset padding included.
    pub fn header_len(&self) -> usize {
        self.fixed_len() + usize::from(self.offset_size().unwrap_or(0))
    }

    /// Byte range of the payload (AVPs or PPP frame) within the buffer.
    pub fn payload_range(&self) -> Range<usize> {
        let end = self.end();
        self.header_len().min(end)..end
    }

    /// The payload: after the header and padding, up to Length (trailing bytes ignored).
    pub fn payload(&self) -> &[u8] {
        self.buffer
            .as_ref()
            .get(self.payload_range())
            .unwrap_or(&[])
    }
}

/// A parsed L2TPv2 header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Header {
    /// T bit: control message (then L and S are implied, O and P are never set).
    pub control: bool,
    /// L bit on data messages (always sent on control messages).
    pub with_length: bool,
    /// P bit (data messages only).
    pub priority: bool,
    /// Tunnel ID.
    pub tunnel_id: u16,
    /// Session ID.
    pub session_id: u16,
    /// (Ns, Nr) when the S bit is set; required on control messages.
    pub sequence: Option<(u16, u16)>,
    /// Offset Size when the O bit is set (data messages only); padding is sent as zeros.
    pub offset: Option<u16>,
}

impl Header {
    /// A control message header.
    pub fn control(tunnel_id: u16, session_id: u16, ns: u16, nr: u16) -> Self {
        Header {
            control: true,
            with_length: true,
            tunnel_id,
            session_id,
            sequence: Some((ns, nr)),
            ..Header::default()
        }
    }

    /// A data message header without length, sequence or offset.
    pub fn data(tunnel_id: u16, session_id: u16) -> Self {
        Header {
            tunnel_id,
            session_id,
            ..Header::default()
        }
    }

    /// Parses and checks a datagram; returns the header and the payload (bounded by Length).
    pub fn parse(buf: &[u8]) -> Result<(Header, &[u8]), HeaderError> {
        let packet = Packet::new_checked(buf)?;
        let header = Header {
            control: packet.is_control(),
            with_length: packet.has_length(),
            priority: packet.priority(),
            tunnel_id: packet.tunnel_id(),
            session_id: packet.session_id(),
            sequence: packet.ns().zip(packet.nr()),
            offset: packet.offset_size(),
        };
        let range = packet.payload_range();
        Ok((header, buf.get(range).unwrap_or(&[])))
    }

    fn flags(&self) -> u16 {
        let mut flags = u16::from(L2TP_VERSION);
        if self.control {
            return flags | FLAG_T | FLAG_L | FLAG_S;
        }
        if self.with_length {
            flags |= FLAG_L;
        }
        if self.sequence.is_some() {
            flags |= FLAG_S;
        }
        if self.offset.is_some() {
            flags |= FLAG_O;
        }
        if self.priority {
            flags |= FLAG_P;
        }
        flags
    }

    /// Length of the emitted header, offset padding included.
    pub fn header_len(&self) -> usize {
        let flags = self.flags();
        let mut len = 6;
        if flags & FLAG_L != 0 {
            len += 2;
        }
        if flags & FLAG_S != 0 {
            len += 4;
        }
        if flags & FLAG_O != 0 {
            len += 2 + usize::from(self.offset.unwrap_or(0));
        }
        len
    }

    /// Writes the header for a payload of `payload_len` bytes; returns the header length.
    ///
    /// `None` if `buf` is too short or the message would not fit the 16-bit Length.
    pub fn emit(&self, payload_len: usize, buf: &mut [u8]) -> Option<usize> {
        let flags = self.flags();
        let header_len = self.header_len();
        // At most 6 words: flags, length, tunnel, session, Ns, Nr (offset replaces none of them).
        let mut words = [0u16; 7];
        let mut n = 0;
        let mut push = |w: u16| {
            words[n] = w;
            n += 1;
        };
        push(flags);
        if flags & FLAG_L != 0 {
            push(u16::try_from(header_len.checked_add(payload_len)?).ok()?);
        }
        push(self.tunnel_id);
        push(self.session_id);
        if flags & FLAG_S != 0 {
            let (ns, nr) = self.sequence.unwrap_or((0, 0));
            push(ns);
            push(nr);
        }
        if flags & FLAG_O != 0 {
            push(self.offset.unwrap_or(0));
        }
        let out = buf.get_mut(..header_len)?;
        out.fill(0);
        for (bytes, word) in out.chunks_exact_mut(2).zip(&words[..n]) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        Some(header_len)
    }
}
