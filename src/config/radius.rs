//! `[radius]` and `[[radius.server]]`: the RADIUS servers rasd authenticates through, the NAS
//! identity it gives them, and the transport's timing; plus `[server] auth_backends`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::error::Source;
use super::raw::{RawRadius, RawRadiusServer, S};
use super::types::{AuthBackend, RadiusConfig, RadiusServer};
use super::values::{int, parse_list, string, Result};

const SEC: &str = "radius";
const SERVER_SEC: &str = "radius.server";

/// Validates `[radius]`; `name` is `[server] name`, the default NAS-Identifier.
pub(super) fn radius(raw: &RawRadius, name: &str, src: &Source) -> Result<RadiusConfig> {
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
    if let Some(p) = s.purpose.as_ref().filter(|p| p.get_ref() != "auth") {
        let msg = format!(
            "`{}`: only \"auth\" servers are supported so far (accounting goes to the history file)",
            p.get_ref()
        );
        return Err(src.invalid(p.span(), SERVER_SEC, "purpose", &msg));
    }
    Ok(RadiusServer {
        address: server_address(address, 1812, src)?,
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

/// `[server] auth_backends`: the default is `["radius"]` when a RADIUS server is configured,
/// else `["local"]`.
pub(super) fn backends(
    raw: &Option<S<Vec<S<String>>>>,
    radius: &RadiusConfig,
    src: &Source,
) -> Result<Vec<AuthBackend>> {
    let Some(list) = raw else {
        let default = if radius.servers.is_empty() {
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
    if backends.contains(&AuthBackend::Radius) && radius.servers.is_empty() {
        let msg = "\"radius\" needs a [[radius.server]] section";
        return Err(src.invalid(list.span(), "server", "auth_backends", msg));
    }
    Ok(backends)
}
