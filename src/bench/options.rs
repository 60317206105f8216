//! What `rasd bench` is asked to do, checked before anything starts.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{bail, Result};
use pppd::auth::Method;
use pppd::config::{Config, MppePolicy, Role as PppRole};

/// Which protocol the generator speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// L2TPv2: `tunnels` tunnels of `sessions_per_tunnel` sessions each.
    L2tp,
    /// PPTP: one control connection per call, as Windows dials.
    Pptp,
}

/// The load: how many sessions, how fast, for how long, and what each one does.
#[derive(Clone, Debug)]
pub struct BenchOptions {
    /// L2TP or PPTP.
    pub protocol: Protocol,
    /// The server (LNS or PPTP server).
    pub server: SocketAddr,
    /// L2TP: tunnels to open.
    pub tunnels: usize,
    /// L2TP: sessions in each tunnel. PPTP: calls in all (`tunnels` is then 1).
    pub sessions_per_tunnel: usize,
    /// User name every session logs in with.
    pub user: String,
    /// Its password.
    pub password: String,
    /// The one authentication method the sessions accept.
    pub auth: Method,
    /// MPPE-128 required (true) or refused (false).
    pub mppe: bool,
    /// L2TP tunnel secret.
    pub secret: Option<String>,
    /// Sessions started per second (0: as fast as `max_in_setup` lets).
    pub rate: u32,
    /// Most sessions in setup at once.
    pub max_in_setup: usize,
    /// L2TP: most tunnels in setup at once (an LNS bounds tunnels in setup per peer; rasd's
    /// default is 8).
    pub max_tunnels_in_setup: usize,
    /// Longest the setup phase may take; sessions not up by then count as failed.
    pub setup_timeout: Duration,
    /// How long every session is held up once all are set up.
    pub hold: Duration,
    /// Traffic during the hold: ICMP echo packets of this many bytes (0: none).
    pub packet_size: usize,
    /// Echo requests per second per session.
    pub packets_per_second: u32,
    /// Local address to bind the generator's sockets to (None: the kernel chooses).
    pub bind: Option<Ipv4Addr>,
}

/// Smallest probe: IPv4 (20) + ICMP (8) + our 8-byte tag.
pub const MIN_PACKET: usize = 36;
/// Largest probe: what a 1400-byte MRU carries.
pub const MAX_PACKET: usize = 1400;

impl BenchOptions {
    /// Sessions in all.
    pub fn total(&self) -> usize {
        self.tunnels * self.sessions_per_tunnel
    }

    /// Refuses options that cannot make a bounded, meaningful run.
    pub fn check(&self) -> Result<()> {
        if self.total() == 0 {
            bail!("nothing to do: the run has no sessions");
        }
        if self.protocol == Protocol::L2tp && self.sessions_per_tunnel > 65535 {
            bail!("an L2TP tunnel carries at most 65,535 sessions");
        }
        if self.protocol == Protocol::Pptp && self.total() > 65535 {
            bail!("PPTP call IDs allow at most 65,535 calls");
        }
        if self.max_in_setup == 0 || self.max_tunnels_in_setup == 0 {
            bail!("--max-in-setup and --max-tunnels-in-setup must be at least 1");
        }
        if self.packet_size != 0 && !(MIN_PACKET..=MAX_PACKET).contains(&self.packet_size) {
            bail!("--packet-size must be 0 (no traffic) or {MIN_PACKET} to {MAX_PACKET} bytes");
        }
        if self.packet_size != 0 && !(1..=10_000).contains(&self.packets_per_second) {
            bail!("--packets-per-second must be 1 to 10000 per session");
        }
        if self.mppe && !matches!(self.auth, Method::MsChapV2 | Method::MsChapV1) {
            bail!("MPPE needs keys from MS-CHAP: use --auth mschapv2 (or --mppe none)");
        }
        Ok(())
    }

    /// The client-role PPP settings every session uses.
    pub fn ppp_config(&self) -> Config {
        Config {
            role: PppRole::Client,
            mru: 1400,
            auth_methods: vec![self.auth],
            credentials: Some((self.user.clone(), self.password.clone())),
            mppe: if self.mppe {
                MppePolicy::Require
            } else {
                MppePolicy::Refuse
            },
            mppe_128: self.mppe,
            mppe_40: false,
            local_ipv4: Ipv4Addr::UNSPECIFIED,
            ..Config::default()
        }
    }
}
