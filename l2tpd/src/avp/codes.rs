//! Attribute numbers, their names and default M bits, and Result Code values (RFC 2661 §4.4).

/// IETF attribute types (Vendor ID 0).
pub mod attr {
    /// Message Type.
    pub const MESSAGE_TYPE: u16 = 0;
    /// Result Code.
    pub const RESULT_CODE: u16 = 1;
    /// Protocol Version.
    pub const PROTOCOL_VERSION: u16 = 2;
    /// Framing Capabilities.
    pub const FRAMING_CAPABILITIES: u16 = 3;
    /// Bearer Capabilities.
    pub const BEARER_CAPABILITIES: u16 = 4;
    /// Tie Breaker.
    pub const TIE_BREAKER: u16 = 5;
    /// Firmware Revision.
    pub const FIRMWARE_REVISION: u16 = 6;
    /// Host Name.
    pub const HOST_NAME: u16 = 7;
    /// Vendor Name.
    pub const VENDOR_NAME: u16 = 8;
    /// Assigned Tunnel ID.
    pub const ASSIGNED_TUNNEL_ID: u16 = 9;
    /// Receive Window Size.
    pub const RECEIVE_WINDOW_SIZE: u16 = 10;
    /// Challenge.
    pub const CHALLENGE: u16 = 11;
    /// Q.931 Cause Code.
    pub const Q931_CAUSE_CODE: u16 = 12;
    /// Challenge Response.
    pub const CHALLENGE_RESPONSE: u16 = 13;
    /// Assigned Session ID.
    pub const ASSIGNED_SESSION_ID: u16 = 14;
    /// Call Serial Number.
    pub const CALL_SERIAL_NUMBER: u16 = 15;
    /// Minimum BPS.
    pub const MINIMUM_BPS: u16 = 16;
    /// Maximum BPS.
    pub const MAXIMUM_BPS: u16 = 17;
    /// Bearer Type.
    pub const BEARER_TYPE: u16 = 18;
    /// Framing Type.
    pub const FRAMING_TYPE: u16 = 19;
    /// Called Number.
    pub const CALLED_NUMBER: u16 = 21;
    /// Calling Number.
    pub const CALLING_NUMBER: u16 = 22;
    /// Sub-Address.
    pub const SUB_ADDRESS: u16 = 23;
    /// (Tx) Connect Speed.
    pub const TX_CONNECT_SPEED: u16 = 24;
    /// Physical Channel ID.
    pub const PHYSICAL_CHANNEL_ID: u16 = 25;
    /// Initial Received LCP CONFREQ.
    pub const INITIAL_RECEIVED_LCP_CONFREQ: u16 = 26;
    /// Last Sent LCP CONFREQ.
    pub const LAST_SENT_LCP_CONFREQ: u16 = 27;
    /// Last Received LCP CONFREQ.
    pub const LAST_RECEIVED_LCP_CONFREQ: u16 = 28;
    /// Proxy Authen Type.
    pub const PROXY_AUTHEN_TYPE: u16 = 29;
    /// Proxy Authen Name.
    pub const PROXY_AUTHEN_NAME: u16 = 30;
    /// Proxy Authen Challenge.
    pub const PROXY_AUTHEN_CHALLENGE: u16 = 31;
    /// Proxy Authen ID.
    pub const PROXY_AUTHEN_ID: u16 = 32;
    /// Proxy Authen Response.
    pub const PROXY_AUTHEN_RESPONSE: u16 = 33;
    /// Call Errors.
    pub const CALL_ERRORS: u16 = 34;
    /// ACCM.
    pub const ACCM: u16 = 35;
    /// Random Vector.
    pub const RANDOM_VECTOR: u16 = 36;
    /// Private Group ID.
    pub const PRIVATE_GROUP_ID: u16 = 37;
    /// Rx Connect Speed.
    pub const RX_CONNECT_SPEED: u16 = 38;
    /// Sequencing Required.
    pub const SEQUENCING_REQUIRED: u16 = 39;
}

