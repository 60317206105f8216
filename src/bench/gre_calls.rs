//! The generator's GRE receive path: every packet on the raw socket to its call. A call is
//! known from the moment its Outgoing-Call-Request leaves, before the reply tells it the
//! server's call ID: what the server sends in between (its first LCP Configure-Request, which
//! a fast server sends at once) is held for the call and handed over once it is up, instead of
//! being lost to a 3 s LCP restart.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use pptpd::gre_call_id;

use crate::pptp::gre_input::{deliver, PptpLink};
use crate::pptp::gre_socket::GreSocket;

/// Packets held for one call before it is up, at most.
const EARLY_PER_CALL: usize = 8;

enum Slot {
    /// Placed, not up yet: what arrived for it so far.
    Early(Vec<Vec<u8>>),
    /// Up: its link.
    Up(Arc<PptpLink>),
}

/// The generator's calls by our call ID.
#[derive(Default)]
pub struct GreCalls {
    calls: Mutex<HashMap<u16, Slot>>,
}

impl GreCalls {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u16, Slot>> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A call is being placed: hold what arrives for it.
    pub fn expect(&self, call_id: u16) {
        self.lock().insert(call_id, Slot::Early(Vec::new()));
    }

    /// The call is up: packets go to `link` from now on, starting with those held.
    pub fn up(&self, call_id: u16, link: Arc<PptpLink>) {
        let early = match self.lock().insert(call_id, Slot::Up(link.clone())) {
            Some(Slot::Early(held)) => held,
            _ => Vec::new(),
        };
        let mut scratch = vec![0u8; 4096];
        for gre in early {
            deliver(&link, Instant::now(), &gre, &mut scratch);
        }
    }

    /// The call is over.
    pub fn remove(&self, call_id: u16) {
        self.lock().remove(&call_id);
    }

    /// Reads the socket until the task is aborted; packets from anyone but `server` or for
    /// no call of ours are dropped.
    pub async fn run(self: Arc<Self>, socket: Arc<GreSocket>, server: std::net::Ipv4Addr) {
        let mut buf = vec![0u8; 65536];
        let mut scratch = vec![0u8; 4096];
        loop {
            let Ok((src, gre)) = socket.recv(&mut buf).await else {
                return;
            };
            let Some(call_id) = gre_call_id(gre).filter(|_| src == server) else {
                continue;
            };
            let link = match self.lock().get_mut(&call_id) {
                Some(Slot::Up(link)) => link.clone(),
                Some(Slot::Early(held)) => {
                    if held.len() < EARLY_PER_CALL {
                        held.push(gre.to_vec());
                    }
                    continue;
                }
                None => continue,
            };
            deliver(&link, Instant::now(), gre, &mut scratch);
        }
    }
}
