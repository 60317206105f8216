//! The validated configuration, with defaults applied and plain types.

use crate::pool::AddrRange;
pub use pppd::auth::Method as AuthMethod;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// The whole validated configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The file it was loaded from.
    pub path: PathBuf,
    /// `[server]`.
    pub server: ServerConfig,
    /// `[pptp]`.
    pub pptp: PptpConfig,
    /// `[l2tp]`.
    pub l2tp: L2tpConfig,
    /// `[ppp]`.
    pub ppp: PppConfig,
    /// `[ip]`.
    pub ip: IpConfig,
    /// `[radius]`.
    pub radius: RadiusConfig,
    /// `[ipsec]`.
    pub ipsec: IpsecConfig,
}

/// `[server]`: daemon-wide settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// Our name (CHAP challenges, PPTP host name).
    pub name: String,
    /// Most sessions at once, all protocols together.
    pub max_sessions: usize,
    /// JSON-lines session history (resolved against the config file's directory).
    pub history_file: PathBuf,
    /// Local users file (resolved against the config file's directory).
    pub users_file: PathBuf,
    /// Name of the shared TUN device.
    pub tun_name: String,
    /// How often the summary line (sessions up, came up, ended, failed by cause) is logged
    /// when anything happened; `None` when off (`summary_interval = 0`).
    pub summary_interval: Option<Duration>,
    /// The DSCP (0 to 63) put on datagrams that keep sessions alive (L2TP control messages, PPP
    /// control frames, PPTP acknowledgments), so that routers can send them ahead of data; 0:
    /// none (the socket's own, normally best effort).
    pub control_dscp: u8,
    /// Where logins are checked, in order: a backend that does not know the user passes it on.
    pub auth_backends: Vec<AuthBackend>,
}

/// Where a login is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthBackend {
    /// The local users file.
    Local,
    /// The `[[radius.server]]`s.
    Radius,
}

/// `[radius]`: RADIUS servers, the NAS identity sent to them, and the transport's timing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RadiusConfig {
    /// The servers; empty when RADIUS is not used.
    pub servers: Vec<RadiusServer>,
    /// NAS-Identifier (default: `[server] name`).
    pub nas_identifier: String,
    /// NAS-IP-Address or NAS-IPv6-Address, if set.
    pub nas_ip_address: Option<std::net::IpAddr>,
    /// Wait for the first answer before retransmitting (doubling up to four times this).
    pub timeout: Duration,
    /// Retransmissions to one server before trying the next.
    pub retries: u32,
    /// How long a server that stopped answering is skipped.
    pub dead_time: Duration,
    /// Refuse replies without a valid Message-Authenticator (Blast-RADIUS).
    pub require_message_authenticator: bool,
    /// Requests out at once; beyond it (and an equal queue) logins are refused.
    pub max_in_flight: usize,
    /// Seconds between a session's Interim-Updates (0: none).
    pub interim_interval: Duration,
    /// Where accounting records wait until a server acknowledged them.
    pub spool_dir: PathBuf,
    /// Most bytes the spool may hold; records beyond it are refused and logged.
    pub spool_limit: u64,
    /// Where the dynamic authorization server (RFC 5176) listens; None: off.
    pub dae_listen: Option<SocketAddr>,
    /// Who may send it Disconnect-Requests and CoA-Requests.
    pub dae_clients: Vec<DaeClientConfig>,
}

impl RadiusConfig {
    /// Whether any server takes Accounting-Requests.
    pub fn accounting(&self) -> bool {
        self.servers
            .iter()
            .any(|s| s.purpose == radius::Purpose::Accounting)
    }
}

/// One `[[radius.dae_client]]`. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct DaeClientConfig {
    /// Its source address.
    pub address: std::net::IpAddr,
    /// Shared secret.
    pub secret: String,
}

impl std::fmt::Debug for DaeClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaeClientConfig")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// One `[[radius.server]]`. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct RadiusServer {
    /// Address and port (1812 when left out).
    pub address: SocketAddr,
    /// Shared secret.
    pub secret: String,
    /// Lower is tried first.
    pub priority: u32,
    /// Authentication or accounting.
    pub purpose: radius::Purpose,
}

impl std::fmt::Debug for RadiusServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RadiusServer")
            .field("address", &self.address)
            .field("priority", &self.priority)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// `[pptp]`: the PPTP listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PptpConfig {
    /// Whether PPTP is served at all.
    pub enabled: bool,
    /// TCP addresses to listen on.
    pub listen: Vec<SocketAddr>,
    /// MPPE policy for PPTP sessions.
    pub mppe: MppePolicy,
    /// Tunnel MTU (and PPP MRU); TCP MSS is clamped to `mtu - 40`.
    pub mtu: u16,
    /// Most control connections from one peer IP address.
    pub max_connections_per_peer: u32,
    /// Most calls on one control connection.
    pub max_calls_per_connection: u16,
}

