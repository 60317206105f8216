//! The parsed representation of a control message (all 15 RFC 2637 types) with parse/emit.

use super::codec::{Reader, Writer};
use super::header::{ControlPacket, Error, MessageType, CONTROL_MESSAGE, HEADER_LEN, MAGIC_COOKIE};
use super::msg_call::{Ccrq, Cdn, Iccn, Icrp, Icrq, Ocrp, Ocrq, Sli, Wen};
use super::msg_conn::{EchoReply, EchoRequest, Sccrp, Sccrq, StopCcrp, StopCcrq};

/// A message body with a fixed layout.
pub(crate) trait Body: Sized {
    /// The message type this body belongs to.
    const KIND: MessageType;
    /// Reads the body (the length was validated before).
    fn read(r: &mut Reader) -> Self;
    /// Writes the body (the buffer has the fixed length).
    fn write(&self, w: &mut Writer);
}

/// One control message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// Start-Control-Connection-Request.
    Sccrq(Sccrq),
    /// Start-Control-Connection-Reply.
    Sccrp(Sccrp),
    /// Stop-Control-Connection-Request.
    StopCcrq(StopCcrq),
    /// Stop-Control-Connection-Reply.
    StopCcrp(StopCcrp),
    /// Echo-Request.
    EchoRequest(EchoRequest),
    /// Echo-Reply.
    EchoReply(EchoReply),
    /// Outgoing-Call-Request.
    Ocrq(Ocrq),
    /// Outgoing-Call-Reply.
    Ocrp(Ocrp),
    /// Incoming-Call-Request.
    Icrq(Icrq),
    /// Incoming-Call-Reply.
    Icrp(Icrp),
    /// Incoming-Call-Connected.
    Iccn(Iccn),
    /// Call-Clear-Request.
    Ccrq(Ccrq),
    /// Call-Disconnect-Notify.
    Cdn(Cdn),
    /// WAN-Error-Notify.
    Wen(Wen),
    /// Set-Link-Info.
    Sli(Sli),
}

fn read<B: Body>(body: &[u8]) -> B {
    B::read(&mut Reader::new(body))
}

impl Message {
    /// Parses a validated view.
    pub fn parse<T: AsRef<[u8]>>(packet: &ControlPacket<T>) -> Result<Message, Error> {
        let raw = packet.message_type();
        let kind = MessageType::from_u16(raw).ok_or(Error::UnknownType(raw))?;
        let body = packet.body();
        if body.len() + HEADER_LEN != kind.fixed_len() {
            return Err(Error::Truncated);
        }
        use MessageType::*;
        Ok(match kind {
            StartControlConnectionRequest => Message::Sccrq(read(body)),
            StartControlConnectionReply => Message::Sccrp(read(body)),
            StopControlConnectionRequest => Message::StopCcrq(read(body)),
            StopControlConnectionReply => Message::StopCcrp(read(body)),
            EchoRequest => Message::EchoRequest(read(body)),
            EchoReply => Message::EchoReply(read(body)),
            OutgoingCallRequest => Message::Ocrq(read(body)),
            OutgoingCallReply => Message::Ocrp(read(body)),
            IncomingCallRequest => Message::Icrq(read(body)),
            IncomingCallReply => Message::Icrp(read(body)),
            IncomingCallConnected => Message::Iccn(read(body)),
            CallClearRequest => Message::Ccrq(read(body)),
            CallDisconnectNotify => Message::Cdn(read(body)),
            WanErrorNotify => Message::Wen(read(body)),
            SetLinkInfo => Message::Sli(read(body)),
        })
    }

    /// Validates and parses one complete message in `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Message, Error> {
        Message::parse(&ControlPacket::new_checked(bytes)?)
    }

    /// The message type.
    pub fn kind(&self) -> MessageType {
        match self {
            Message::Sccrq(_) => Sccrq::KIND,
            Message::Sccrp(_) => Sccrp::KIND,
            Message::StopCcrq(_) => StopCcrq::KIND,
            Message::StopCcrp(_) => StopCcrp::KIND,
            Message::EchoRequest(_) => EchoRequest::KIND,
            Message::EchoReply(_) => EchoReply::KIND,
            Message::Ocrq(_) => Ocrq::KIND,
            Message::Ocrp(_) => Ocrp::KIND,
            Message::Icrq(_) => Icrq::KIND,
            Message::Icrp(_) => Icrp::KIND,
            Message::Iccn(_) => Iccn::KIND,
            Message::Ccrq(_) => Ccrq::KIND,
            Message::Cdn(_) => Cdn::KIND,
            Message::Wen(_) => Wen::KIND,
            Message::Sli(_) => Sli::KIND,
        }
    }

    /// Total length on the wire.
    pub fn buffer_len(&self) -> usize {
        self.kind().fixed_len()
    }

    /// Writes header and body into `buf`; returns the length, or None when `buf` is too small.
    pub fn emit(&self, buf: &mut [u8]) -> Option<usize> {
        let len = self.buffer_len();
        let buf = buf.get_mut(..len)?;
        let mut w = Writer::new(buf);
        // Fixed lengths are at most 220, so the conversion cannot fail.
        w.u16(u16::try_from(len).unwrap_or(0));
        w.u16(CONTROL_MESSAGE);
        w.u32(MAGIC_COOKIE);
        w.u16(self.kind().to_u16());
        w.u16(0);
        match self {
            Message::Sccrq(m) => m.write(&mut w),
            Message::Sccrp(m) => m.write(&mut w),
            Message::StopCcrq(m) => m.write(&mut w),
            Message::StopCcrp(m) => m.write(&mut w),
            Message::EchoRequest(m) => m.write(&mut w),
            Message::EchoReply(m) => m.write(&mut w),
            Message::Ocrq(m) => m.write(&mut w),
            Message::Ocrp(m) => m.write(&mut w),
            Message::Icrq(m) => m.write(&mut w),
            Message::Icrp(m) => m.write(&mut w),
            Message::Iccn(m) => m.write(&mut w),
            Message::Ccrq(m) => m.write(&mut w),
            Message::Cdn(m) => m.write(&mut w),
            Message::Wen(m) => m.write(&mut w),
            Message::Sli(m) => m.write(&mut w),
        }
        Some(len)
    }

    /// The message as a freshly allocated byte vector.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = vec![0; self.buffer_len()];
        self.emit(&mut v);
        v
    }
}

#[cfg(test)]
mod tests;
