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
mod tests {
    use super::*;

    fn samples() -> Vec<Message> {
        vec![
            Message::Sccrq(Sccrq {
                protocol_version: 0x0100,
                framing_capabilities: 3,
                bearer_capabilities: 3,
                max_channels: 0,
                firmware_revision: 0x1234,
                hostname: "client.example".into(),
                vendor: "rasd".into(),
            }),
            Message::Sccrp(Sccrp {
                protocol_version: 0x0100,
                result_code: 1,
                error_code: 0,
                framing_capabilities: 1,
                bearer_capabilities: 2,
                max_channels: 4,
                firmware_revision: 1,
                hostname: "h".repeat(64),
                vendor: "v".into(),
            }),
            Message::StopCcrq(StopCcrq { reason: 3 }),
            Message::StopCcrp(StopCcrp {
                result_code: 1,
                error_code: 0,
            }),
            Message::EchoRequest(EchoRequest {
                identifier: 0xdead_beef,
            }),
            Message::EchoReply(EchoReply {
                identifier: 7,
                result_code: 1,
                error_code: 0,
            }),
            Message::Ocrq(Ocrq {
                call_id: 0x4242,
                call_serial: 9,
                min_bps: 300,
                max_bps: 100_000_000,
                bearer_type: 3,
                framing_type: 3,
                recv_window: 64,
                processing_delay: 0,
                phone_number: "5551234".into(),
                subaddress: "sub".into(),
            }),
            Message::Ocrp(Ocrp {
                call_id: 1,
                peer_call_id: 0x4242,
                result_code: 1,
                error_code: 0,
                cause_code: 0,
                connect_speed: 10_000_000,
                recv_window: 64,
                processing_delay: 0,
                physical_channel_id: 0x0102_0304,
            }),
            Message::Icrq(Icrq {
                call_id: 5,
                call_serial: 6,
                bearer_type: 1,
                physical_channel_id: 7,
                dialed_number: "123".into(),
                dialing_number: "456".into(),
                subaddress: String::new(),
            }),
            Message::Icrp(Icrp {
                call_id: 8,
                peer_call_id: 5,
                result_code: 1,
                error_code: 0,
                recv_window: 16,
                processing_delay: 2,
            }),
            Message::Iccn(Iccn {
                peer_call_id: 8,
                connect_speed: 64_000,
                recv_window: 32,
                processing_delay: 1,
                framing_type: 1,
            }),
            Message::Ccrq(Ccrq { call_id: 0x4242 }),
            Message::Cdn(Cdn {
                call_id: 1,
                result_code: 4,
                error_code: 0,
                cause_code: 0,
                call_statistics: "bye".into(),
            }),
            Message::Wen(Wen {
                peer_call_id: 1,
                crc_errors: 1,
                framing_errors: 2,
                hardware_overruns: 3,
                buffer_overruns: 4,
                timeout_errors: 5,
                alignment_errors: 6,
            }),
            Message::Sli(Sli {
                peer_call_id: 1,
                send_accm: 0xffff_ffff,
                recv_accm: 0,
            }),
        ]
    }

    #[test]
    fn round_trip_every_message() {
        let all = samples();
        assert_eq!(all.len(), 15);
        for msg in all {
            let bytes = msg.to_vec();
            assert_eq!(bytes.len(), msg.kind().fixed_len(), "{:?}", msg.kind());
            assert_eq!(&bytes[..2], &(bytes.len() as u16).to_be_bytes());
            assert_eq!(&bytes[4..8], &MAGIC_COOKIE.to_be_bytes());
            assert_eq!(Message::from_bytes(&bytes), Ok(msg.clone()));
            // Every strict prefix is truncated.
            assert_eq!(
                Message::from_bytes(&bytes[..bytes.len() - 1]),
                Err(Error::Truncated)
            );
        }
    }

    #[test]
    fn bad_inputs() {
        let good = Message::EchoRequest(EchoRequest { identifier: 1 }).to_vec();
        assert_eq!(Message::from_bytes(&good[..3]), Err(Error::Truncated));

        let mut magic = good.clone();
        magic[4] ^= 0xff;
        assert!(matches!(
            Message::from_bytes(&magic),
            Err(Error::BadMagic(_))
        ));

        let mut kind = good.clone();
        kind[9] = 99;
        assert_eq!(Message::from_bytes(&kind), Err(Error::UnknownType(99)));

        let mut mgmt = good.clone();
        mgmt[3] = 2;
        assert_eq!(Message::from_bytes(&mgmt), Err(Error::NotControl(2)));

        let mut len = good.clone();
        len.extend_from_slice(&[0; 4]);
        len[1] = 20;
        assert_eq!(
            Message::from_bytes(&len),
            Err(Error::WrongLength(MessageType::EchoRequest, 20))
        );

        let mut big = good.clone();
        big[0] = 0x10;
        assert_eq!(Message::from_bytes(&big), Err(Error::Oversized(0x1010)));

        let mut small = good;
        small[1] = 4;
        assert_eq!(Message::from_bytes(&small), Err(Error::TooShort(4)));
    }

    #[test]
    fn emit_into_small_buffer() {
        let msg = Message::Ccrq(Ccrq { call_id: 1 });
        assert_eq!(msg.emit(&mut [0; 15]), None);
        assert_eq!(msg.emit(&mut [0; 64]), Some(16));
    }

    #[test]
    fn long_strings_are_truncated() {
        let msg = Message::Ocrq(Ocrq {
            phone_number: "9".repeat(100),
            ..Ocrq::default()
        });
        let Ok(Message::Ocrq(back)) = Message::from_bytes(&msg.to_vec()) else {
            panic!("not an OCRQ")
        };
        assert_eq!(back.phone_number.len(), 64);
    }
}
