//! `[radius] dae_listen` and `[[radius.dae_client]]`: the dynamic authorization server
//! (RFC 5176 Disconnect and CoA) and who may talk to it.

use std::net::{IpAddr, SocketAddr};

use super::error::Source;
use super::raw::{RawDaeClient, RawRadius, S};
use super::types::DaeClientConfig;
use super::values::Result;

const SEC: &str = "radius.dae_client";

/// `dae_listen`: `address:port`, or an address alone (port 3799).
pub(super) fn listen(raw: &RawRadius, src: &Source) -> Result<Option<SocketAddr>> {
    let Some(v) = &raw.dae_listen else {
        return Ok(None);
    };
    let text = v.get_ref().trim();
    let addr = text
        .parse::<SocketAddr>()
        .or_else(|_| text.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 3799)))
        .map_err(|_| {
            let msg = format!("`{text}` is not an address or address:port");
            src.invalid(v.span(), "radius", "dae_listen", &msg)
        })?;
    if raw.dae_client.as_ref().is_none_or(Vec::is_empty) {
        let msg = "the dynamic authorization server needs a [[radius.dae_client]]";
        return Err(src.invalid(v.span(), "radius", "dae_listen", msg));
    }
    Ok(Some(addr))
}

/// Every `[[radius.dae_client]]`; one section per address.
pub(super) fn clients(
    raw: &Option<Vec<S<RawDaeClient>>>,
    src: &Source,
) -> Result<Vec<DaeClientConfig>> {
    let mut out: Vec<DaeClientConfig> = Vec::new();
    for section in raw.iter().flatten() {
        let c = section.get_ref();
        let Some(address) = &c.address else {
            let msg = "every [[radius.dae_client]] needs an address";
            return Err(src.invalid(section.span(), SEC, "address", msg));
        };
        let ip: IpAddr = address.get_ref().trim().parse().map_err(|_| {
            let msg = format!("`{}` is not an IP address", address.get_ref());
            src.invalid(address.span(), SEC, "address", &msg)
        })?;
        if out.iter().any(|o| o.address == ip) {
            let msg = format!("{ip} has another [[radius.dae_client]] section");
            return Err(src.invalid(address.span(), SEC, "address", &msg));
        }
        let Some(secret) = c.secret.as_ref().filter(|v| !v.get_ref().is_empty()) else {
            let span = c.secret.as_ref().map_or(section.span(), S::span);
            let msg = "every [[radius.dae_client]] needs a non-empty secret";
            return Err(src.invalid(span, SEC, "secret", msg));
        };
        out.push(DaeClientConfig {
            address: ip,
            secret: secret.get_ref().clone(),
        });
    }
    Ok(out)
}
