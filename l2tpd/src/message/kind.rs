//! Control message types (§3.2).

/// A control message type; 5 and 13 are reserved and therefore unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// 1: Start-Control-Connection-Request.
    Sccrq,
    /// 2: Start-Control-Connection-Reply.
    Sccrp,
    /// 3: Start-Control-Connection-Connected.
    Scccn,
    /// 4: Stop-Control-Connection-Notification.
    StopCcn,
    /// 6: Hello (keepalive).
    Hello,
    /// 7: Outgoing-Call-Request.
    Ocrq,
    /// 8: Outgoing-Call-Reply.
    Ocrp,
    /// 9: Outgoing-Call-Connected.
    Occn,
    /// 10: Incoming-Call-Request.
    Icrq,
    /// 11: Incoming-Call-Reply.
    Icrp,
    /// 12: Incoming-Call-Connected.
    Iccn,
    /// 14: Call-Disconnect-Notify.
    Cdn,
    /// 15: WAN-Error-Notify.
    Wen,
    /// 16: Set-Link-Info.
    Sli,
}

impl MessageType {
    /// Maps a Message Type AVP value; `None` for reserved or unknown values.
    pub fn from_u16(value: u16) -> Option<Self> {
        use MessageType::*;
        Some(match value {
            1 => Sccrq,
            2 => Sccrp,
            3 => Scccn,
            4 => StopCcn,
            6 => Hello,
            7 => Ocrq,
            8 => Ocrp,
            9 => Occn,
            10 => Icrq,
            11 => Icrp,
            12 => Iccn,
            14 => Cdn,
            15 => Wen,
            16 => Sli,
            _ => return None,
        })
    }

    /// The Message Type AVP value.
    pub fn to_u16(self) -> u16 {
        use MessageType::*;
        match self {
            Sccrq => 1,
            Sccrp => 2,
            Scccn => 3,
            StopCcn => 4,
            Hello => 6,
            Ocrq => 7,
            Ocrp => 8,
            Occn => 9,
            Icrq => 10,
            Icrp => 11,
            Iccn => 12,
            Cdn => 14,
            Wen => 15,
            Sli => 16,
        }
    }

    /// Call management and link status messages belong to a session; the rest to the tunnel.
    pub fn is_session_level(self) -> bool {
        use MessageType::*;
        !matches!(self, Sccrq | Sccrp | Scccn | StopCcn | Hello)
    }

    /// Short name for logs ("SCCRQ", "ICCN", ...).
    pub fn name(self) -> &'static str {
        use MessageType::*;
        match self {
            Sccrq => "SCCRQ",
            Sccrp => "SCCRP",
            Scccn => "SCCCN",
            StopCcn => "StopCCN",
            Hello => "HELLO",
            Ocrq => "OCRQ",
            Ocrp => "OCRP",
            Occn => "OCCN",
            Icrq => "ICRQ",
            Icrp => "ICRP",
            Iccn => "ICCN",
            Cdn => "CDN",
            Wen => "WEN",
            Sli => "SLI",
        }
    }
}
