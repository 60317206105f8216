//! Packet codes (RFC 2865 §3, RFC 2866 §4, RFC 5176 §2.3).

use std::fmt;

/// A RADIUS packet code; codes this crate does not name are kept as `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// 1: Access-Request.
    AccessRequest,
    /// 2: Access-Accept.
    AccessAccept,
    /// 3: Access-Reject.
    AccessReject,
    /// 4: Accounting-Request.
    AccountingRequest,
    /// 5: Accounting-Response.
    AccountingResponse,
    /// 11: Access-Challenge.
    AccessChallenge,
    /// 40: Disconnect-Request.
    DisconnectRequest,
    /// 41: Disconnect-ACK.
    DisconnectAck,
    /// 42: Disconnect-NAK.
    DisconnectNak,
    /// 43: CoA-Request.
    CoaRequest,
    /// 44: CoA-ACK.
    CoaAck,
    /// 45: CoA-NAK.
    CoaNak,
    /// Any other code.
    Other(u8),
}

impl Code {
    /// The code's number on the wire.
    pub fn number(self) -> u8 {
        match self {
            Code::AccessRequest => 1,
            Code::AccessAccept => 2,
            Code::AccessReject => 3,
            Code::AccountingRequest => 4,
            Code::AccountingResponse => 5,
            Code::AccessChallenge => 11,
            Code::DisconnectRequest => 40,
            Code::DisconnectAck => 41,
            Code::DisconnectNak => 42,
            Code::CoaRequest => 43,
            Code::CoaAck => 44,
            Code::CoaNak => 45,
            Code::Other(n) => n,
        }
    }

    /// Whether a reply with code `reply` answers a request with this code.
    pub fn is_answered_by(self, reply: Code) -> bool {
        use Code::*;
        matches!(
            (self, reply),
            (AccessRequest, AccessAccept | AccessReject | AccessChallenge)
                | (AccountingRequest, AccountingResponse)
                | (DisconnectRequest, DisconnectAck | DisconnectNak)
                | (CoaRequest, CoaAck | CoaNak)
        )
    }

    /// The name RFCs and FreeRADIUS use.
    pub fn name(self) -> &'static str {
        match self {
            Code::AccessRequest => "Access-Request",
            Code::AccessAccept => "Access-Accept",
            Code::AccessReject => "Access-Reject",
            Code::AccountingRequest => "Accounting-Request",
            Code::AccountingResponse => "Accounting-Response",
            Code::AccessChallenge => "Access-Challenge",
            Code::DisconnectRequest => "Disconnect-Request",
            Code::DisconnectAck => "Disconnect-ACK",
            Code::DisconnectNak => "Disconnect-NAK",
            Code::CoaRequest => "CoA-Request",
            Code::CoaAck => "CoA-ACK",
            Code::CoaNak => "CoA-NAK",
            Code::Other(_) => "Unknown-Code",
        }
    }
}

impl From<u8> for Code {
    fn from(n: u8) -> Self {
        match n {
            1 => Code::AccessRequest,
            2 => Code::AccessAccept,
            3 => Code::AccessReject,
            4 => Code::AccountingRequest,
            5 => Code::AccountingResponse,
            11 => Code::AccessChallenge,
            40 => Code::DisconnectRequest,
            41 => Code::DisconnectAck,
            42 => Code::DisconnectNak,
            43 => Code::CoaRequest,
            44 => Code::CoaAck,
            45 => Code::CoaNak,
            n => Code::Other(n),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Other(n) => write!(f, "Code-{n}"),
            c => f.write_str(c.name()),
        }
    }
}

#[cfg(test)]
mod tests;
