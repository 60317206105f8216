//! The PPP side of the dial clients: the peer-role engine's settings and its events.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::{bail, Result};
use pppd::auth::Method;
use pppd::config::{Config, MppePolicy, Role as PppRole};
use pppd::session::Event;

use super::client_tun::ClientTun;
use crate::link::{Carrier, Link};

/// What `rasd dial` was asked to do.
#[derive(Clone, Debug)]
pub struct DialOptions {
    /// Server address.
    pub server: SocketAddr,
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
    /// MPPE: "128", "40", "any" or "none".
    pub mppe: String,
    /// Ask for stateful MPPE.
    pub stateful: bool,
    /// Name of the client's TUN device.
    pub tun: String,
    /// Extra prefixes to route through the tunnel.
    pub routes: Vec<String>,
    /// MTU of the tunnel.
    pub mtu: u16,
    /// L2TP tunnel secret (L2TP only).
    pub secret: Option<String>,
    /// Authentication methods we accept, in order.
    pub auth: Vec<Method>,
    /// L2TP: act as a LAC that already did LCP and PAP with the user: the ICCN carries proxy
    /// LCP and authentication AVPs and our PPP starts from them (the LNS may renegotiate).
    pub proxy_pap: bool,
    /// L2TP: Calling Number for each ICRQ.
    pub calling_number: Option<String>,
    /// The address to ask the server for (None: the server chooses).
    pub address: Option<Ipv4Addr>,
}

impl DialOptions {
    /// Largest TCP MSS let through either way (the MTU is at least 576, checked by the CLI).
    pub fn max_mss(&self) -> u16 {
        self.mtu.saturating_sub(40)
    }
}

/// PPP settings of the client role for these options.
pub fn ppp_config(opts: &DialOptions) -> Result<Config> {
    let (mppe, m128, m40) = match opts.mppe.as_str() {
        "128" => (MppePolicy::Require, true, false),
        "40" => (MppePolicy::Require, false, true),
        "any" => (MppePolicy::Require, true, true),
        "none" => (MppePolicy::Refuse, false, false),
        other => bail!("--mppe must be 128, 40, any or none, not {other:?}"),
    };
    if opts.proxy_pap && mppe == MppePolicy::Require {
        bail!("a proxied PAP login gives no MPPE keys: use --mppe none with --proxy-auth");
    }
    Ok(Config {
        role: PppRole::Client,
        mru: opts.mtu,
        auth_methods: {
            let mut methods = opts.auth.clone();
            if opts.proxy_pap && !methods.contains(&Method::Pap) {
                methods.push(Method::Pap);
            }
            methods
        },
        credentials: Some((opts.user.clone(), opts.password.clone())),
        mppe,
        mppe_128: m128,
        mppe_40: m40,
        mppe_stateful: opts.stateful,
        mppe_prefer_stateful: opts.stateful,
        local_ipv4: Ipv4Addr::UNSPECIFIED,
        request_ipv4: opts.address,
        ..Config::default()
    })
}

/// Handles the session's PPP events: configures the TUN device and prints `connected ...` (with
/// the DNS servers the server gave, `dns=A,B` or `dns=none`) when the network layer comes up,
/// followed by `label` (which session, when there are several).
/// Returns the reason once the session is down.
pub fn drain_ppp_events<C: Carrier>(
    link: &Link<C>,
    tun: &ClientTun,
    routes: &[String],
    label: &str,
) -> Result<Option<String>> {
    let events: Vec<Event> = {
        let mut st = link.lock();
        std::iter::from_fn(|| st.ppp.poll_event()).collect()
    };
    let mut down = None;
    for event in events {
        match event {
            Event::Up {
                local_ipv4,
                peer_ipv4,
                mppe,
                ..
            } => {
                tun.configure(peer_ipv4, local_ipv4, routes)?;
                let mppe = mppe.map_or("none".to_string(), |(s, stateless)| {
                    format!("{s:?} stateless={stateless}")
                });
                let dns: Vec<String> = link
                    .lock()
                    .ppp
                    .dns()
                    .iter()
                    .flatten()
                    .map(|a| a.to_string())
                    .collect();
                let dns = if dns.is_empty() {
                    "none".to_string()
                } else {
                    dns.join(",")
                };
                println!("connected address={peer_ipv4} server={local_ipv4} mppe={mppe} dns={dns}{label}");
            }
            Event::AuthFailed { message, .. } => eprintln!("authentication failed: {message}"),
            Event::Down { reason } => down = Some(reason),
            _ => {}
        }
    }
    Ok(down)
}