/// `[l2tp]`: the L2TPv2 (RFC 2661) LNS on UDP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2tpConfig {
    /// Whether L2TP is served at all.
    pub enabled: bool,
    /// UDP addresses to listen on.
    pub listen: Vec<SocketAddr>,
    /// Shared secret for tunnel authentication and hidden AVPs; `None` when unset or empty.
    pub secret: Option<String>,
    /// Hide sensitive AVPs we send (needs `secret`).
    pub hide_avps: bool,
    /// Idle time on a tunnel before we send a HELLO (1 to 3600 s).
    pub hello_interval: Duration,
    /// First control-message retransmission timeout (1 to 10 s).
    pub retransmit_initial: Duration,
    /// Cap on the doubling retransmission timeout (`retransmit_initial` to 60 s).
    pub retransmit_max: Duration,
    /// Retransmissions before the tunnel is torn down (1 to 20).
    pub retransmit_attempts: u32,
    /// Receive Window Size we advertise (1 to 1024).
    pub receive_window: u16,
    /// Most tunnels at once.
    pub max_tunnels: usize,
    /// Most tunnels still in setup from one peer address.
    pub max_tunnels_in_setup_per_peer: usize,
    /// Most tunnels still in setup from all peers together.
    pub max_tunnels_in_setup: usize,
    /// SCCRQs that may start a tunnel per second (the excess is dropped and counted).
    pub max_tunnel_setups_per_second: u32,
    /// SO_RCVBUF and SO_SNDBUF of every L2TP socket, in bytes.
    pub socket_buffer: usize,
    /// Most sessions on one tunnel (1 to 65535).
    pub max_sessions_per_tunnel: u16,
    /// MPPE policy for L2TP sessions (clients using IPsec do not negotiate MPPE).
    pub mppe: MppePolicy,
    /// Tunnel MTU (and PPP MRU), 576 to 1500; TCP MSS is clamped to `mtu - 40`.
    pub mtu: u16,
    /// What to do with a LAC's proxy LCP and authentication, unless a peer section says otherwise.
    pub proxy_auth: ProxyAuth,
    /// `[[l2tp.peer]]` sections: settings for LACs by address or prefix.
    pub peers: Vec<L2tpPeer>,
    /// Refuse L2TP that did not come through IPsec (default: on when `[ipsec]` is).
    pub require_ipsec: bool,
}

/// A LAC's proxy LCP and authentication (RFC 2661 §4.4.5): use them or start PPP afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyAuth {
    /// Ignore them: negotiate LCP and authenticate the client again.
    Renegotiate,
    /// Verify the proxied PAP, CHAP or MS-CHAPv1 answer with our users; when it is right, take
    /// over the LAC's LCP and skip authentication. Anything else is renegotiated.
    Trust,
}

/// An IPv4 or IPv6 address with a prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerNet {
    /// The network address (host bits zero).
    pub addr: std::net::IpAddr,
    /// Prefix length (32 or 128: one address).
    pub prefix: u8,
}

/// `[[l2tp.peer]]`: the settings of the LACs inside `net`, each defaulting to `[l2tp]`'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2tpPeer {
    /// Which source addresses this section applies to.
    pub net: PeerNet,
    /// Tunnel secret for these peers; `None` = no tunnel authentication.
    pub secret: Option<String>,
    /// Hide sensitive AVPs we send.
    pub hide_avps: bool,
    /// What to do with their proxy LCP and authentication.
    pub proxy_auth: ProxyAuth,
    /// Refuse their L2TP unless it came through IPsec.
    pub require_ipsec: bool,
}

/// `[ppp]`: PPP negotiation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PppConfig {
    /// Acceptable authentication methods, in preference order (never empty).
    pub auth: Vec<AuthMethod>,
    /// Authentication attempts before the link is closed (at least 1).
    pub auth_attempts: u32,
    /// Offer/accept 128-bit MPPE.
    pub mppe_128: bool,
    /// Offer/accept 40-bit MPPE.
    pub mppe_40: bool,
    /// Allow stateful MPPE when the peer asks for it.
    pub mppe_stateful: bool,
    /// Steer clients to stateful MPPE (Nak H=0) when they offer both; needs `mppe_stateful`.
    pub mppe_prefer_stateful: bool,
    /// LCP echo interval; `None` when off (`lcp_echo_interval = 0`).
    pub lcp_echo_interval: Option<Duration>,
    /// Unanswered echoes before the peer is declared dead (at least 1).
    pub lcp_echo_failures: u32,
    /// Negotiate IPV6CP.
    pub ipv6: bool,
}

