//! One PPP session bound to a carrier (a PPTP call's GRE channel or an L2TP session): the
//! per-session state shared by the packet paths and the session's own task.

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use pppd::session::{Received, Session};
use tokio::sync::Notify;

use crate::dataplane::TunWriter;
use crate::ip_packet::Ipv4Packet;
use crate::mss::clamp_mss;
use crate::pool::AddrRange;
use crate::scratch::{with_scratch, Scratch};
use crate::session_limits::LimitChange;

/// How a session's PPP frames reach its peer.
pub trait Carrier: Send + 'static {
    /// Sends one PPP frame (FF 03 + protocol + information) to the peer; drops it when it cannot.
    fn send_frame(&mut self, now: Instant, frame: &[u8]);
    /// The carrier's next timer (for example a delayed acknowledgment).
    fn poll_timeout(&self) -> Option<Instant>;
    /// Runs the carrier's due timers.
    fn handle_timeout(&mut self, now: Instant);
    /// Whether a frame sent now would go out (not dropped by flow control).
    fn can_send(&self, now: Instant) -> bool;
    /// A frame the carrier held back (reordering) that is now due for PPP, written into `out`.
    fn poll_frame(&mut self, out: &mut [u8]) -> Option<usize>;
}

/// Traffic counters of one session, as the connection history reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// IP bytes received from the client.
    pub bytes_in: u64,
    /// IP bytes sent to the client.
    pub bytes_out: u64,
    /// IP packets received from the client.
    pub packets_in: u64,
    /// IP packets sent to the client.
    pub packets_out: u64,
    /// IP packets for the client dropped by the carrier's flow control.
    pub dropped_out: u64,
    /// IPv4 packets from the client with a source other than its address (dropped).
    pub spoofed_in: u64,
}

/// The mutable state of a session, behind the session's own lock.
pub struct LinkState<C> {
    /// The PPP engine.
    pub ppp: Session,
    /// The transport below PPP.
    pub carrier: C,
    /// Traffic counters.
    pub counters: Counters,
    /// Largest TCP MSS let through in either direction.
    pub max_mss: u16,
    /// Server: the client's address, the only IPv4 source accepted from it (None: no check)
    /// besides the networks in `routed`.
    pub peer_ipv4: Option<Ipv4Addr>,
    /// Server: networks behind the client (Framed-Route), accepted as sources too.
    pub routed: Vec<AddrRange>,
    /// New limits from a CoA-Request, for the session's task to take.
    pub limit_change: Option<LimitChange>,
}

/// A session shared between its task (timers, events) and the packet paths.
pub struct Link<C> {
    /// Daemon-wide session number, for logs and history.
    pub id: u64,
    state: Mutex<LinkState<C>>,
    tun: Arc<dyn TunWriter>,
    /// Wakes the session's task when the packet paths left events or frames behind.
    pub wake: Notify,
}

impl<C: Carrier> Link<C> {
    /// Binds a PPP session to its carrier.
    pub fn new(id: u64, ppp: Session, carrier: C, max_mss: u16, tun: Arc<dyn TunWriter>) -> Self {
        Link {
            id,
            tun,
            state: Mutex::new(LinkState {
                ppp,
                carrier,
                counters: Counters::default(),
                max_mss,
                peer_ipv4: None,
                routed: Vec::new(),
                limit_change: None,
            }),
            wake: Notify::new(),
        }
    }

    /// Locks the session state. The lock is held for one packet or one timer, never across an await.
    pub fn lock(&self) -> MutexGuard<'_, LinkState<C>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends an IP packet from the network to the client (encrypted and framed by PPP).
    pub fn send_ip(&self, now: Instant, packet: &mut [u8]) {
        let mut st = self.lock();
        let st = &mut *st;
        if !st.carrier.can_send(now) {
            // Dropped before PPP sees it: stateful MPPE must not spend a coherency count on it.
            st.counters.dropped_out += 1;
            return;
        }
        clamp_mss(packet, st.max_mss);
        with_scratch(Scratch::Frame, |frame| {
            if let Some(n) = st.ppp.send_ip(packet, frame) {
                st.counters.bytes_out += packet.len() as u64;
                st.counters.packets_out += 1;
                let timer_before = st.carrier.poll_timeout().is_some();
                st.carrier.send_frame(now, &frame[..n]);
                if !timer_before && st.carrier.poll_timeout().is_some() {
                    // The carrier queued the frame: the session's task must watch its timer.
                    self.wake.notify_one();
                }
            }
        })
    }

