//! `rasd bench`'s command line.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{bail, Result};
use pppd::auth::Method;

use super::options::{BenchOptions, Protocol};

/// `rasd bench l2tp|pptp SERVER ...`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// l2tp or pptp.
    #[arg(value_parser = ["l2tp", "pptp"])]
    pub protocol: String,
    /// Server address, with or without a port (default 1701 for L2TP, 1723 for PPTP).
    pub server: String,
    /// L2TP: tunnels to open.
    #[arg(long, default_value_t = 1)]
    pub tunnels: usize,
    /// L2TP: sessions per tunnel. PPTP: calls in all.
    #[arg(long, default_value_t = 1)]
    pub sessions: usize,
    /// User name of every session.
    #[arg(long)]
    pub user: String,
    /// Its password.
    #[arg(long)]
    pub password: String,
    /// Authentication: mschapv2, mschapv1, chap-md5 or pap.
    #[arg(long, default_value = "mschapv2")]
    pub auth: Method,
    /// MPPE: 128 (required) or none.
    #[arg(long, default_value = "none", value_parser = ["128", "none"])]
    pub mppe: String,
    /// L2TP tunnel secret.
    #[arg(long)]
    pub secret: Option<String>,
    /// Sessions started per second (0: as fast as --max-in-setup allows).
    #[arg(long, default_value_t = 0)]
    pub rate: u32,
    /// Most sessions in setup at once.
    #[arg(long, default_value_t = 256)]
    pub max_in_setup: usize,
    /// L2TP: most tunnels in setup at once (an LNS bounds them per peer: rasd's default is 8).
    #[arg(long, default_value_t = 8)]
    pub max_tunnels_in_setup: usize,
    /// Seconds the setup phase may take at most.
    #[arg(long, default_value_t = 60)]
    pub setup_timeout: u64,
    /// Seconds to hold every session up once set up.
    #[arg(long, default_value_t = 5)]
    pub hold: u64,
    /// Probe traffic during the hold: ICMP echo packets of this many bytes to the server's
    /// end of each session (0: none).
    #[arg(long, default_value_t = 0)]
    pub packet_size: usize,
    /// Probes per second per session.
    #[arg(long, default_value_t = 10)]
    pub packets_per_second: u32,
    /// Local IPv4 address for the generator's sockets.
    #[arg(long)]
    pub bind: Option<Ipv4Addr>,
    /// Prints the report as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Exits non-zero unless every session came up, stayed up, passed every probe intact and
    /// was torn down cleanly.
    #[arg(long)]
    pub check: bool,
}

impl BenchArgs {
    /// The options these arguments ask for.
    pub fn options(&self) -> Result<BenchOptions> {
        let (protocol, port, tunnels) = match self.protocol.as_str() {
            "l2tp" => (Protocol::L2tp, 1701, self.tunnels),
            _ => (Protocol::Pptp, 1723, 1),
        };
        if protocol == Protocol::Pptp && self.tunnels != 1 {
            bail!("--tunnels is for L2TP; PPTP takes --sessions calls");
        }
        let server = match self.server.parse::<SocketAddr>() {
            Ok(addr) => addr,
            Err(_) => match self.server.parse::<IpAddr>() {
                Ok(ip) => SocketAddr::new(ip, port),
                Err(_) => bail!("not an address: {}", self.server),
            },
        };
        Ok(BenchOptions {
            protocol,
            server,
            tunnels,
            sessions_per_tunnel: self.sessions,
            user: self.user.clone(),
            password: self.password.clone(),
            auth: self.auth,
            mppe: self.mppe == "128",
            secret: self.secret.clone(),
            rate: self.rate,
            max_in_setup: self.max_in_setup,
            max_tunnels_in_setup: self.max_tunnels_in_setup,
            setup_timeout: Duration::from_secs(self.setup_timeout),
            hold: Duration::from_secs(self.hold),
            packet_size: self.packet_size,
            packets_per_second: self.packets_per_second,
            bind: self.bind,
        })
    }
}
