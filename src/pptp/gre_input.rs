//! The GRE receive path: every packet on the raw socket to its call, then to PPP and the TUN device.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use dashmap::DashMap;
use pptpd::{gre_call_id, GreDrop, GreReceive};

use super::carrier::GreCarrier;
use super::gre_socket::{gre_of, GreSocket};
use crate::bad_input::{BadInput, BadInputKind};
use crate::l2tp::mark_io::RecvBatch;
use crate::link::{Carrier, Link};

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

    /// Shrinks the map to the calls it holds.
    pub fn shrink_to_fit(&self) {
        self.by_id.shrink_to_fit();
    }

    /// Forgets a call.
    pub fn remove(&self, id: u16) {
        self.by_id.remove(&id);
    }

    fn get(&self, id: u16) -> Option<(Ipv4Addr, Arc<PptpLink>)> {
        self.by_id.get(&id).map(|e| (e.0, Arc::clone(&e.1)))
    }
}

/// Reads the raw GRE socket forever, [`BATCH`](crate::l2tp::mark_io::BATCH) packets a call
/// when that many are there, handing each packet to its call. Packets that are not PPTP's GRE,
/// are for no call of the sender's, or that their call drops as malformed or far outside its
/// window are counted in `bad_input` (with a rate-limited warning).
pub async fn run_gre_input(
    socket: Arc<GreSocket>,
    calls: Arc<CallRegistry>,
    bad_input: Arc<BadInput>,
) {
    let mut batch = RecvBatch::default();
    let mut reordered = vec![0u8; 4096];
    loop {
        if let Err(e) = socket.recv_batch(&mut batch).await {
            tracing::error!(error = %e, "GRE socket failed");
            return;
        }
        for (packet, _) in batch.datagrams() {
            // A packet longer than a batch slot (16 KiB) is no GRE any call sent: dropped.
            let Some((src, gre)) = packet.ok().and_then(gre_of) else {
                continue;
            };
            take_packet(&calls, &bad_input, src, gre, &mut reordered);
        }
    }
}

/// One packet from the raw socket to its call, or counted as bad input.
fn take_packet(
    calls: &CallRegistry,
    bad_input: &BadInput,
    src: Ipv4Addr,
    gre: &[u8],
    reordered: &mut [u8],
) {
    let peer = SocketAddr::from((src, 0));
    let Some(call_id) = gre_call_id(gre) else {
        bad_input.report(BadInputKind::GreMalformed, peer, "not a PPTP GRE packet");
        return;
    };
    let Some((owner, link)) = calls.get(call_id) else {
        let why = format_args!("GRE packet for no known call (call ID {call_id})");
        bad_input.report(BadInputKind::GreUnknownCall, peer, why);
        return;
    };
    if owner != src {
        let why = format_args!("GRE packet for call {call_id} of another peer ({owner})");
        bad_input.report(BadInputKind::GreUnknownCall, peer, why);
        return;
    }
    if let Some(why) = deliver(&link, Instant::now(), gre, reordered) {
        let kind = match why {
            GreDrop::Malformed(_) => BadInputKind::GreMalformed,
            _ => BadInputKind::GreOutOfWindow,
        };
        let why = format_args!("session {}: {}", link.id, why.reason());
        bad_input.report(kind, peer, why);
    }
}

/// One GRE packet into a call: in-order frames to PPP, then any the reorder buffer released
/// (`scratch` holds one frame). Returns why the packet was dropped when that is bad input (not
/// mere reordering or loss).
pub fn deliver(link: &PptpLink, now: Instant, gre: &[u8], scratch: &mut [u8]) -> Option<GreDrop> {
    let mut st = link.lock();
    let st = &mut *st;
    let timer_before = st.carrier.poll_timeout().is_some();
    let mut wake = false;
    let mut bad = None;
    match st.carrier.channel.handle_packet(now, gre) {
        GreReceive::Frame(frame) => wake |= link.receive_frame(st, now, frame),
        GreReceive::Dropped(why @ (GreDrop::Malformed(_) | GreDrop::OutOfWindow)) => {
            bad = Some(why)
        }
        GreReceive::Dropped(why) => {
            tracing::trace!(session = link.id, why = why.reason(), "GRE packet dropped")
        }
        GreReceive::Buffered | GreReceive::AckOnly => {}
    }
    // Acknowledgments may have opened the peer's window for queued frames.
    st.carrier.transmit(now);
    wake |= link.drain_carrier(st, now, scratch);
    if wake {
        // Replies (echo, CCP Reset-Ack, ...) go out at once, in order with the data.
        Link::send_control(st, now);
    }
    if wake || (!timer_before && st.carrier.poll_timeout().is_some()) {
        link.wake.notify_one();
    }
    bad
}

impl crate::memory_trim::ShrinkMaps for CallRegistry {
    fn shrink_maps(&self) {
        self.shrink_to_fit();
    }
}
