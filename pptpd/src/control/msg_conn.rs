//! Bodies of the control-connection management messages: SCCRQ, SCCRP, StopCCRQ, StopCCRP,
//! Echo-Request and Echo-Reply (RFC 2637 §2.1–2.6).

use super::codec::{Reader, Writer};
use super::header::MessageType;
use super::message::Body;

/// Length of the host name and vendor string fields.
const NAME_LEN: usize = 64;

/// Start-Control-Connection-Request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sccrq {
    /// Protocol version (0x0100 for 1.0).
    pub protocol_version: u16,
    /// Framing capabilities (async = 1, sync = 2).
    pub framing_capabilities: u32,
    /// Bearer capabilities (analog = 1, digital = 2).
    pub bearer_capabilities: u32,
    /// Maximum number of channels (0 from a PNS).
    pub max_channels: u16,
    /// Firmware revision of the sender.
    pub firmware_revision: u16,
    /// DNS name of the sender (at most 64 bytes on the wire).
    pub hostname: String,
    /// Vendor string (at most 64 bytes on the wire).
    pub vendor: String,
}

impl Body for Sccrq {
    const KIND: MessageType = MessageType::StartControlConnectionRequest;
    fn read(r: &mut Reader) -> Self {
        let protocol_version = r.u16();
        r.u16();
        Sccrq {
            protocol_version,
            framing_capabilities: r.u32(),
            bearer_capabilities: r.u32(),
            max_channels: r.u16(),
            firmware_revision: r.u16(),
            hostname: r.text(NAME_LEN),
            vendor: r.text(NAME_LEN),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.protocol_version);
        w.u16(0);
        w.u32(self.framing_capabilities);
        w.u32(self.bearer_capabilities);
        w.u16(self.max_channels);
        w.u16(self.firmware_revision);
        w.text(&self.hostname, NAME_LEN);
        w.text(&self.vendor, NAME_LEN);
    }
}

/// Start-Control-Connection-Reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sccrp {
    /// Protocol version of the responder.
    pub protocol_version: u16,
    /// Result code (1 = success, see [`super::codes`]).
    pub result_code: u8,
    /// General error code when the result is a general error.
    pub error_code: u8,
    /// Framing capabilities.
    pub framing_capabilities: u32,
    /// Bearer capabilities.
    pub bearer_capabilities: u32,
    /// Maximum number of channels the PAC supports.
    pub max_channels: u16,
    /// Firmware revision of the sender.
    pub firmware_revision: u16,
    /// DNS name of the sender.
    pub hostname: String,
    /// Vendor string.
    pub vendor: String,
}

impl Body for Sccrp {
    const KIND: MessageType = MessageType::StartControlConnectionReply;
    fn read(r: &mut Reader) -> Self {
        Sccrp {
            protocol_version: r.u16(),
            result_code: r.u8(),
            error_code: r.u8(),
            framing_capabilities: r.u32(),
            bearer_capabilities: r.u32(),
            max_channels: r.u16(),
            firmware_revision: r.u16(),
            hostname: r.text(NAME_LEN),
            vendor: r.text(NAME_LEN),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u16(self.protocol_version);
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u32(self.framing_capabilities);
        w.u32(self.bearer_capabilities);
        w.u16(self.max_channels);
        w.u16(self.firmware_revision);
        w.text(&self.hostname, NAME_LEN);
        w.text(&self.vendor, NAME_LEN);
    }
}

/// Stop-Control-Connection-Request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StopCcrq {
    /// Reason (1 = general request, 2 = protocol version, 3 = local shutdown).
    pub reason: u8,
}

impl Body for StopCcrq {
    const KIND: MessageType = MessageType::StopControlConnectionRequest;
    fn read(r: &mut Reader) -> Self {
        StopCcrq { reason: r.u8() }
    }
    fn write(&self, w: &mut Writer) {
        w.u8(self.reason);
        w.u8(0);
        w.u16(0);
    }
}

/// Stop-Control-Connection-Reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StopCcrp {
    /// Result code (1 = OK, 2 = general error).
    pub result_code: u8,
    /// General error code.
    pub error_code: u8,
}

impl Body for StopCcrp {
    const KIND: MessageType = MessageType::StopControlConnectionReply;
    fn read(r: &mut Reader) -> Self {
        StopCcrp {
            result_code: r.u8(),
            error_code: r.u8(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u16(0);
    }
}

/// Echo-Request (keep-alive).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EchoRequest {
    /// Identifier the reply must echo.
    pub identifier: u32,
}

impl Body for EchoRequest {
    const KIND: MessageType = MessageType::EchoRequest;
    fn read(r: &mut Reader) -> Self {
        EchoRequest {
            identifier: r.u32(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.identifier);
    }
}

/// Echo-Reply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EchoReply {
    /// Identifier of the request being answered.
    pub identifier: u32,
    /// Result code (1 = OK, 2 = general error).
    pub result_code: u8,
    /// General error code.
    pub error_code: u8,
}

impl Body for EchoReply {
    const KIND: MessageType = MessageType::EchoReply;
    fn read(r: &mut Reader) -> Self {
        EchoReply {
            identifier: r.u32(),
            result_code: r.u8(),
            error_code: r.u8(),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.u32(self.identifier);
        w.u8(self.result_code);
        w.u8(self.error_code);
        w.u16(0);
    }
}
