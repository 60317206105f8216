//! Bodies of the call management messages: OCRQ, OCRP, ICRQ, ICRP, ICCN, CCRQ, CDN, WEN and SLI
//! (RFC 2637 §2.7–2.15).

use super::codec::{Reader, Writer};
use super::header::MessageType;
use super::message::Body;

/// Length of phone number and subaddress fields.
const NUMBER_LEN: usize = 64;
/// Length of the CDN call statistics field.
const STATISTICS_LEN: usize = 128;

/// Reads a number field whose significant length is given by a separate length field.
fn number(r: &mut Reader, len: u16) -> String {
    let mut s = r.text(NUMBER_LEN);
    let len = usize::from(len).min(s.len());
    if s.is_char_boundary(len) {
        s.truncate(len);
    }
    s
}

/// Wire length of a number field (what the length field announces).
fn number_len(s: &str) -> u16 {
    // At most 64, so the conversion cannot fail.
    u16::try_from(s.len().min(NUMBER_LEN)).unwrap_or(0)
}

/// Outgoing-Call-Request (PNS asks the PAC to place a call).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ocrq {
    /// Call id chosen by the sender.
    pub call_id: u16,
    /// Call serial number (for logs).
    pub call_serial: u16,
    /// Minimum acceptable speed in bits/s.
    pub min_bps: u32,
    /// Maximum acceptable speed in bits/s.
    pub max_bps: u32,
    /// Bearer type (1 analog, 2 digital, 3 any).
    pub bearer_type: u32,
    /// Framing type (1 async, 2 sync, 3 any).
    pub framing_type: u32,
    /// The sender's GRE receive window (packets).
    pub recv_window: u16,
    /// Packet processing delay (1/10 s).
    pub processing_delay: u16,
    /// Number to dial (at most 64 bytes).
    pub phone_number: String,
    /// Subaddress (at most 64 bytes).
    pub subaddress: String,
}

impl Body for Ocrq {
    const KIND: MessageType = MessageType::OutgoingCallRequest;
    fn read(r: &mut Reader) -> Self {
        let call_id = r.u16();
        let call_serial = r.u16();
        let min_bps = r.u32();
        let max_bps = r.u32();
        let bearer_type = r.u32();
        let framing_type = r.u32();
        let recv_window = r.u16();
        let processing_delay = r.u16();
        let phone_len = r.u16();
        r.u16();
        Ocrq {
            call_id,
            call_serial,
            min_bps,
            max_bps,
            bearer_type,
            framing_type,
            recv_window,
            processing_delay,
            phone_number: number(r, phone_len),
            subaddress: r.text(NUMBER_LEN),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u16(self.call_serial);
        w.u32(self.min_bps);
        w.u32(self.max_bps);
        w.u32(self.bearer_type);
        w.u32(self.framing_type);
        w.u16(self.recv_window);
        w.u16(self.processing_delay);
        w.u16(number_len(&self.phone_number));
        w.u16(0);
        w.text(&self.phone_number, NUMBER_LEN);
        w.text(&self.subaddress, NUMBER_LEN);
    }
}

/// Outgoing-Call-Reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ocrp {
    /// Call id chosen by the sender of the reply (the PAC).
    pub call_id: u16,
    /// The call id from the OCRQ.
    pub peer_call_id: u16,
    /// Result code (1 = connected, see [`super::codes`]).
    pub result_code: u8,
    /// General error code.
    pub error_code: u8,
    /// Cause code.
    pub cause_code: u16,
    /// Connect speed in bits/s.
    pub connect_speed: u32,
    /// The sender's GRE receive window (packets).
    pub recv_window: u16,
    /// Packet processing delay (1/10 s).
    pub processing_delay: u16,
    /// Physical channel id (for logs).
    pub physical_channel_id: u32,
}

