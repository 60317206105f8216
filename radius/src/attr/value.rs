//! Enumerated values the code sends (names as in the dictionary's VALUE lines; a test checks
//! them against it).

/// Service-Type Framed-User.
pub const SERVICE_TYPE_FRAMED: u32 = 2;
/// Framed-Protocol PPP.
pub const FRAMED_PROTOCOL_PPP: u32 = 1;
/// NAS-Port-Type Virtual.
pub const NAS_PORT_TYPE_VIRTUAL: u32 = 5;
/// Tunnel-Type PPTP.
pub const TUNNEL_TYPE_PPTP: u32 = 1;
/// Tunnel-Type L2TP.
pub const TUNNEL_TYPE_L2TP: u32 = 3;
/// Tunnel-Medium-Type IPv4.
pub const TUNNEL_MEDIUM_IPV4: u32 = 1;
/// Tunnel-Medium-Type IPv6.
pub const TUNNEL_MEDIUM_IPV6: u32 = 2;
/// Acct-Status-Type Start.
pub const ACCT_STATUS_START: u32 = 1;
/// Acct-Status-Type Stop.
pub const ACCT_STATUS_STOP: u32 = 2;
/// Acct-Status-Type Interim-Update.
pub const ACCT_STATUS_INTERIM_UPDATE: u32 = 3;
/// Acct-Status-Type Accounting-On.
pub const ACCT_STATUS_ACCOUNTING_ON: u32 = 7;
/// Acct-Status-Type Accounting-Off.
pub const ACCT_STATUS_ACCOUNTING_OFF: u32 = 8;
/// Acct-Authentic RADIUS.
pub const ACCT_AUTHENTIC_RADIUS: u32 = 1;
/// Acct-Authentic Local.
pub const ACCT_AUTHENTIC_LOCAL: u32 = 2;
/// Error-Cause Unsupported-Attribute.
pub const ERROR_CAUSE_UNSUPPORTED_ATTRIBUTE: u32 = 401;
/// Error-Cause Session-Context-Not-Found.
pub const ERROR_CAUSE_SESSION_CONTEXT_NOT_FOUND: u32 = 503;

/// Acct-Terminate-Cause (RFC 2866 §5.10), the causes a session can end with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TerminateCause {
    /// 1: the user ended it.
    UserRequest = 1,
    /// 2: the carrier was lost (no LCP echo reply, tunnel gone).
    LostCarrier = 2,
    /// 3: the service is no longer available.
    LostService = 3,
    /// 4: Idle-Timeout expired.
    IdleTimeout = 4,
    /// 5: Session-Timeout expired.
    SessionTimeout = 5,
    /// 6: an administrator (or a Disconnect-Request) ended it.
    AdminReset = 6,
    /// 7: an administrator is restarting the NAS.
    AdminReboot = 7,
    /// 8: a port error.
    PortError = 8,
    /// 9: a NAS error.
    NasError = 9,
    /// 10: the NAS ended it for a reason of its own.
    NasRequest = 10,
    /// 11: the NAS restarted (a crash found on start).
    NasReboot = 11,
    /// 12: the port is no longer needed.
    PortUnneeded = 12,
    /// 15: the service is unavailable.
    ServiceUnavailable = 15,
    /// 17: the user's own error (e.g. failed negotiation).
    UserError = 17,
}

impl TerminateCause {
    /// Every cause, for tables and tests.
    pub const ALL: [TerminateCause; 14] = [
        TerminateCause::UserRequest,
        TerminateCause::LostCarrier,
        TerminateCause::LostService,
        TerminateCause::IdleTimeout,
        TerminateCause::SessionTimeout,
        TerminateCause::AdminReset,
        TerminateCause::AdminReboot,
        TerminateCause::PortError,
        TerminateCause::NasError,
        TerminateCause::NasRequest,
        TerminateCause::NasReboot,
        TerminateCause::PortUnneeded,
        TerminateCause::ServiceUnavailable,
        TerminateCause::UserError,
    ];

    /// The value on the wire.
    pub fn number(self) -> u32 {
        self as u32
    }
}
