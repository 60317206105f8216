//! The IP Control Protocol (RFC 1332) with the DNS/NBNS extensions of RFC 1877.
//!
//! Server: announces its own address, Naks the client's proposal with the pool address,
//! Naks DNS/WINS requests with the configured values (Rejects them when none is configured)
//! and Rejects VJ compression and anything else. Client: asks for 0.0.0.0 and two DNS
//! servers and takes what the server's Naks give.

use std::net::Ipv4Addr;

use crate::config::{Config, Role};
use crate::fsm::{push_option, Negotiator, Options, RawOption, Reply};

/// IPCP option types.
pub mod opt {
    /// IP-Addresses (deprecated, RFC 1172).
    pub const IP_ADDRESSES: u8 = 1;
    /// IP-Compression-Protocol (Van Jacobson).
    pub const IP_COMPRESSION: u8 = 2;
    /// IP-Address.
    pub const IP_ADDRESS: u8 = 3;
    /// Primary DNS server.
    pub const PRIMARY_DNS: u8 = 129;
    /// Primary NBNS (WINS) server.
    pub const PRIMARY_NBNS: u8 = 130;
    /// Secondary DNS server.
    pub const SECONDARY_DNS: u8 = 131;
    /// Secondary NBNS (WINS) server.
    pub const SECONDARY_NBNS: u8 = 132;
}

/// A primary and a secondary server (DNS or NBNS).
pub type NameServers = [Option<Ipv4Addr>; 2];

/// Server: decides whether the peer may have an address it asks for instead of the one
/// assigned (RADIUS's "user chooses"); answering true means the address is now the peer's.
pub trait AddressChooser: Send {
    /// Takes `addr` for the peer; false when it cannot be had.
    fn take(&mut self, addr: Ipv4Addr) -> bool;
}

impl std::fmt::Debug for dyn AddressChooser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AddressChooser")
    }
}

/// The IPCP [`Negotiator`].
#[derive(Debug)]
pub struct IpcpOptions {
    role: Role,
    local: Ipv4Addr,
    /// Client: the address asked for first.
    request: Ipv4Addr,
    want_addr: bool,
    assigned: Option<Ipv4Addr>,
    chooser: Option<Box<dyn AddressChooser>>,
    dns: [Option<Ipv4Addr>; 2],
    wins: [Option<Ipv4Addr>; 2],
    want_dns: [bool; 2],
    peer_addr: Ipv4Addr,
    failure: Option<String>,
}

fn ipv4(&o: &RawOption<'_>) -> Option<Ipv4Addr> {
    o.u32().map(Ipv4Addr::from)
}

impl IpcpOptions {
    /// Options for `cfg`.
    pub fn new(cfg: &Config) -> Self {
        let client = cfg.role == Role::Client;
        let request = cfg.request_ipv4.unwrap_or(Ipv4Addr::UNSPECIFIED);
        Self {
            role: cfg.role,
            local: if client { request } else { cfg.local_ipv4 },
            request,
            want_addr: true,
            assigned: None,
            chooser: None,
            dns: if client { [None; 2] } else { cfg.dns },
            wins: if client { [None; 2] } else { cfg.wins },
            want_dns: [client; 2],
            peer_addr: Ipv4Addr::UNSPECIFIED,
            failure: None,
        }
    }

    /// Server: the address the peer must use (from the pool). With None the peer's own
    /// non-zero proposal is accepted.
    pub fn set_peer_address(&mut self, addr: Option<Ipv4Addr>) {
        self.assigned = addr;
    }

    /// Server: the DNS and NBNS (WINS) servers to give this peer instead of the configured
    /// ones; None keeps the configured pair.
    pub fn set_name_servers(&mut self, dns: Option<NameServers>, wins: Option<NameServers>) {
        self.dns = dns.unwrap_or(self.dns);
        self.wins = wins.unwrap_or(self.wins);
    }

    /// Server: the peer may ask for its own address; `chooser` says whether it gets it (else
    /// it is Naked with the assigned one).
    pub fn let_peer_choose(&mut self, chooser: Box<dyn AddressChooser>) {
        self.chooser = Some(chooser);
    }

    /// Our address: server, the configured one; client, the one the server gave us.
    pub fn local_address(&self) -> Ipv4Addr {
        self.local
    }

