//! A route on the TUN device while a session holds it: to a client address outside every pool
//! (given by a login server), or to a network behind the client (Framed-Route).

use std::net::Ipv4Addr;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Routes `net`/`len` to `dev`.
pub fn add(dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    ip_route("replace", dev, net, len)
}

/// Removes the route `add` installed.
pub fn remove(dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    ip_route("del", dev, net, len)
}

fn ip_route(verb: &str, dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    let prefix = format!("{net}/{len}");
    let out = Command::new("ip")
        .args(["route", verb, &prefix, "dev", dev])
        .output()
        .context("running `ip route` (iproute2)")?;
    if !out.status.success() {
        bail!(
            "ip route {verb} {prefix} dev {dev}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
