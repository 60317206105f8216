//! A route to one client address outside every pool (given by a login server), on the TUN
//! device while the session holds it.

use std::net::Ipv4Addr;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Routes `addr`/32 to `dev`.
pub fn add(dev: &str, addr: Ipv4Addr) -> Result<()> {
    ip_route("replace", dev, addr)
}

/// Removes the route `add` installed.
pub fn remove(dev: &str, addr: Ipv4Addr) -> Result<()> {
    ip_route("del", dev, addr)
}

fn ip_route(verb: &str, dev: &str, addr: Ipv4Addr) -> Result<()> {
    let prefix = format!("{addr}/32");
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
