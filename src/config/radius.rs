//! `[radius]` and `[[radius.server]]`: the RADIUS servers rasd authenticates and accounts
//! through, the NAS identity it gives them, the transport's timing and the accounting spool;
//! plus `[server] auth_backends`.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use radius::Purpose;

use super::error::Source;
use super::raw::{RawRadius, RawRadiusServer, S};
use super::types::{AuthBackend, RadiusConfig, RadiusServer};
use super::values::{int, parse_list, resolve, string, Result};

const SEC: &str = "radius";
const SERVER_SEC: &str = "radius.server";

/// Validates `[radius]`; `name` is `[server] name`, the default NAS-Identifier; relative paths
/// are resolved against `dir`, the config file's directory.
pub(super) fn radius(
    raw: &RawRadius,
    name: &str,
    dir: &Path,
    src: &Source,
) -> Result<RadiusConfig> {
    let mut servers: Vec<RadiusServer> = Vec::new();
    for section in raw.server.iter().flatten() {
        let server = server(section, src)?;
        if servers.iter().any(|s| s.address == server.address) {
            let span = section
                .get_ref()
                .address
                .as_ref()
                .map_or(section.span(), S::span);
            let msg = format!("{} has another [[radius.server]] section", server.address);
            return Err(src.invalid(span, SERVER_SEC, "address", &msg));
        }
        servers.push(server);
    }
    let nas_ip_address = match &raw.nas_ip_address {
        None => None,
        Some(v) => Some(v.get_ref().trim().parse::<IpAddr>().map_err(|_| {
            let msg = format!("`{}` is not an IP address", v.get_ref());
            src.invalid(v.span(), SEC, "nas_ip_address", &msg)
        })?),
    };
    let secs = |key: &str, v: &Option<S<i64>>, default, range| {
        int(src, SEC, key, v, default, range).map(|n| Duration::from_secs(n as u64))
    };
    let timeout = secs("timeout", &raw.timeout, 3, 1..=60)?;
    let require = raw.require_message_authenticator.as_ref();
    let spool_dir = string(
        src,
        SEC,
        "spool_dir",
        &raw.spool_dir,
        "/var/spool/rasd/acct",
    )?;
    let spool_limit = int(
        src,
        SEC,
        "spool_limit",
        &raw.spool_limit,
        64 << 20,
        1 << 16..=1 << 40,
    )?;
    Ok(RadiusConfig {
        servers,
        nas_identifier: string(src, SEC, "nas_identifier", &raw.nas_identifier, name)?,
        nas_ip_address,
        timeout,
        retries: int(src, SEC, "retries", &raw.retries, 2, 0..=10)? as u32,
        dead_time: secs("dead_time", &raw.dead_time, 60, 0..=3600)?,
        require_message_authenticator: require.is_none_or(|b| *b.get_ref()),
        max_in_flight: int(
            src,
            SEC,
            "max_in_flight",
            &raw.max_in_flight,
            256,
            1..=65536,
        )? as usize,
        dae_listen: super::dae::listen(raw, src)?,
        dae_clients: super::dae::clients(&raw.dae_client, src)?,
        interim_interval: secs("interim_interval", &raw.interim_interval, 300, 0..=86_400)?,
        spool_dir: resolve(dir, &spool_dir),
        spool_limit: spool_limit as u64,
    })
}

fn server(section: &S<RawRadiusServer>, src: &Source) -> Result<RadiusServer> {
    let s = section.get_ref();
    let Some(address) = &s.address else {
        let msg = "every [[radius.server]] needs an address";
        return Err(src.invalid(section.span(), SERVER_SEC, "address", msg));
    };
    let Some(secret) = s.secret.as_ref().filter(|v| !v.get_ref().is_empty()) else {
        let span = s.secret.as_ref().map_or(section.span(), S::span);
        let msg = "every [[radius.server]] needs a non-empty secret";
        return Err(src.invalid(span, SERVER_SEC, "secret", msg));
    };
    let purpose = match s.purpose.as_ref() {
        None => Purpose::Auth,
        Some(p) => match p.get_ref().as_str() {
            "auth" => Purpose::Auth,
            "accounting" => Purpose::Accounting,
            other => {
                let msg = format!("`{other}` is not one of auth, accounting");
                return Err(src.invalid(p.span(), SERVER_SEC, "purpose", &msg));
            }
        },
    };
    let port = match purpose {
        Purpose::Auth => 1812,
        Purpose::Accounting => 1813,
    };
    Ok(RadiusServer {
        purpose,
        address: server_address(address, port, src)?,
        secret: secret.get_ref().clone(),
        priority: int(src, SERVER_SEC, "priority", &s.priority, 0, 0..=1000)? as u32,
    })
}

/// `host:port`, `[v6]:port`, or an address alone (then `port` is added).
fn server_address(v: &S<String>, port: u16, src: &Source) -> Result<SocketAddr> {
    let text = v.get_ref().trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    text.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, port))
        .map_err(|_| {
            let msg = format!("`{text}` is not an address or address:port");
            src.invalid(v.span(), SERVER_SEC, "address", &msg)
        })
}

/// `[server] auth_backends`: the default is `["radius"]` when an auth RADIUS server is configured,
/// else `["local"]`.
pub(super) fn backends(
    raw: &Option<S<Vec<S<String>>>>,
    radius: &RadiusConfig,
    src: &Source,
) -> Result<Vec<AuthBackend>> {
    let auth = radius.servers.iter().any(|s| s.purpose == Purpose::Auth);
    let Some(list) = raw else {
        let default = if !auth {
            AuthBackend::Local
        } else {
            AuthBackend::Radius
        };
        return Ok(vec![default]);
    };
    let backends = parse_list(src, "server", "auth_backends", list, |s| match s {
        "local" => Ok(AuthBackend::Local),
        "radius" => Ok(AuthBackend::Radius),
        _ => Err(format!("`{s}` is not one of local, radius")),
    })?;
    if backends.is_empty() {
        let msg = "at least one backend is needed";
        return Err(src.invalid(list.span(), "server", "auth_backends", msg));
    }
    super::values::no_duplicates(src, "server", "auth_backends", list, &backends)?;
    if backends.contains(&AuthBackend::Radius) && !auth {
        let msg = "\"radius\" needs a [[radius.server]] with purpose = \"auth\"";
        return Err(src.invalid(list.span(), "server", "auth_backends", msg));
    }
    Ok(backends)
}
