//! Numeric constants of RFC 2637 control messages: versions, capabilities, result and error codes.

/// The only protocol version we speak: 1.0.
pub const PROTOCOL_VERSION: u16 = 0x0100;
/// Our firmware revision reported in SCCRQ/SCCRP.
pub const FIRMWARE_REVISION: u16 = 0x0001;

/// Framing capability/type bit: asynchronous framing.
pub const FRAMING_ASYNC: u32 = 1;
/// Framing capability/type bit: synchronous framing.
pub const FRAMING_SYNC: u32 = 2;
/// Bearer capability/type bit: analog access.
pub const BEARER_ANALOG: u32 = 1;
/// Bearer capability/type bit: digital access.
pub const BEARER_DIGITAL: u32 = 2;

/// SCCRP result: channel established.
pub const SCCRP_SUCCESS: u8 = 1;
/// SCCRP result: general error (see the error code).
pub const SCCRP_GENERAL_ERROR: u8 = 2;
/// SCCRP result: a command channel already exists.
pub const SCCRP_CHANNEL_EXISTS: u8 = 3;
/// SCCRP result: requester not authorized.
pub const SCCRP_NOT_AUTHORIZED: u8 = 4;
/// SCCRP result: the requester's protocol version is not supported.
pub const SCCRP_BAD_VERSION: u8 = 5;

/// StopCCRQ reason: general request to clear the control connection.
pub const STOP_REASON_NONE: u8 = 1;
/// StopCCRQ reason: the peer's protocol version is not supported.
pub const STOP_REASON_PROTOCOL: u8 = 2;
/// StopCCRQ reason: local shutdown.
pub const STOP_REASON_LOCAL_SHUTDOWN: u8 = 3;

/// StopCCRP / Echo-Reply result: OK.
pub const RESULT_OK: u8 = 1;
/// StopCCRP / Echo-Reply result: general error.
pub const RESULT_GENERAL_ERROR: u8 = 2;

/// OCRP result: connected.
pub const OCRP_CONNECTED: u8 = 1;
/// OCRP result: general error (see the error code).
pub const OCRP_GENERAL_ERROR: u8 = 2;
/// OCRP result: no carrier.
pub const OCRP_NO_CARRIER: u8 = 3;
/// OCRP result: busy.
pub const OCRP_BUSY: u8 = 4;
/// OCRP result: no dial tone.
pub const OCRP_NO_DIAL_TONE: u8 = 5;
/// OCRP result: time-out.
pub const OCRP_TIMEOUT: u8 = 6;
/// OCRP result: do not accept.
pub const OCRP_DO_NOT_ACCEPT: u8 = 7;

/// ICRP result: connect.
pub const ICRP_CONNECT: u8 = 1;
/// ICRP result: general error.
pub const ICRP_GENERAL_ERROR: u8 = 2;
/// ICRP result: do not accept.
pub const ICRP_DO_NOT_ACCEPT: u8 = 3;

/// CDN result: lost carrier.
pub const CDN_LOST_CARRIER: u8 = 1;
/// CDN result: general error.
pub const CDN_GENERAL_ERROR: u8 = 2;
/// CDN result: administrative shutdown.
pub const CDN_ADMIN_SHUTDOWN: u8 = 3;
/// CDN result: disconnected because of a Call-Clear-Request.
pub const CDN_REQUEST: u8 = 4;

/// General error code: none.
pub const ERROR_NONE: u8 = 0;
/// General error code: no control connection exists yet.
pub const ERROR_NOT_CONNECTED: u8 = 1;
/// General error code: malformed message.
pub const ERROR_BAD_FORMAT: u8 = 2;
/// General error code: a field is out of range.
pub const ERROR_BAD_VALUE: u8 = 3;
/// General error code: out of resources.
pub const ERROR_NO_RESOURCE: u8 = 4;
/// General error code: invalid call id.
pub const ERROR_BAD_CALL_ID: u8 = 5;
/// General error code: vendor error.
pub const ERROR_PAC_ERROR: u8 = 6;

/// Human readable name of an OCRP result code, for logs and events.
pub fn ocrp_result_text(code: u8) -> &'static str {
    match code {
        OCRP_CONNECTED => "connected",
        OCRP_GENERAL_ERROR => "general error",
        OCRP_NO_CARRIER => "no carrier",
        OCRP_BUSY => "busy",
        OCRP_NO_DIAL_TONE => "no dial tone",
        OCRP_TIMEOUT => "time-out",
        OCRP_DO_NOT_ACCEPT => "do not accept",
        _ => "unknown result",
    }
}

/// Human readable name of an SCCRP result code.
pub fn sccrp_result_text(code: u8) -> &'static str {
    match code {
        SCCRP_SUCCESS => "success",
        SCCRP_GENERAL_ERROR => "general error",
        SCCRP_CHANNEL_EXISTS => "command channel already exists",
        SCCRP_NOT_AUTHORIZED => "requester not authorized",
        SCCRP_BAD_VERSION => "protocol version not supported",
        _ => "unknown result",
    }
}

/// Human readable name of a CDN result code.
pub fn cdn_result_text(code: u8) -> &'static str {
    match code {
        CDN_LOST_CARRIER => "lost carrier",
        CDN_GENERAL_ERROR => "general error",
        CDN_ADMIN_SHUTDOWN => "administrative shutdown",
        CDN_REQUEST => "call clear request",
        _ => "unknown result",
    }
}

#[cfg(test)]
mod tests;
