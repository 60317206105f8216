//! Accounting records (RFC 2866): what a Start, Interim-Update, Stop, Accounting-On or -Off
//! carries, and the plain form they are spooled in (attributes as hex, the event's time).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use radius::attr::value::{
    TerminateCause, ACCT_AUTHENTIC_LOCAL, ACCT_AUTHENTIC_RADIUS, ACCT_STATUS_ACCOUNTING_OFF,
    ACCT_STATUS_ACCOUNTING_ON, ACCT_STATUS_INTERIM_UPDATE, ACCT_STATUS_START, ACCT_STATUS_STOP,
};
use radius::attr::{self, AttrType, Attribute, Attributes};
use radius::wire::Code;
use radius::Request;
use serde::{Deserialize, Serialize};

use crate::config::RadiusConfig;
use crate::history::Carrier;
use crate::ipsec::IpsecSa;
use crate::link::Counters;
use crate::radius::auth::{acct_session_id, add_nas, add_nas_identity, LoginOrigin};
use l2tpd::tunnel::CallNumbers;

/// Which record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The session's network is up.
    Start,
    /// Counters so far.
    Interim,
    /// The session ended.
    Stop,
    /// The NAS started.
    On,
    /// The NAS stops.
    Off,
}

impl Kind {
    /// The name in spool file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Start => "start",
            Kind::Interim => "interim",
            Kind::Stop => "stop",
            Kind::On => "on",
            Kind::Off => "off",
        }
    }
}

/// One record as it is spooled: its kind and session, when it happened (Unix seconds; the
/// Acct-Delay-Time of a send counts from it), and its attributes as (vendor, type, hex value).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Which record.
    pub kind: Kind,
    /// The daemon's session number (the boot's for On and Off).
    pub session: u64,
    /// When the event happened.
    pub time: u64,
    /// The attributes, Acct-Delay-Time aside.
    pub attributes: Vec<(u32, u8, String)>,
}

impl Record {
    fn new(kind: Kind, session: u64, time: SystemTime, attributes: &Attributes) -> Self {
        let attributes = attributes
            .iter()
            .map(|a| (a.typ.vendor, a.typ.code, hex(&a.value)))
            .collect();
        Record {
            kind,
            session,
            time: unix(time),
            attributes,
        }
    }

    /// The Accounting-Request to send at `now`, Acct-Delay-Time counting from the event.
    pub fn request(&self, now: SystemTime) -> Request {
        let mut attributes: Attributes = self
            .attributes
            .iter()
            .filter_map(|(vendor, code, value)| {
                Some(Attribute::octets(
                    AttrType::vendor(*vendor, *code),
                    &unhex(value)?,
                ))
            })
            .collect();
        let delay = unix(now).saturating_sub(self.time);
        attributes.push(Attribute::integer(
            attr::ACCT_DELAY_TIME,
            u32::try_from(delay).unwrap_or(u32::MAX),
        ));
        Request {
            code: Code::AccountingRequest,
            attributes,
        }
    }

    /// Accounting-On or -Off for the boot named `boot`.
    pub fn nas(kind: Kind, boot: u64, cfg: &RadiusConfig, now: SystemTime) -> Self {
        let status = match kind {
            Kind::Off => ACCT_STATUS_ACCOUNTING_OFF,
            _ => ACCT_STATUS_ACCOUNTING_ON,
        };
        let mut a = Attributes::new();
        a.push(Attribute::integer(attr::ACCT_STATUS_TYPE, status));
        add_nas_identity(&mut a, cfg);
        a.push(Attribute::string(
            attr::ACCT_SESSION_ID,
            &acct_session_id(boot),
        ))
        .push(Attribute::integer(attr::EVENT_TIMESTAMP, unix32(now)));
        Record::new(kind, boot, now, &a)
    }
}