    /// The peer's address: server, the client's acknowledged address; client, the server's.
    pub fn peer_address(&self) -> Ipv4Addr {
        self.peer_addr
    }

    /// Client: the DNS servers the server handed out.
    pub fn dns(&self) -> [Option<Ipv4Addr>; 2] {
        self.dns
    }

    /// A fatal negotiation failure to act on, at most once.
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    fn server_check(&mut self, o: &RawOption<'_>, reply: &mut Reply) {
        let configured = match o.kind {
            opt::IP_ADDRESS => {
                match (ipv4(o), self.assigned) {
                    (None, _) => reply.reject(o),
                    (Some(v), Some(a)) if v == a => self.peer_addr = v,
                    (Some(v), Some(_)) if self.peer_may_have(v) => {
                        self.assigned = Some(v);
                        self.peer_addr = v;
                    }
                    (Some(_), Some(a)) => reply.nak(o, &a.octets()),
                    (Some(v), None) if !v.is_unspecified() && v != self.local => {
                        self.peer_addr = v;
                    }
                    (Some(_), None) => reply.reject(o),
                }
                return;
            }
            opt::PRIMARY_DNS => self.dns[0],
            opt::SECONDARY_DNS => self.dns[1],
            opt::PRIMARY_NBNS => self.wins[0],
            opt::SECONDARY_NBNS => self.wins[1],
            _ => {
                reply.reject(o);
                return;
            }
        };
        match (ipv4(o), configured) {
            (Some(v), Some(c)) if v == c => {}
            (Some(_), Some(c)) => reply.nak(o, &c.octets()),
            _ => reply.reject(o),
        }
    }
}

impl IpcpOptions {
    fn peer_may_have(&mut self, v: Ipv4Addr) -> bool {
        !v.is_unspecified() && v != self.local && self.chooser.as_mut().is_some_and(|c| c.take(v))
    }
}

impl Negotiator for IpcpOptions {
    fn reset(&mut self) {
        self.want_addr = true;
        if self.role == Role::Client {
            self.local = self.request;
            self.dns = [None; 2];
            self.want_dns = [true; 2];
        }
    }

    fn build_request(&mut self, out: &mut Vec<u8>) {
        if self.want_addr {
            push_option(out, opt::IP_ADDRESS, &self.local.octets());
        }
        for (i, kind) in [opt::PRIMARY_DNS, opt::SECONDARY_DNS]
            .into_iter()
            .enumerate()
        {
            if self.want_dns[i] {
                let v = self.dns[i].unwrap_or(Ipv4Addr::UNSPECIFIED);
                push_option(out, kind, &v.octets());
            }
        }
    }

    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply) {
        self.peer_addr = Ipv4Addr::UNSPECIFIED;
        let mut saw_addr = false;
        for o in options {
            saw_addr |= o.kind == opt::IP_ADDRESS;
            match self.role {
                Role::Server => self.server_check(&o, reply),
                Role::Client => match (o.kind, ipv4(&o)) {
                    (opt::IP_ADDRESS, Some(v)) if !v.is_unspecified() => self.peer_addr = v,
                    _ => reply.reject(&o),
                },
            }
        }
        if let (Role::Server, false, Some(a)) = (self.role, saw_addr, self.assigned) {
            reply.nak_missing(opt::IP_ADDRESS, &a.octets());
        }
    }

    fn acked(&mut self, _options: Options<'_>) {}

    fn naked(&mut self, options: Options<'_>) {
        if self.role == Role::Server {
            // We insist on our own address.
            return;
        }
        for o in options {
            let Some(v) = ipv4(&o) else {
                continue;
            };
            match o.kind {
                opt::IP_ADDRESS => self.local = v,
                opt::PRIMARY_DNS if self.want_dns[0] => self.dns[0] = Some(v),
                opt::SECONDARY_DNS if self.want_dns[1] => self.dns[1] = Some(v),
                _ => {}
            }
        }
    }

    fn rejected(&mut self, options: Options<'_>) {
        for o in options {
            match o.kind {
                opt::IP_ADDRESS => {
                    self.want_addr = false;
                    if self.role == Role::Client {
                        self.failure = Some("server refused to assign an IP address".to_string());
                    }
                }
                opt::PRIMARY_DNS => self.want_dns[0] = false,
                opt::SECONDARY_DNS => self.want_dns[1] = false,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests;
