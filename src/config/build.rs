//! Turns the raw file into a validated [`Config`], applying defaults.

use super::error::Source;
use super::ip::ip;
use super::l2tp_peer;
use super::raw::{RawConfig, RawL2tp, RawPpp, RawPptp, RawServer, S};
use super::types::*;
use super::values::{int, no_duplicates, parse_list, resolve, string, Result};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Validates `raw` (read from `src`) into a [`Config`].
pub(super) fn build(raw: RawConfig, src: &Source) -> Result<Config> {
    let dir = src.file.parent().unwrap_or(Path::new("")).to_owned();
    let pptp = pptp(&raw.pptp, src)?;
    let ipsec = super::ipsec::ipsec(&raw.ipsec, &dir, src)?;
    let l2tp = l2tp(&raw.l2tp, ipsec.enabled, src)?;
    if !pptp.enabled && !l2tp.enabled {
        let (sec, span) = match (&raw.l2tp.enabled, &raw.pptp.enabled) {
            (Some(b), _) => ("l2tp", b.span()),
            (None, Some(b)) => ("pptp", b.span()),
            (None, None) => ("l2tp", 0..0),
        };
        let msg = "nothing to serve: [pptp] and [l2tp] are both disabled";
        return Err(src.invalid(span, sec, "enabled", msg));
    }
    let protocols = [
        Protocol {
            sec: "pptp",
            enabled: pptp.enabled,
            mppe: pptp.mppe,
            raw_mppe: &raw.pptp.mppe,
            allow_needs_mppe: true,
        },
        Protocol {
            sec: "l2tp",
            enabled: l2tp.enabled,
            mppe: l2tp.mppe,
            raw_mppe: &raw.l2tp.mppe,
            allow_needs_mppe: false,
        },
    ];
    let ppp = ppp(&raw.ppp, &protocols, src)?;
    let mut server = server(&raw.server, &dir, src)?;
    let radius = super::radius::radius(&raw.radius, &server.name, &dir, src)?;
    server.auth_backends = super::radius::backends(&raw.server.auth_backends, &radius, src)?;
    Ok(Config {
        path: src.file.to_owned(),
        server,
        pptp,
        l2tp,
        ppp,
        ip: ip(&raw.ip, src)?,
        radius,
        ipsec,
    })
}

fn server(raw: &RawServer, dir: &Path, src: &Source) -> Result<ServerConfig> {
    const SEC: &str = "server";
    let name = string(src, SEC, "name", &raw.name, "rasd")?;
    let tun_name = string(src, SEC, "tun_name", &raw.tun_name, "rasd0")?;
    if let Some(t) = &raw.tun_name {
        let ok = tun_name.len() <= 15
            && tun_name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if !ok {
            return Err(src.invalid(
                t.span(),
                SEC,
                "tun_name",
                "an interface name is 1 to 15 letters, digits, `_`, `-` or `.`",
            ));
        }
    }
    let history = string(
        src,
        SEC,
        "history_file",
        &raw.history_file,
        "/var/log/rasd/history.jsonl",
    )?;
    let users = string(src, SEC, "users_file", &raw.users_file, "/etc/rasd/users")?;
    Ok(ServerConfig {
        name,
        max_sessions: int(
            src,
            SEC,
            "max_sessions",
            &raw.max_sessions,
            1000,
            1..=1_000_000,
        )? as usize,
        history_file: resolve(dir, &history),
        users_file: resolve(dir, &users),
        tun_name,
        summary_interval: match int(
            src,
            SEC,
            "summary_interval",
            &raw.summary_interval,
            60,
            0..=3600,
        )? {
            0 => None,
            n => Some(Duration::from_secs(n as u64)),
        },
        control_dscp: int(src, SEC, "control_dscp", &raw.control_dscp, 0, 0..=63)? as u8,
        auth_backends: Vec::new(), // set by `build`, which knows the RADIUS servers
    })
}

/// `enabled` and `mppe` of one tunnel protocol, for the checks in [`ppp`].
struct Protocol<'a> {
    sec: &'static str,
    enabled: bool,
    mppe: MppePolicy,
    raw_mppe: &'a Option<S<String>>,
    /// Whether `mppe = "allow"` with both MPPE strengths off is an error (for L2TP it only
    /// means no MPPE, the usual case under IPsec).
    allow_needs_mppe: bool,
}

