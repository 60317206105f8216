//! The GRE receive path: every packet on the raw socket to its call, then to PPP and the TUN device.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Instant;

use dashmap::DashMap;
use pptpd::{gre_call_id, GreReceive};

use super::carrier::GreCarrier;
use super::gre_socket::GreSocket;
use crate::link::Link;

/// A PPTP session: PPP over a call's GRE channel.
pub type PptpLink = Link<GreCarrier>;

/// Calls by our call ID (unique daemon-wide), with the peer address they must come from.
#[derive(Default)]
pub struct CallRegistry {
    by_id: DashMap<u16, (Ipv4Addr, Arc<PptpLink>)>,
}

impl CallRegistry {
    /// Picks an unused non-zero call ID for `peer` and registers the link under it.
    pub fn insert_with_new_id(
        &self,
        peer: Ipv4Addr,
        make: impl FnOnce(u16) -> Arc<PptpLink>,
    ) -> Option<u16> {
        for _ in 0..64 {
            let id: u16 = rand::random();
            if id == 0 {
                continue;
            }
            if let dashmap::Entry::Vacant(v) = self.by_id.entry(id) {
                v.insert((peer, make(id)));
                return Some(id);
            }
        }
        None
    }

    /// Registers a link under a call ID chosen elsewhere (the dial client's own call).
    pub fn insert(&self, id: u16, peer: Ipv4Addr, link: Arc<PptpLink>) {
        self.by_id.insert(id, (peer, link));
    }

    /// Forgets a call.
    pub fn remove(&self, id: u16) {
        self.by_id.remove(&id);
    }

    fn get(&self, id: u16) -> Option<(Ipv4Addr, Arc<PptpLink>)> {
        self.by_id.get(&id).map(|e| (e.0, Arc::clone(&e.1)))
    }
}

/// Reads the raw GRE socket forever, handing each packet to its call.
pub async fn run_gre_input(socket: Arc<GreSocket>, calls: Arc<CallRegistry>) {
    let mut buf = vec![0u8; 65536];
    let mut reordered = vec![0u8; 4096];
    let mut unknown: u64 = 0;
    loop {
        let (src, gre) = match socket.recv(&mut buf).await {
            Ok(got) => got,
            Err(e) => {
                tracing::error!(error = %e, "GRE socket failed");
                return;
            }
        };
        let Some((owner, link)) = gre_call_id(gre).and_then(|id| calls.get(id)) else {
            unknown += 1;
            tracing::debug!(peer = %src, unknown, "GRE packet for no known call dropped");
            continue;
        };
        if owner != src {
            unknown += 1;
            tracing::debug!(peer = %src, %owner, unknown, "GRE packet for another peer's call dropped");
            continue;
        }
        deliver(&link, Instant::now(), gre, &mut reordered);
    }
}

/// One GRE packet into a call: in-order frames to PPP, then any the reorder buffer released.
fn deliver(link: &PptpLink, now: Instant, gre: &[u8], scratch: &mut [u8]) {
    let mut st = link.lock();
    let st = &mut *st;
    let timer_before = st.carrier.poll_timeout_is_set();
    let mut wake = false;
    match st.carrier.channel.receive(now, gre) {
        GreReceive::Frame(frame) => wake |= link.receive_frame(st, now, frame),
        GreReceive::Dropped(why) => tracing::trace!(session = link.id, why, "GRE packet dropped"),
        GreReceive::Buffered | GreReceive::AckOnly => {}
    }
    // Acknowledgments may have opened the peer's window for queued frames.
    st.carrier.flush(now);
    wake |= link.drain_carrier(st, now, scratch);
    if wake {
        // Replies (echo, CCP Reset-Ack, ...) go out at once, in order with the data.
        Link::send_control(st, now);
    }
    if wake || (!timer_before && st.carrier.poll_timeout_is_set()) {
        link.wake.notify_one();
    }
}
