//! Bounded decoding: a streaming framer and the packet/message parser behind it.

use super::packet::*;
use super::{Message, Packet, Value, ViciError, MAX_DEPTH, MAX_PACKET};

/// Reassembles length-prefixed packets from a byte stream. After [`ViciError::BadLength`] the
/// stream cannot be resynchronised and the connection should be closed; any other error
/// discards just the one malformed packet.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
}

impl Decoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Buffers bytes read from the socket.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete packet, `Ok(None)` when more bytes are needed.
    pub fn next_packet(&mut self) -> Result<Option<Packet>, ViciError> {
        let Some(prefix) = self.buf.first_chunk::<4>() else {
            return Ok(None);
        };
        let len = u32::from_be_bytes(*prefix) as usize;
        if len == 0 || len > MAX_PACKET {
            return Err(ViciError::BadLength(len));
        }
        if self.buf.len() < 4 + len {
            return Ok(None);
        }
        let result = decode_payload(&self.buf[4..4 + len]);
        self.buf.drain(..4 + len);
        result.map(Some)
    }
}

/// Parses one packet payload (the bytes after the length prefix).
pub fn decode_payload(payload: &[u8]) -> Result<Packet, ViciError> {
    if payload.is_empty() || payload.len() > MAX_PACKET {
        return Err(ViciError::BadLength(payload.len()));
    }
    let mut r = Reader {
        rest: &payload[1..],
    };
    let packet = match payload[0] {
        CMD_REQUEST => Packet::CmdRequest {
            name: r.name()?,
            msg: r.message()?,
        },
        CMD_RESPONSE => Packet::CmdResponse(r.message()?),
        CMD_UNKNOWN => Packet::CmdUnknown,
        EVENT_REGISTER => Packet::EventRegister(r.name()?),
        EVENT_UNREGISTER => Packet::EventUnregister(r.name()?),
        EVENT_CONFIRM => Packet::EventConfirm,
        EVENT_UNKNOWN => Packet::EventUnknown,
        EVENT => Packet::Event {
            name: r.name()?,
            msg: r.message()?,
        },
        other => return Err(ViciError::UnknownPacketType(other)),
    };
    if !r.rest.is_empty() {
        return Err(ViciError::Trailing);
    }
    Ok(packet)
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ViciError> {
        if self.rest.len() < n {
            return Err(ViciError::Truncated);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, ViciError> {
        Ok(self.take(1)?[0])
    }

    fn name(&mut self) -> Result<String, ViciError> {
        let len = self.byte()? as usize;
        let raw = self.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|_| ViciError::NotUtf8)
    }

    fn value(&mut self) -> Result<Vec<u8>, ViciError> {
        let hi = self.byte()?;
        let lo = self.byte()?;
        let len = u16::from_be_bytes([hi, lo]) as usize;
        Ok(self.take(len)?.to_vec())
    }

    /// Reads elements until the payload ends, with an explicit stack instead of recursion.
    fn message(&mut self) -> Result<Message, ViciError> {
        let mut open: Vec<(String, Message)> = Vec::new();
        let mut current = Message::new();
        let mut list: Option<(String, Vec<Vec<u8>>)> = None;
        while !self.rest.is_empty() {
            let kind = self.byte()?;
            if let Some((_, items)) = list.as_mut() {
                match kind {
                    LIST_ITEM => items.push(self.value()?),
                    LIST_END => {
                        if let Some((key, items)) = list.take() {
                            current.push(key, Value::List(items));
                        }
                    }
                    SECTION_START | SECTION_END | KEY_VALUE | LIST_START => {
                        return Err(ViciError::Misplaced(kind))
                    }
                    other => return Err(ViciError::UnknownElement(other)),
                }
                continue;
            }
            match kind {
                SECTION_START => {
                    if open.len() >= MAX_DEPTH {
                        return Err(ViciError::TooDeep);
                    }
                    let key = self.name()?;
                    open.push((key, std::mem::take(&mut current)));
                }
                SECTION_END => {
                    let (key, parent) = open.pop().ok_or(ViciError::Misplaced(kind))?;
                    let child = std::mem::replace(&mut current, parent);
                    current.push(key, Value::Section(child));
                }
                KEY_VALUE => {
                    let key = self.name()?;
                    let value = self.value()?;
                    current.push(key, Value::Str(value));
                }
                LIST_START => list = Some((self.name()?, Vec::new())),
                LIST_ITEM | LIST_END => return Err(ViciError::Misplaced(kind)),
                other => return Err(ViciError::UnknownElement(other)),
            }
        }
        if list.is_some() || !open.is_empty() {
            return Err(ViciError::Unterminated);
        }
        Ok(current)
    }
}

#[cfg(test)]
mod tests;
