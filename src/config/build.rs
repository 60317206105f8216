//! Turns the raw file into a validated [`Config`], applying defaults.

use super::error::Source;
use super::ip::ip;
use super::raw::{RawConfig, RawPpp, RawPptp, RawServer};
use super::types::*;
use super::values::{int, no_duplicates, parse_list, resolve, string, Result};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Validates `raw` (read from `src`) into a [`Config`].
pub(super) fn build(raw: RawConfig, src: &Source) -> Result<Config> {
    let dir = src.file.parent().unwrap_or(Path::new("")).to_owned();
    let pptp = pptp(&raw.pptp, src)?;
    let ppp = ppp(&raw.ppp, &raw.pptp, &pptp, src)?;
    Ok(Config {
        path: src.file.to_owned(),
        server: server(&raw.server, &dir, src)?,
        pptp,
        ppp,
        ip: ip(&raw.ip, src)?,
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
    })
}

fn pptp(raw: &RawPptp, src: &Source) -> Result<PptpConfig> {
    const SEC: &str = "pptp";
    let enabled = raw.enabled.unwrap_or(true);
    let listen = match &raw.listen {
        None => vec!["0.0.0.0:1723".parse().expect("valid default")],
        Some(list) => {
            let addrs: Vec<SocketAddr> = parse_list(src, SEC, "listen", list, |s| {
                s.parse()
                    .map_err(|_| format!("`{s}` is not an address:port like \"0.0.0.0:1723\""))
            })?;
            if enabled && addrs.is_empty() {
                let msg = "no address to listen on (set `enabled = false` to turn PPTP off)";
                return Err(src.invalid(list.span(), SEC, "listen", msg));
            }
            no_duplicates(src, SEC, "listen", list, &addrs)?;
            addrs
        }
    };
    let mppe = match &raw.mppe {
        None => MppePolicy::Require,
        Some(m) => m
            .get_ref()
            .parse()
            .map_err(|e: String| src.invalid(m.span(), SEC, "mppe", &e))?,
    };
    Ok(PptpConfig {
        enabled,
        listen,
        mppe,
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

fn ppp(raw: &RawPpp, raw_pptp: &RawPptp, pptp: &PptpConfig, src: &Source) -> Result<PppConfig> {
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
    if pptp.enabled && pptp.mppe != MppePolicy::Refuse {
        if !mppe_128 && !mppe_40 {
            let span = raw
                .mppe_128
                .as_ref()
                .or(raw.mppe_40.as_ref())
                .map(|b| b.span());
            let msg = "mppe_128 and mppe_40 are both off while [pptp] mppe is not \"refuse\"";
            return Err(src.invalid(span.unwrap_or(0..0), SEC, "mppe_128", msg));
        }
        if pptp.mppe == MppePolicy::Require
            && !auth
                .iter()
                .any(|m| matches!(m, AuthMethod::MsChapV1 | AuthMethod::MsChapV2))
        {
            let msg = "[pptp] mppe = \"require\" needs `mschapv2` or `mschapv1` (only they give MPPE keys)";
            let span = raw.auth.as_ref().map(|a| a.span());
            let span = span.or_else(|| raw_pptp.mppe.as_ref().map(|m| m.span()));
            return Err(src.invalid(span.unwrap_or(0..0), SEC, "auth", msg));
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
