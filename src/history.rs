//! Session history: one JSON line per session start and stop, appended to a file.

use serde::Serialize;

use crate::ipsec::IpsecSa;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// The protocol that carried a session and its identifiers in it (ours, as in the logs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Carrier {
    /// PPTP: the call.
    Pptp {
        /// Our call ID.
        call_id: u16,
    },
    /// L2TP: the tunnel and the session in it.
    L2tp {
        /// Our tunnel ID.
        tunnel_id: u16,
        /// Our session ID in that tunnel.
        l2tp_session_id: u16,
    },
}

impl Carrier {
    /// `"pptp"` or `"l2tp"`.
    pub fn protocol(&self) -> &'static str {
        match self {
            Carrier::Pptp { .. } => "pptp",
            Carrier::L2tp { .. } => "l2tp",
        }
    }
}

/// What the history remembers about one session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// Daemon-wide session number.
    pub session: u64,
    /// User name as the peer sent it.
    pub user: String,
    /// The peer's address and port (PPTP: the control connection's).
    pub peer: SocketAddr,
    /// The protocol and its call or tunnel/session IDs.
    pub carrier: Carrier,
    /// The client's tunnel address.
    pub address: Ipv4Addr,
    /// When the session came up.
    pub start: SystemTime,
    /// Bytes received from the client.
    pub bytes_in: u64,
    /// Bytes sent to the client.
    pub bytes_out: u64,
    /// Packets received from the client.
    pub packets_in: u64,
    /// Packets sent to the client.
    pub packets_out: u64,
    /// L2TP/IPsec: the SA the session's L2TP came through.
    pub ipsec: Option<Arc<IpsecSa>>,
}

/// The JSON shape of a history line; stop-only fields are left out of start lines.
#[derive(Serialize)]
struct Line<'a> {
    event: &'static str,
    session: u64,
    user: &'a str,
    peer: String,
    protocol: &'a str,
    #[serde(flatten)]
    carrier: Carrier,
    address: String,
    start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    counters: Option<Counters>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ipsec: Option<&'a IpsecSa>,
}

#[derive(Serialize)]
struct Counters {
    bytes_in: u64,
    bytes_out: u64,
    packets_in: u64,
    packets_out: u64,
}

impl SessionRecord {
    /// A record with zero counters.
    pub fn new(
        session: u64,
        user: &str,
        peer: SocketAddr,
        carrier: Carrier,
        address: Ipv4Addr,
        start: SystemTime,
    ) -> Self {
        SessionRecord {
            session,
            user: user.to_owned(),
            peer,
            carrier,
            address,
            start,
            bytes_in: 0,
            bytes_out: 0,
            packets_in: 0,
            packets_out: 0,
            ipsec: None,
        }
    }

    /// The `"event":"start"` line (no trailing newline).
    pub fn start_line(&self) -> String {
        self.line("start", None)
    }

    /// The `"event":"stop"` line with the end time, counters and `cause` (no trailing newline).
    pub fn stop_line(&self, end: SystemTime, cause: &str) -> String {
        self.line("stop", Some((end, cause)))
    }

    fn line(&self, event: &'static str, stop: Option<(SystemTime, &str)>) -> String {
        let line = Line {
            event,
            session: self.session,
            user: &self.user,
            peer: self.peer.to_string(),
            protocol: self.carrier.protocol(),
            carrier: self.carrier,
            address: self.address.to_string(),
            start: rfc3339(self.start),
            end: stop.map(|(end, _)| rfc3339(end)),
            counters: stop.map(|_| Counters {
                bytes_in: self.bytes_in,
                bytes_out: self.bytes_out,
                packets_in: self.packets_in,
                packets_out: self.packets_out,
            }),
            cause: stop.map(|(_, cause)| cause),
            ipsec: self.ipsec.as_deref(),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }
}

/// The history file. Each line is appended with one `write` on a file opened for that line,
/// so external log rotation needs no signal.
#[derive(Clone, Debug)]
pub struct History {
    path: PathBuf,
}

impl History {
    /// Creates the file (mode 0640) and its directory when missing, and checks it is writable.
    pub fn open(path: &Path) -> io::Result<History> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let history = History {
            path: path.to_owned(),
        };
        history.append(b"")?;
        Ok(history)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `line` and a newline; an error is logged, not returned (sessions go on).
    pub fn write_line(&self, line: &str) {
        if let Err(e) = self.try_write_line(line) {
            tracing::error!(file = %self.path.display(), error = %e, "cannot write the session history");
        }
    }

    /// Appends `line` and a newline.
    pub fn try_write_line(&self, line: &str) -> io::Result<()> {
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        self.append(&buf)
    }

    fn append(&self, data: &[u8]) -> io::Result<()> {
        let mut f = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o640)
            .open(&self.path)?;
        f.write_all(data)
    }
}

/// RFC 3339 UTC time with whole seconds, e.g. `2024-03-01T12:00:00Z` (times before 1970 clamp).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests;