/// Result Code values (§4.4.2).
pub mod result {
    /// StopCCN: general request to clear the control connection.
    pub const STOPCCN_CLEAR: u16 = 1;
    /// StopCCN: general error, see the Error Code.
    pub const STOPCCN_GENERAL_ERROR: u16 = 2;
    /// StopCCN: control channel already exists.
    pub const STOPCCN_ALREADY_EXISTS: u16 = 3;
    /// StopCCN: requester is not authorized.
    pub const STOPCCN_NOT_AUTHORIZED: u16 = 4;
    /// StopCCN: protocol version not supported (Error Code = highest version supported).
    pub const STOPCCN_BAD_VERSION: u16 = 5;
    /// StopCCN: requester is being shut down.
    pub const STOPCCN_SHUTTING_DOWN: u16 = 6;
    /// StopCCN: finite state machine error.
    pub const STOPCCN_FSM_ERROR: u16 = 7;
    /// CDN: call disconnected due to loss of carrier.
    pub const CDN_LOST_CARRIER: u16 = 1;
    /// CDN: call disconnected for the reason in the Error Code.
    pub const CDN_GENERAL_ERROR: u16 = 2;
    /// CDN: call disconnected for administrative reasons.
    pub const CDN_ADMIN: u16 = 3;
    /// CDN: temporary lack of appropriate facilities.
    pub const CDN_NO_FACILITIES_TEMPORARY: u16 = 4;
    /// CDN: permanent lack of appropriate facilities.
    pub const CDN_NO_FACILITIES_PERMANENT: u16 = 5;
}

/// General Error Codes carried in a Result Code AVP (§4.4.2; 8 from the IANA L2TP registry).
pub mod error_code {
    /// No general error.
    pub const NONE: u16 = 0;
    /// No control connection exists yet for this LAC-LNS pair.
    pub const NO_CONTROL_CONNECTION: u16 = 1;
    /// Length is wrong.
    pub const BAD_LENGTH: u16 = 2;
    /// A field value was out of range or a reserved field was non-zero.
    pub const BAD_VALUE: u16 = 3;
    /// Insufficient resources to handle this operation now.
    pub const NO_RESOURCES: u16 = 4;
    /// The Session ID is invalid in this context.
    pub const BAD_SESSION_ID: u16 = 5;
    /// A generic vendor-specific error occurred.
    pub const VENDOR_ERROR: u16 = 6;
    /// Try another LNS.
    pub const TRY_ANOTHER: u16 = 7;
    /// Shut down on an unknown AVP with the M bit set (IANA, first defined in RFC 3931).
    pub const UNKNOWN_MANDATORY_AVP: u16 = 8;
}

const NAMES: [&str; 40] = [
    "Message Type",
    "Result Code",
    "Protocol Version",
    "Framing Capabilities",
    "Bearer Capabilities",
    "Tie Breaker",
    "Firmware Revision",
    "Host Name",
    "Vendor Name",
    "Assigned Tunnel ID",
    "Receive Window Size",
    "Challenge",
    "Q.931 Cause Code",
    "Challenge Response",
    "Assigned Session ID",
    "Call Serial Number",
    "Minimum BPS",
    "Maximum BPS",
    "Bearer Type",
    "Framing Type",
    "",
    "Called Number",
    "Calling Number",
    "Sub-Address",
    "(Tx) Connect Speed",
    "Physical Channel ID",
    "Initial Received LCP CONFREQ",
    "Last Sent LCP CONFREQ",
    "Last Received LCP CONFREQ",
    "Proxy Authen Type",
    "Proxy Authen Name",
    "Proxy Authen Challenge",
    "Proxy Authen ID",
    "Proxy Authen Response",
    "Call Errors",
    "ACCM",
    "Random Vector",
    "Private Group ID",
    "Rx Connect Speed",
    "Sequencing Required",
];

/// The RFC 2661 name of an attribute, `None` if vendor-specific or unknown.
pub fn attribute_name(vendor_id: u16, attribute: u16) -> Option<&'static str> {
    if vendor_id != 0 {
        return None;
    }
    NAMES
        .get(usize::from(attribute))
        .copied()
        .filter(|n| !n.is_empty())
}

/// The M bit the RFC prescribes when sending this attribute (unknown ones: not mandatory).
pub fn default_mandatory(vendor_id: u16, attribute: u16) -> bool {
    use attr::*;
    vendor_id == 0
        && attribute_name(0, attribute).is_some()
        && !matches!(
            attribute,
            TIE_BREAKER | FIRMWARE_REVISION | VENDOR_NAME | PHYSICAL_CHANNEL_ID
                ..=PROXY_AUTHEN_RESPONSE | PRIVATE_GROUP_ID | RX_CONNECT_SPEED
        )
}
