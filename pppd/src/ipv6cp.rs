//! The IPv6 Control Protocol (RFC 5072): Interface-Identifier negotiation with random
//! non-zero identifiers; a zero or colliding peer identifier is Nak'ed with a fresh one.
//! IPv6-Compression-Protocol and anything else is rejected.

use rand::rngs::StdRng;
use rand::Rng;

use crate::fsm::{push_option, Negotiator, RawOption, Reply};

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
    rng: StdRng,
    local: [u8; 8],
    want_id: bool,
    peer: [u8; 8],
}

impl Ipv6cpOptions {
    /// Options with a random local interface identifier drawn from `rng`.
    pub fn new(rng: StdRng) -> Self {
        let mut o = Self {
            rng,
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
            let id: [u8; 8] = self.rng.gen();
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

    fn check_request(&mut self, options: &[RawOption<'_>], reply: &mut Reply) {
        self.peer = [0; 8];
        for o in options {
            match (o.kind, <[u8; 8]>::try_from(o.data)) {
                (opt::INTERFACE_ID, Ok(id))
                    if id == [0; 8] || (self.want_id && id == self.local) =>
                {
                    let suggestion = self.random_id();
                    reply.nak(o, &suggestion);
                }
                (opt::INTERFACE_ID, Ok(id)) => self.peer = id,
                _ => reply.reject(o),
            }
        }
    }

    fn acked(&mut self, _options: &[RawOption<'_>]) {}

    fn naked(&mut self, options: &[RawOption<'_>]) {
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

    fn rejected(&mut self, options: &[RawOption<'_>]) {
        if options.iter().any(|o| o.kind == opt::INTERFACE_ID) {
            self.want_id = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsm::parse_options;
    use rand::SeedableRng;

    fn check(o: &mut Ipv6cpOptions, req: &[u8]) -> (u8, Vec<u8>) {
        let mut r = Reply::new(false);
        o.check_request(&parse_options(req).unwrap(), &mut r);
        r.finish(req)
    }

    #[test]
    fn negotiates_identifiers() {
        let mut o = Ipv6cpOptions::new(StdRng::seed_from_u64(1));
        let local = o.local_id();
        assert_ne!(local, [0; 8]);
        let mut out = Vec::new();
        o.build_request(&mut out);
        assert_eq!(out[..2], [1, 10]);
        assert_eq!(out[2..], local);
        // Zero and colliding ids are Nak'ed with fresh non-zero ones.
        let (code, nak) = check(&mut o, &[1, 10, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!((code, &nak[..2]), (3, &[1u8, 10][..]));
        assert_ne!(nak[2..], [0; 8]);
        let mut coll = vec![1, 10];
        coll.extend_from_slice(&local);
        let (code, nak) = check(&mut o, &coll);
        assert_eq!(code, 3);
        assert_ne!(nak[2..], local);
        // A good id is acknowledged; compression is rejected.
        let good = [1, 10, 1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(check(&mut o, &good), (2, good.to_vec()));
        assert_eq!(o.peer_id(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(check(&mut o, &[2, 4, 0, 0x4f]).0, 4);
    }

    #[test]
    fn follows_naks_but_not_to_zero_or_peer_id() {
        let mut o = Ipv6cpOptions::new(StdRng::seed_from_u64(2));
        o.naked(&parse_options(&[1, 10, 9, 9, 9, 9, 9, 9, 9, 9]).unwrap());
        assert_eq!(o.local_id(), [9; 8]);
        o.naked(&parse_options(&[1, 10, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap());
        assert_ne!(o.local_id(), [0; 8]);
        o.rejected(&parse_options(&[1, 10, 9, 9, 9, 9, 9, 9, 9, 9]).unwrap());
        let mut out = Vec::new();
        o.build_request(&mut out);
        assert!(out.is_empty());
    }
}