/// `[ip]`: addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpConfig {
    /// Our tunnel-end address (never in a pool).
    pub local: Ipv4Addr,
    /// Client address ranges, disjoint, CIDR network/broadcast already excluded.
    pub pools: Vec<AddrRange>,
    /// DNS servers given to clients (0 to 2).
    pub dns: Vec<Ipv4Addr>,
    /// WINS servers given to clients (0 to 2).
    pub wins: Vec<Ipv4Addr>,
    /// Give a returning user their previous address when free.
    pub sticky: bool,
    /// `[[ip.pool]]`: pools a login server names (RADIUS Framed-Pool), disjoint from `pools`.
    pub named_pools: Vec<NamedPool>,
}

/// One `[[ip.pool]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedPool {
    /// The name a login server gives (Framed-Pool).
    pub name: String,
    /// Its address ranges.
    pub ranges: Vec<AddrRange>,
}

/// MPPE policy (`require`, `allow`, `refuse`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MppePolicy {
    /// Sessions without MPPE are terminated.
    Require,
    /// MPPE when the peer agrees.
    Allow,
    /// Never MPPE.
    Refuse,
}

impl FromStr for MppePolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "require" => Ok(MppePolicy::Require),
            "allow" => Ok(MppePolicy::Allow),
            "refuse" => Ok(MppePolicy::Refuse),
            _ => Err(format!(
                "unknown mppe policy `{s}` (expected `require`, `allow` or `refuse`)"
            )),
        }
    }
}

impl PppConfig {
    /// Whether an enabled method needs clear-text passwords in the users file: only CHAP-MD5
    /// does (PAP and MS-CHAP verify against the NT hash).
    pub fn needs_passwords(&self) -> bool {
        self.auth.contains(&AuthMethod::ChapMd5)
    }
}

impl IpConfig {
    /// Number of addresses in the pools.
    pub fn pool_size(&self) -> u64 {
        self.pools.iter().map(|r| r.len()).sum()
    }
}

impl Default for Config {
    /// The built-in defaults, as for an empty file at [`super::DEFAULT_CONFIG_PATH`].
    fn default() -> Self {
        Config::parse("", std::path::Path::new(super::DEFAULT_CONFIG_PATH))
            .expect("the defaults are valid")
    }
}

impl PptpConfig {
    /// The largest TCP MSS for IPv4 through the tunnel (`mtu - 40`).
    pub fn max_mss(&self) -> u16 {
        self.mtu - 40
    }
}

impl L2tpConfig {
    /// The largest TCP MSS for IPv4 through the tunnel (`mtu - 40`).
    pub fn max_mss(&self) -> u16 {
        self.mtu - 40
    }
}

/// `[ipsec]`: L2TP/IPsec (RFC 3193) through strongSwan's charon, driven over VICI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpsecConfig {
    /// Whether rasd loads its connection into charon.
    pub enabled: bool,
    /// charon's VICI socket.
    pub vici_socket: PathBuf,
    /// How clients authenticate.
    pub auth: IpsecAuth,
    /// IKE (Main Mode) proposals, in our order of preference.
    pub ike_proposals: Vec<String>,
    /// ESP proposals, in our order of preference.
    pub esp_proposals: Vec<String>,
    /// Dead-peer-detection interval; zero = off.
    pub dpd_delay: Duration,
    /// How long a peer may stay silent to DPD before its SAs are closed.
    pub dpd_timeout: Duration,
    /// Lifetime of the IKE SA before it is renewed.
    pub ike_rekey_time: Duration,
    /// Lifetime of each ESP SA pair before it is rekeyed.
    pub child_rekey_time: Duration,
}

/// How L2TP/IPsec clients authenticate in Main Mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpsecAuth {
    /// `[ipsec]` is off and names no credential.
    None,
    /// A pre-shared key.
    Psk(String),
    /// Certificates: ours, and the CA that signs the clients'.
    Certificate(IpsecCertificate),
    /// Either: a PSK client and a certificate client may both connect.
    Both(String, IpsecCertificate),
}

impl IpsecAuth {
    /// The pre-shared key, when clients may use one.
    pub fn psk(&self) -> Option<&str> {
        match self {
            IpsecAuth::Psk(k) | IpsecAuth::Both(k, _) => Some(k),
            _ => None,
        }
    }

    /// Our certificate and the clients' CA, when clients may use certificates.
    pub fn certificate(&self) -> Option<&IpsecCertificate> {
        match self {
            IpsecAuth::Certificate(c) | IpsecAuth::Both(_, c) => Some(c),
            _ => None,
        }
    }
}

/// The server certificate, its private key and the CA of client certificates, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpsecCertificate {
    /// Where the certificate was read from.
    pub certificate: PathBuf,
    /// Where the private key was read from.
    pub private_key: PathBuf,
    /// Where the CA certificate was read from.
    pub ca: PathBuf,
    /// The certificate (PEM).
    pub cert_pem: Vec<u8>,
    /// The private key (PEM).
    pub key_pem: Vec<u8>,
    /// The CA certificate (PEM).
    pub ca_pem: Vec<u8>,
}