impl Body for Ocrp {
    const KIND: MessageType = MessageType::OutgoingCallReply;
    fn read(r: &mut Reader) -> Self {
        Ocrp {
            call_id: r.u16(),
            peer_call_id: r.u16(),
            result_code: r.u8(),
            error_code: r.u8(),
            cause_code: r.u16(),
            connect_speed: r.u32(),
            recv_window: r.u16(),
            processing_delay: r.u16(),
            physical_channel_id: r.u32(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u16(self.peer_call_id);
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u16(self.cause_code);
        w.u32(self.connect_speed);
        w.u16(self.recv_window);
        w.u16(self.processing_delay);
        w.u32(self.physical_channel_id);
    }
}

/// Incoming-Call-Request (PAC announces an incoming call).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Icrq {
    /// Call id chosen by the sender.
    pub call_id: u16,
    /// Call serial number.
    pub call_serial: u16,
    /// Bearer type.
    pub bearer_type: u32,
    /// Physical channel id.
    pub physical_channel_id: u32,
    /// Dialed number.
    pub dialed_number: String,
    /// Dialing (caller) number.
    pub dialing_number: String,
    /// Subaddress.
    pub subaddress: String,
}

impl Body for Icrq {
    const KIND: MessageType = MessageType::IncomingCallRequest;
    fn read(r: &mut Reader) -> Self {
        let call_id = r.u16();
        let call_serial = r.u16();
        let bearer_type = r.u32();
        let physical_channel_id = r.u32();
        let dialed_len = r.u16();
        let dialing_len = r.u16();
        Icrq {
            call_id,
            call_serial,
            bearer_type,
            physical_channel_id,
            dialed_number: number(r, dialed_len),
            dialing_number: number(r, dialing_len),
            subaddress: r.text(NUMBER_LEN),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u16(self.call_serial);
        w.u32(self.bearer_type);
        w.u32(self.physical_channel_id);
        w.u16(number_len(&self.dialed_number));
        w.u16(number_len(&self.dialing_number));
        w.text(&self.dialed_number, NUMBER_LEN);
        w.text(&self.dialing_number, NUMBER_LEN);
        w.text(&self.subaddress, NUMBER_LEN);
    }
}

/// Incoming-Call-Reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Icrp {
    /// Call id chosen by the sender of the reply.
    pub call_id: u16,
    /// The call id from the ICRQ.
    pub peer_call_id: u16,
    /// Result code (1 = connect, 2 = general error, 3 = do not accept).
    pub result_code: u8,
    /// General error code.
    pub error_code: u8,
    /// The sender's GRE receive window (packets).
    pub recv_window: u16,
    /// Packet processing delay (1/10 s).
    pub processing_delay: u16,
}

impl Body for Icrp {
    const KIND: MessageType = MessageType::IncomingCallReply;
    fn read(r: &mut Reader) -> Self {
        Icrp {
            call_id: r.u16(),
            peer_call_id: r.u16(),
            result_code: r.u8(),
            error_code: r.u8(),
            recv_window: r.u16(),
            processing_delay: r.u16(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u16(self.peer_call_id);
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u16(self.recv_window);
        w.u16(self.processing_delay);
        w.u16(0);
    }
}

/// Incoming-Call-Connected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Iccn {
    /// The call id chosen by the receiver of this message (from the ICRP).
    pub peer_call_id: u16,
    /// Connect speed in bits/s.
    pub connect_speed: u32,
    /// The sender's GRE receive window (packets).
    pub recv_window: u16,
    /// Packet processing delay (1/10 s).
    pub processing_delay: u16,
    /// Framing type.
    pub framing_type: u32,
}

impl Body for Iccn {
    const KIND: MessageType = MessageType::IncomingCallConnected;
    fn read(r: &mut Reader) -> Self {
        let peer_call_id = r.u16();
        r.u16();
        Iccn {
            peer_call_id,
            connect_speed: r.u32(),
            recv_window: r.u16(),
            processing_delay: r.u16(),
            framing_type: r.u32(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.peer_call_id);
        w.u16(0);
        w.u32(self.connect_speed);
        w.u16(self.recv_window);
        w.u16(self.processing_delay);
        w.u32(self.framing_type);
    }
}

/// Call-Clear-Request (PNS asks to clear a call).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ccrq {
    /// The sender's own call id for the call.
    pub call_id: u16,
}

impl Body for Ccrq {
    const KIND: MessageType = MessageType::CallClearRequest;
    fn read(r: &mut Reader) -> Self {
        Ccrq { call_id: r.u16() }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u16(0);
    }
}

/// Call-Disconnect-Notify (PAC reports that a call is gone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cdn {
    /// The sender's own call id for the call.
    pub call_id: u16,
    /// Result code (see [`super::codes`]).
    pub result_code: u8,
    /// General error code.
    pub error_code: u8,
    /// Cause code.
    pub cause_code: u16,
    /// Vendor specific call statistics text (at most 128 bytes).
    pub call_statistics: String,
}

impl Body for Cdn {
    const KIND: MessageType = MessageType::CallDisconnectNotify;
    fn read(r: &mut Reader) -> Self {
        let call_id = r.u16();
        let result_code = r.u8();
        let error_code = r.u8();
        let cause_code = r.u16();
        r.u16();
        Cdn {
            call_id,
            result_code,
            error_code,
            cause_code,
            call_statistics: r.text(STATISTICS_LEN),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.call_id);
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u16(self.cause_code);
        w.u16(0);
        w.text(&self.call_statistics, STATISTICS_LEN);
    }
}

/// WAN-Error-Notify (PAC reports line error counters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wen {
    /// The receiver's call id.
    pub peer_call_id: u16,
    /// CRC errors.
    pub crc_errors: u32,
    /// Framing errors.
    pub framing_errors: u32,
    /// Hardware overruns.
    pub hardware_overruns: u32,
    /// Buffer overruns.
    pub buffer_overruns: u32,
    /// Time-out errors.
    pub timeout_errors: u32,
    /// Alignment errors.
    pub alignment_errors: u32,
}

impl Body for Wen {
    const KIND: MessageType = MessageType::WanErrorNotify;
    fn read(r: &mut Reader) -> Self {
        let peer_call_id = r.u16();
        r.u16();
        Wen {
            peer_call_id,
            crc_errors: r.u32(),
            framing_errors: r.u32(),
            hardware_overruns: r.u32(),
            buffer_overruns: r.u32(),
            timeout_errors: r.u32(),
            alignment_errors: r.u32(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.peer_call_id);
        w.u16(0);
        w.u32(self.crc_errors);
        w.u32(self.framing_errors);
        w.u32(self.hardware_overruns);
        w.u32(self.buffer_overruns);
        w.u32(self.timeout_errors);
        w.u32(self.alignment_errors);
    }
}

/// Set-Link-Info (PNS tells the PAC the negotiated ACCMs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sli {
    /// The receiver's call id.
    pub peer_call_id: u16,
    /// Send ACCM.
    pub send_accm: u32,
    /// Receive ACCM.
    pub recv_accm: u32,
}

impl Body for Sli {
    const KIND: MessageType = MessageType::SetLinkInfo;
    fn read(r: &mut Reader) -> Self {
        let peer_call_id = r.u16();
        r.u16();
        Sli {
            peer_call_id,
            send_accm: r.u32(),
            recv_accm: r.u32(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.peer_call_id);
        w.u16(0);
        w.u32(self.send_accm);
        w.u32(self.recv_accm);
    }
}
