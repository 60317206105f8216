//! RADIUS's "user chooses" (Framed-IP-Address 255.255.255.255): the client may have the
//! address it asks for in IPCP when it is a free pool address; otherwise it gets the pool
//! address it was given. (IPCP asks under the session's lock, on the packet path: taking a pool
//! address is a bitmap update, never a route change.)

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex};

use pppd::ipcp::AddressChooser;

use crate::addresses::Addresses;

/// The address a client chose and got, until its session adopts it (at IPCP Up) or ends.
#[derive(Clone, Default)]
pub struct Chosen(Arc<Mutex<Option<Ipv4Addr>>>);

impl Chosen {
    /// Takes the chosen address out (the caller now holds it).
    pub fn take(&self) -> Option<Ipv4Addr> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    fn replace(&self, addr: Ipv4Addr) -> Option<Ipv4Addr> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(addr)
    }
}

/// What IPCP asks when the client proposes an address of its own.
pub struct Chooser {
    addresses: Arc<Addresses>,
    chosen: Chosen,
    session: u64,
}

impl Chooser {
    /// A chooser for `session` over `addresses`, and where the address it takes is kept.
    pub fn new(addresses: Arc<Addresses>, session: u64) -> (Self, Chosen) {
        let chosen = Chosen::default();
        let chooser = Chooser {
            addresses,
            chosen: chosen.clone(),
            session,
        };
        (chooser, chosen)
    }
}

impl AddressChooser for Chooser {
    fn take(&mut self, addr: Ipv4Addr) -> bool {
        match self.addresses.claim_pooled(addr) {
            Ok(()) => {
                if let Some(previous) = self.chosen.replace(addr) {
                    self.addresses.release(previous);
                }
                true
            }
            Err(why) => {
                tracing::info!(
                    session = self.session,
                    "the client's own address is refused ({why}): it gets the pool's"
                );
                false
            }
        }
    }
}
