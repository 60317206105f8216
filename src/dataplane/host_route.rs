//! A route on the TUN device while a session holds it: to a client address outside every pool
//! (given by a login server), or to a network behind the client (Framed-Route).

use anyhow::Result;
use std::net::Ipv4Addr;

use super::iproute::ip;

/// Routes `net`/`len` to `dev`.
pub fn add(dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    ip_route("replace", dev, net, len)
}

/// Removes the route `add` installed.
pub fn remove(dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    ip_route("del", dev, net, len)
}

fn ip_route(verb: &str, dev: &str, net: Ipv4Addr, len: u8) -> Result<()> {
    ip(&["route", verb, &format!("{net}/{len}"), "dev", dev])
}