    /// Feeds one PPP frame from the peer; IP packets go to the TUN device. Returns true when the
    /// frame was for PPP itself, so the session's task has replies or events to handle.
    pub fn receive_frame(&self, st: &mut LinkState<C>, now: Instant, frame: &[u8]) -> bool {
        with_scratch(Scratch::Packet, |buf| {
            self.receive_into(st, now, frame, buf)
        })
    }

    fn receive_into(
        &self,
        st: &mut LinkState<C>,
        now: Instant,
        frame: &[u8],
        buf: &mut [u8],
    ) -> bool {
        let got = st.ppp.handle_frame(now, frame, buf);
        let n = match got {
            Received::Ipv4(n) | Received::Ipv6(n) => n,
            Received::Nothing => return true,
        };
        let packet = &mut buf[..n];
        if let (Some(ours), Some(src)) = (st.peer_ipv4, ipv4_source(packet)) {
            if src != ours && !st.routed.iter().any(|r| r.contains(src)) {
                if st.counters.spoofed_in == 0 {
                    tracing::warn!(session = self.id, source = %src, address = %ours,
                        "client sent from an address not its own: dropped (counted from now on)");
                }
                st.counters.spoofed_in += 1;
                return false;
            }
        }
        clamp_mss(packet, st.max_mss);
        st.counters.bytes_in += n as u64;
        st.counters.packets_in += 1;
        self.tun.write_packet(self.id, packet);
        false
    }

    /// Hands PPP every frame the carrier released (after reordering); true when PPP got control frames.
    pub fn drain_carrier(&self, st: &mut LinkState<C>, now: Instant, scratch: &mut [u8]) -> bool {
        let mut control = false;
        while let Some(n) = st.carrier.poll_frame(scratch) {
            control |= self.receive_frame(st, now, &scratch[..n]);
        }
        control
    }

    /// Sends every control frame PPP has queued, in order, through the session's frame buffer.
    pub fn send_control(st: &mut LinkState<C>, now: Instant) {
        with_scratch(Scratch::Frame, |frame| {
            while let Some(n) = st.ppp.poll_transmit(now, frame) {
                st.carrier.send_frame(now, &frame[..n]);
            }
        })
    }

    /// Runs due timers and sends every queued control frame. Returns the next deadline.
    pub fn pump(&self, now: Instant) -> Option<Instant> {
        let mut st = self.lock();
        let st = &mut *st;
        if st.ppp.poll_timeout().is_some_and(|t| t <= now) {
            st.ppp.handle_timeout(now);
        }
        if st.carrier.poll_timeout().is_some_and(|t| t <= now) {
            st.carrier.handle_timeout(now);
            with_scratch(Scratch::Released, |released| {
                self.drain_carrier(st, now, released)
            });
        }
        Self::send_control(st, now);
        match (st.ppp.poll_timeout(), st.carrier.poll_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The session's traffic so far.
    pub fn counters(&self) -> Counters {
        self.lock().counters
    }
}

/// A session seen from outside its carrier: its traffic counters, and a way to end it.
pub trait CounterSource: Send + Sync {
    /// The session's traffic so far.
    fn counters(&self) -> Counters;
    /// Ends the session (LCP Terminate-Request with `reason`, which its stop record carries).
    fn disconnect(&self, reason: &str);
    /// Hands the session's task new limits (a RADIUS CoA-Request).
    fn change_limits(&self, change: LimitChange);
}

impl<C: Carrier> CounterSource for Link<C> {
    fn counters(&self) -> Counters {
        Link::counters(self)
    }

    fn disconnect(&self, reason: &str) {
        self.lock().ppp.close(Instant::now(), reason);
        self.wake.notify_one();
    }

    fn change_limits(&self, change: LimitChange) {
        self.lock().limit_change = Some(change);
        self.wake.notify_one();
    }
}

/// What the data plane needs of any session: somewhere to send IP packets for its address.
pub trait IpSink: Send + Sync {
    /// Sends one IP packet to the client.
    fn send_ip(&self, now: Instant, packet: &mut [u8]);
}

impl<C: Carrier> IpSink for Link<C> {
    fn send_ip(&self, now: Instant, packet: &mut [u8]) {
        Link::send_ip(self, now, packet)
    }
}

/// The source address of an IPv4 packet (None for IPv6). A header too short or inconsistent to
/// read gives 0.0.0.0, never a client's address, so the packet is dropped as a spoofed one.
fn ipv4_source(packet: &[u8]) -> Option<Ipv4Addr> {
    (packet.first()? >> 4 == 4)
        .then(|| Ipv4Packet::new_checked(packet).map_or(Ipv4Addr::UNSPECIFIED, |ip| ip.src_addr()))
}

#[cfg(test)]
mod tests;
