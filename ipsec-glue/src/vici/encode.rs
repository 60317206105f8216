//! Packet and message encoding, length prefix included.

use super::packet::*;
use super::{Message, Packet, Value, ViciError, MAX_DEPTH, MAX_PACKET};

/// Appends `packet` to `out` with its 32-bit big-endian length prefix. On error (a name over
/// 255 bytes, a value over 65535, nesting over [`MAX_DEPTH`], a payload over [`MAX_PACKET`])
/// `out` is left as it was.
pub fn encode(packet: &Packet, out: &mut Vec<u8>) -> Result<(), ViciError> {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    let result = encode_payload(packet, out);
    let len = out.len() - start - 4;
    match result {
        Ok(()) if len <= MAX_PACKET => {
            // len <= MAX_PACKET fits in a u32.
            out[start..start + 4].copy_from_slice(&(len as u32).to_be_bytes());
            Ok(())
        }
        other => {
            out.truncate(start);
            other.and(Err(ViciError::BadLength(len)))
        }
    }
}

fn encode_payload(packet: &Packet, out: &mut Vec<u8>) -> Result<(), ViciError> {
    match packet {
        Packet::CmdRequest { name, msg } => {
            out.push(CMD_REQUEST);
            put_name(name, out)?;
            put_message(msg, 0, out)
        }
        Packet::CmdResponse(msg) => {
            out.push(CMD_RESPONSE);
            put_message(msg, 0, out)
        }
        Packet::CmdUnknown => {
            out.push(CMD_UNKNOWN);
            Ok(())
        }
        Packet::EventRegister(name) => {
            out.push(EVENT_REGISTER);
            put_name(name, out)
        }
        Packet::EventUnregister(name) => {
            out.push(EVENT_UNREGISTER);
            put_name(name, out)
        }
        Packet::EventConfirm => {
            out.push(EVENT_CONFIRM);
            Ok(())
        }
        Packet::EventUnknown => {
            out.push(EVENT_UNKNOWN);
            Ok(())
        }
        Packet::Event { name, msg } => {
            out.push(EVENT);
            put_name(name, out)?;
            put_message(msg, 0, out)
        }
    }
}

fn put_message(msg: &Message, depth: usize, out: &mut Vec<u8>) -> Result<(), ViciError> {
    for (key, value) in msg.iter() {
        match value {
            Value::Str(v) => {
                out.push(KEY_VALUE);
                put_name(key, out)?;
                put_value(v, out)?;
            }
            Value::List(items) => {
                out.push(LIST_START);
                put_name(key, out)?;
                for item in items {
                    out.push(LIST_ITEM);
                    put_value(item, out)?;
                }
                out.push(LIST_END);
            }
            Value::Section(section) => {
                if depth >= MAX_DEPTH {
                    return Err(ViciError::TooDeep);
                }
                out.push(SECTION_START);
                put_name(key, out)?;
                put_message(section, depth + 1, out)?;
                out.push(SECTION_END);
            }
        }
    }
    Ok(())
}

fn put_name(name: &str, out: &mut Vec<u8>) -> Result<(), ViciError> {
    let len = u8::try_from(name.len()).map_err(|_| ViciError::TooLong)?;
    out.push(len);
    out.extend_from_slice(name.as_bytes());
    Ok(())
}

fn put_value(value: &[u8], out: &mut Vec<u8>) -> Result<(), ViciError> {
    let len = u16::try_from(value.len()).map_err(|_| ViciError::TooLong)?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(value);
    Ok(())
}

#[cfg(test)]
mod tests;