/// A `listen` list of `address:port` (default `[default]`); empty only when `enabled` is off.
fn listen(
    src: &Source,
    sec: &str,
    what: &str,
    raw: &Option<S<Vec<S<String>>>>,
    enabled: bool,
    default: &str,
) -> Result<Vec<SocketAddr>> {
    match raw {
        None => Ok(vec![default.parse().expect("valid default")]),
        Some(list) => {
            let addrs: Vec<SocketAddr> = parse_list(src, sec, "listen", list, |s| {
                s.parse()
                    .map_err(|_| format!("`{s}` is not an address:port like \"{default}\""))
            })?;
            if enabled && addrs.is_empty() {
                let msg =
                    format!("no address to listen on (set `enabled = false` to turn {what} off)");
                return Err(src.invalid(list.span(), sec, "listen", &msg));
            }
            no_duplicates(src, sec, "listen", list, &addrs)?;
            Ok(addrs)
        }
    }
}

/// An MPPE policy, or `default`.
fn mppe(
    src: &Source,
    sec: &str,
    raw: &Option<S<String>>,
    default: MppePolicy,
) -> Result<MppePolicy> {
    match raw {
        None => Ok(default),
        Some(m) => m
            .get_ref()
            .parse()
            .map_err(|e: String| src.invalid(m.span(), sec, "mppe", &e)),
    }
}

fn pptp(raw: &RawPptp, src: &Source) -> Result<PptpConfig> {
    const SEC: &str = "pptp";
    let enabled = raw.enabled.as_ref().is_none_or(|b| *b.get_ref());
    Ok(PptpConfig {
        enabled,
        listen: listen(src, SEC, "PPTP", &raw.listen, enabled, "0.0.0.0:1723")?,
        mppe: mppe(src, SEC, &raw.mppe, MppePolicy::Require)?,
        mtu: int(src, SEC, "mtu", &raw.mtu, 1400, 576..=1500)? as u16,
        max_connections_per_peer: int(
            src,
            SEC,
            "max_connections_per_peer",
            &raw.max_connections_per_peer,
            16,
            1..=65535,
        )? as u32,
        max_calls_per_connection: int(
            src,
            SEC,
            "max_calls_per_connection",
            &raw.max_calls_per_connection,
            4,
            1..=65535,
        )? as u16,
    })
}

fn l2tp(raw: &RawL2tp, ipsec: bool, src: &Source) -> Result<L2tpConfig> {
    const SEC: &str = "l2tp";
    let enabled = raw.enabled.as_ref().is_none_or(|b| *b.get_ref());
    let secret = raw
        .secret
        .as_ref()
        .map(|s| s.get_ref().clone())
        .filter(|s| !s.is_empty());
    let hide_avps = raw.hide_avps.as_ref().is_some_and(|b| *b.get_ref());
    if let (Some(h), true, None) = (&raw.hide_avps, hide_avps, &secret) {
        let msg = "hiding AVPs needs a `secret`";
        return Err(src.invalid(h.span(), SEC, "hide_avps", msg));
    }
    let secs = |key, v, default, range| -> Result<Duration> {
        Ok(Duration::from_secs(
            int(src, SEC, key, v, default, range)? as u64
        ))
    };
    let retransmit_initial = secs("retransmit_initial", &raw.retransmit_initial, 1, 1..=10)?;
    // Unset, the cap follows a larger first timeout.
    let max_default = retransmit_initial.as_secs().max(8) as i64;
    let retransmit_max = secs("retransmit_max", &raw.retransmit_max, max_default, 1..=60)?;
    if let Some(m) = raw
        .retransmit_max
        .as_ref()
        .filter(|_| retransmit_max < retransmit_initial)
    {
        let msg = format!(
            "{} is below retransmit_initial ({})",
            retransmit_max.as_secs(),
            retransmit_initial.as_secs()
        );
        return Err(src.invalid(m.span(), SEC, "retransmit_max", &msg));
    }
    let proxy_auth = match &raw.proxy_auth {
        None => ProxyAuth::Renegotiate,
        Some(v) => l2tp_peer::proxy_auth(v, SEC, src)?,
    };
    let require_ipsec = raw.require_ipsec.as_ref().map_or(ipsec, |b| *b.get_ref());
    if let (Some(r), true, false) = (&raw.require_ipsec, require_ipsec, ipsec) {
        let msg = "requiring IPsec needs [ipsec] enabled";
        return Err(src.invalid(r.span(), SEC, "require_ipsec", msg));
    }
    let defaults = l2tp_peer::PeerDefaults {
        secret: &secret,
        hide_avps,
        proxy_auth,
        require_ipsec,
        ipsec,
    };
    let peers = l2tp_peer::peers(&raw.peer, &defaults, src)?;
    Ok(L2tpConfig {
        enabled,
        listen: listen(src, SEC, "L2TP", &raw.listen, enabled, "0.0.0.0:1701")?,
        secret,
        hide_avps,
        proxy_auth,
        peers,
        require_ipsec,
        hello_interval: secs("hello_interval", &raw.hello_interval, 60, 1..=3600)?,
        retransmit_initial,
        retransmit_max,
        retransmit_attempts: int(
            src,
            SEC,
            "retransmit_attempts",
            &raw.retransmit_attempts,
            5,
            1..=20,
        )? as u32,
        receive_window: int(
            src,
            SEC,
            "receive_window",
            &raw.receive_window,
            16,
            1..=1024,
        )? as u16,
        max_tunnels: int(
            src,
            SEC,
            "max_tunnels",
            &raw.max_tunnels,
            1000,
            1..=1_000_000,
        )? as usize,
        max_tunnels_in_setup_per_peer: int(
            src,
            SEC,
            "max_tunnels_in_setup_per_peer",
            &raw.max_tunnels_in_setup_per_peer,
            8,
            1..=65535,
        )? as usize,
        max_tunnels_in_setup: int(
            src,
            SEC,
            "max_tunnels_in_setup",
            &raw.max_tunnels_in_setup,
            256,
            1..=65535,
        )? as usize,
        max_tunnel_setups_per_second: int(
            src,
            SEC,
            "max_tunnel_setups_per_second",
            &raw.max_tunnel_setups_per_second,
            200,
            1..=1_000_000,
        )? as u32,
        socket_buffer: int(
            src,
            SEC,
            "socket_buffer",
            &raw.socket_buffer,
            4 << 20,
            64 << 10..=1 << 30,
        )? as usize,
        max_sessions_per_tunnel: int(
            src,
            SEC,
            "max_sessions_per_tunnel",
            &raw.max_sessions_per_tunnel,
            256,
            1..=65535,
        )? as u16,
        mppe: mppe(src, SEC, &raw.mppe, MppePolicy::Allow)?,
        mtu: int(src, SEC, "mtu", &raw.mtu, 1400, 576..=1500)? as u16,
    })
}

