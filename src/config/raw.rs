//! The configuration file as written: every key optional, spans kept for error messages.

use serde::Deserialize;
use toml::Spanned;

/// A value with the byte range it came from.
pub(super) type S<T> = Spanned<T>;

/// The whole file.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub server: RawServer,
    #[serde(default)]
    pub pptp: RawPptp,
    #[serde(default)]
    pub l2tp: RawL2tp,
    #[serde(default)]
    pub ppp: RawPpp,
    #[serde(default)]
    pub ip: RawIp,
    #[serde(default)]
    pub radius: RawRadius,
    #[serde(default)]
    pub ipsec: RawIpsec,
}

/// `[server]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    pub name: Option<S<String>>,
    pub max_sessions: Option<S<i64>>,
    pub history_file: Option<S<String>>,
    pub users_file: Option<S<String>>,
    pub tun_name: Option<S<String>>,
    pub auth_backends: Option<S<Vec<S<String>>>>,
    pub summary_interval: Option<S<i64>>,
    pub control_dscp: Option<S<i64>>,
}

/// `[pptp]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPptp {
    pub enabled: Option<S<bool>>,
    pub listen: Option<S<Vec<S<String>>>>,
    pub mppe: Option<S<String>>,
    pub mtu: Option<S<i64>>,
    pub max_connections_per_peer: Option<S<i64>>,
    pub max_calls_per_connection: Option<S<i64>>,
}

/// `[l2tp]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawL2tp {
    pub enabled: Option<S<bool>>,
    pub listen: Option<S<Vec<S<String>>>>,
    pub secret: Option<S<String>>,
    pub hide_avps: Option<S<bool>>,
    pub hello_interval: Option<S<i64>>,
    pub retransmit_initial: Option<S<i64>>,
    pub retransmit_max: Option<S<i64>>,
    pub retransmit_attempts: Option<S<i64>>,
    pub receive_window: Option<S<i64>>,
    pub max_tunnels: Option<S<i64>>,
    pub max_tunnels_in_setup_per_peer: Option<S<i64>>,
    pub max_tunnels_in_setup: Option<S<i64>>,
    pub max_tunnel_setups_per_second: Option<S<i64>>,
    pub socket_buffer: Option<S<i64>>,
    pub max_sessions_per_tunnel: Option<S<i64>>,
    pub mppe: Option<S<String>>,
    pub mtu: Option<S<i64>>,
    pub proxy_auth: Option<S<String>>,
    pub require_ipsec: Option<S<bool>>,
    pub peer: Option<Vec<S<RawL2tpPeer>>>,
}

/// `[[l2tp.peer]]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawL2tpPeer {
    pub address: Option<S<String>>,
    pub secret: Option<S<String>>,
    pub hide_avps: Option<S<bool>>,
    pub proxy_auth: Option<S<String>>,
    pub require_ipsec: Option<S<bool>>,
}

/// `[ppp]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPpp {
    pub auth: Option<S<Vec<S<String>>>>,
    pub auth_attempts: Option<S<i64>>,
    pub mppe_128: Option<S<bool>>,
    pub mppe_40: Option<S<bool>>,
    pub mppe_stateful: Option<bool>,
    pub mppe_prefer_stateful: Option<bool>,
    pub lcp_echo_interval: Option<S<i64>>,
    pub lcp_echo_failures: Option<S<i64>>,
    pub ipv6: Option<bool>,
}

/// `[ip]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIp {
    pub local: Option<S<String>>,
    pub pools: Option<S<Vec<S<String>>>>,
    pub dns: Option<S<Vec<S<String>>>>,
    pub wins: Option<S<Vec<S<String>>>>,
    pub sticky: Option<bool>,
    pub pool: Option<Vec<S<RawNamedPool>>>,
}

/// `[[ip.pool]]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNamedPool {
    pub name: Option<S<String>>,
    pub ranges: Option<S<Vec<S<String>>>>,
}

/// `[radius]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRadius {
    pub nas_identifier: Option<S<String>>,
    pub nas_ip_address: Option<S<String>>,
    pub timeout: Option<S<i64>>,
    pub retries: Option<S<i64>>,
    pub dead_time: Option<S<i64>>,
    pub require_message_authenticator: Option<S<bool>>,
    pub max_in_flight: Option<S<i64>>,
    pub dae_listen: Option<S<String>>,
    pub interim_interval: Option<S<i64>>,
    pub spool_dir: Option<S<String>>,
    pub spool_limit: Option<S<i64>>,
    pub server: Option<Vec<S<RawRadiusServer>>>,
    pub dae_client: Option<Vec<S<RawDaeClient>>>,
}

/// `[[radius.dae_client]]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDaeClient {
    pub address: Option<S<String>>,
    pub secret: Option<S<String>>,
}

/// `[[radius.server]]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRadiusServer {
    pub address: Option<S<String>>,
    pub secret: Option<S<String>>,
    pub purpose: Option<S<String>>,
    pub priority: Option<S<i64>>,
}

/// `[ipsec]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIpsec {
    pub enabled: Option<S<bool>>,
    pub vici_socket: Option<S<String>>,
    pub psk: Option<S<String>>,
    pub psk_file: Option<S<String>>,
    pub certificate: Option<S<String>>,
    pub private_key: Option<S<String>>,
    pub ca: Option<S<String>>,
    pub ike_proposals: Option<S<Vec<S<String>>>>,
    pub esp_proposals: Option<S<Vec<S<String>>>>,
    pub allow_weak_proposals: Option<S<bool>>,
    pub dpd_delay: Option<S<i64>>,
    pub dpd_timeout: Option<S<i64>>,
    pub ike_rekey_time: Option<S<i64>>,
    pub child_rekey_time: Option<S<i64>>,
}