/// What accounting knows of a session from its start.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// Daemon-wide session number.
    pub session: u64,
    /// User name as the peer sent it.
    pub user: String,
    /// The client's transport address.
    pub peer: SocketAddr,
    /// The protocol and its call or tunnel/session IDs.
    pub carrier: Carrier,
    /// The client's tunnel address.
    pub address: Ipv4Addr,
    /// When the network came up.
    pub start: SystemTime,
    /// L2TP: the LAC's Calling and Called Number (as in the Access-Request).
    pub numbers: CallNumbers,
    /// The Access-Accept's Class values, echoed in every record (RFC 2865 §5.25).
    pub class: Vec<Vec<u8>>,
    /// The Access-Accept's Acct-Interim-Interval (None: `[radius] interim_interval`).
    pub interim: Option<Duration>,
    /// RADIUS judged the login (Acct-Authentic RADIUS, else Local).
    pub by_radius: bool,
    /// L2TP/IPsec: the SA the session's L2TP came through.
    pub ipsec: Option<Arc<IpsecSa>>,
}

impl SessionInfo {
    /// The Start record.
    pub fn start(&self, cfg: &RadiusConfig) -> Record {
        Record::new(
            Kind::Start,
            self.session,
            self.start,
            &self.base(ACCT_STATUS_START, cfg, self.start),
        )
    }

    /// An Interim-Update with the counters `c` at `now`.
    pub fn interim(&self, cfg: &RadiusConfig, c: &Counters, now: SystemTime) -> Record {
        let mut a = self.base(ACCT_STATUS_INTERIM_UPDATE, cfg, now);
        self.usage(&mut a, c, now);
        Record::new(Kind::Interim, self.session, now, &a)
    }

    /// The Stop with the counters `c` at `now` and `cause`.
    pub fn stop(
        &self,
        cfg: &RadiusConfig,
        c: &Counters,
        now: SystemTime,
        cause: TerminateCause,
    ) -> Record {
        let mut a = self.base(ACCT_STATUS_STOP, cfg, now);
        self.usage(&mut a, c, now);
        a.push(Attribute::integer(
            attr::ACCT_TERMINATE_CAUSE,
            cause.number(),
        ));
        Record::new(Kind::Stop, self.session, now, &a)
    }

    fn base(&self, status: u32, cfg: &RadiusConfig, now: SystemTime) -> Attributes {
        let mut a = Attributes::new();
        a.push(Attribute::integer(attr::ACCT_STATUS_TYPE, status))
            .push(Attribute::string(attr::USER_NAME, &self.user));
        let origin = LoginOrigin {
            session: self.session,
            peer: self.peer,
            carrier: self.carrier,
            numbers: self.numbers.clone(),
        };
        add_nas(&mut a, &origin, cfg);
        a.push(Attribute::ipv4(attr::FRAMED_IP_ADDRESS, self.address))
            .push(Attribute::integer(attr::EVENT_TIMESTAMP, unix32(now)));
        for class in &self.class {
            a.push(Attribute::octets(attr::CLASS, class));
        }
        let authentic = if self.by_radius {
            ACCT_AUTHENTIC_RADIUS
        } else {
            ACCT_AUTHENTIC_LOCAL
        };
        a.push(Attribute::integer(attr::ACCT_AUTHENTIC, authentic));
        a
    }

    fn usage(&self, a: &mut Attributes, c: &Counters, now: SystemTime) {
        let time = now.duration_since(self.start).map_or(0, |d| d.as_secs());
        let low = |n: u64| (n & 0xffff_ffff) as u32;
        let high = |n: u64| u32::try_from(n >> 32).unwrap_or(u32::MAX);
        a.push(Attribute::integer(
            attr::ACCT_SESSION_TIME,
            u32::try_from(time).unwrap_or(u32::MAX),
        ))
        .push(Attribute::integer(attr::ACCT_INPUT_OCTETS, low(c.bytes_in)))
        .push(Attribute::integer(
            attr::ACCT_INPUT_GIGAWORDS,
            high(c.bytes_in),
        ))
        .push(Attribute::integer(
            attr::ACCT_OUTPUT_OCTETS,
            low(c.bytes_out),
        ))
        .push(Attribute::integer(
            attr::ACCT_OUTPUT_GIGAWORDS,
            high(c.bytes_out),
        ))
        .push(Attribute::integer(
            attr::ACCT_INPUT_PACKETS,
            low(c.packets_in),
        ))
        .push(Attribute::integer(
            attr::ACCT_OUTPUT_PACKETS,
            low(c.packets_out),
        ));
    }
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn unix32(t: SystemTime) -> u32 {
    u32::try_from(unix(t)).unwrap_or(u32::MAX)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests;
