//! The IPv6 Control Protocol (RFC 5072): Interface-Identifier negotiation with random
//! non-zero identifiers; a zero or colliding peer identifier is Nak'ed with a fresh one.
//! IPv6-Compression-Protocol and anything else is rejected.

use rand::rngs::StdRng;

use crate::seed_rng::SeedRng;
use rand::Rng;

use crate::fsm::{push_option, Negotiator, Options, Reply};

/// IPV6CP option types.
pub mod opt {
    /// Interface-Identifier.
    pub const INTERFACE_ID: u8 = 1;
    /// IPv6-Compression-Protocol.
    pub const COMPRESSION: u8 = 2;
}

/// The IPV6CP [`Negotiator`].
#[derive(Debug)]
pub struct Ipv6cpOptions {
    rng: SeedRng,
    local: [u8; 8],
    want_id: bool,
    peer: [u8; 8],
}

impl Ipv6cpOptions {
    /// Options with a random local interface identifier drawn from `rng`.
    pub fn new(mut rng: StdRng) -> Self {
        let mut o = Self {
            rng: SeedRng::from_rng(&mut rng),
            local: [0; 8],
            want_id: true,
            peer: [0; 8],
        };
        o.local = o.random_id();
        o
    }

    /// Our interface identifier.
    pub fn local_id(&self) -> [u8; 8] {
        self.local
    }

    /// The peer's acknowledged interface identifier (zero when it sent none).
    pub fn peer_id(&self) -> [u8; 8] {
        self.peer
    }

    fn random_id(&mut self) -> [u8; 8] {
        loop {
            let id: [u8; 8] = self.rng.draw(|r| r.gen());
            if id != [0; 8] && id != self.local && id != self.peer {
                return id;
            }
        }
    }
}

impl Negotiator for Ipv6cpOptions {
    fn reset(&mut self) {
        self.want_id = true;
    }

    fn build_request(&mut self, out: &mut Vec<u8>) {
        if self.want_id {
            push_option(out, opt::INTERFACE_ID, &self.local);
        }
    }

    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply) {
        self.peer = [0; 8];
        for o in options {
            match (o.kind, <[u8; 8]>::try_from(o.data)) {
                (opt::INTERFACE_ID, Ok(id))
                    if id == [0; 8] || (self.want_id && id == self.local) =>
                {
                    let suggestion = self.random_id();
                    reply.nak(&o, &suggestion);
                }
                (opt::INTERFACE_ID, Ok(id)) => self.peer = id,
                _ => reply.reject(&o),
            }
        }
    }

    fn acked(&mut self, _options: Options<'_>) {}

    fn naked(&mut self, options: Options<'_>) {
        for o in options {
            if o.kind != opt::INTERFACE_ID {
                continue;
            }
            self.local = match <[u8; 8]>::try_from(o.data) {
                Ok(id) if id != [0; 8] && id != self.peer => id,
                _ => self.random_id(),
            };
        }
    }

    fn rejected(&mut self, options: Options<'_>) {
        if options.iter().any(|o| o.kind == opt::INTERFACE_ID) {
            self.want_id = false;
        }
    }
}

#[cfg(test)]
mod tests;