fn ppp(raw: &RawPpp, protocols: &[Protocol], src: &Source) -> Result<PppConfig> {
    const SEC: &str = "ppp";
    let auth = match &raw.auth {
        None => vec![AuthMethod::MsChapV2],
        Some(list) => {
            let methods = parse_list(src, SEC, "auth", list, |s| {
                s.parse::<AuthMethod>().map_err(|e| e.to_string())
            })?;
            if methods.is_empty() {
                return Err(src.invalid(list.span(), SEC, "auth", "at least one method is needed"));
            }
            no_duplicates(src, SEC, "auth", list, &methods)?;
            methods
        }
    };
    let mppe_128 = raw.mppe_128.as_ref().is_none_or(|b| *b.get_ref());
    let mppe_40 = raw.mppe_40.as_ref().is_none_or(|b| *b.get_ref());
    for p in protocols.iter().filter(|p| p.enabled) {
        let sec = p.sec;
        let (needs_mppe, policy) = match p.mppe {
            MppePolicy::Require => (true, "require"),
            MppePolicy::Allow => (p.allow_needs_mppe, "allow"),
            MppePolicy::Refuse => (false, "refuse"),
        };
        if needs_mppe && !mppe_128 && !mppe_40 {
            let span = raw
                .mppe_128
                .as_ref()
                .or(raw.mppe_40.as_ref())
                .map(|b| b.span());
            let msg =
                format!("mppe_128 and mppe_40 are both off while [{sec}] mppe is \"{policy}\"");
            return Err(src.invalid(span.unwrap_or(0..0), SEC, "mppe_128", &msg));
        }
        if p.mppe == MppePolicy::Require
            && !auth
                .iter()
                .any(|m| matches!(m, AuthMethod::MsChapV1 | AuthMethod::MsChapV2))
        {
            let msg = format!(
                "[{sec}] mppe = \"require\" needs `mschapv2` or `mschapv1` (only they give MPPE keys)"
            );
            let span = raw.auth.as_ref().map(|a| a.span());
            let span = span.or_else(|| p.raw_mppe.as_ref().map(|m| m.span()));
            return Err(src.invalid(span.unwrap_or(0..0), SEC, "auth", &msg));
        }
    }
    let echo = int(
        src,
        SEC,
        "lcp_echo_interval",
        &raw.lcp_echo_interval,
        10,
        0..=3600,
    )?;
    Ok(PppConfig {
        auth,
        auth_attempts: int(src, SEC, "auth_attempts", &raw.auth_attempts, 3, 1..=10)? as u32,
        mppe_128,
        mppe_40,
        mppe_stateful: raw.mppe_stateful.unwrap_or(true),
        mppe_prefer_stateful: raw.mppe_prefer_stateful.unwrap_or(false),
        lcp_echo_interval: (echo > 0).then(|| Duration::from_secs(echo as u64)),
        lcp_echo_failures: int(
            src,
            SEC,
            "lcp_echo_failures",
            &raw.lcp_echo_failures,
            3,
            1..=100,
        )? as u32,
        ipv6: raw.ipv6.unwrap_or(false),
    })
}
