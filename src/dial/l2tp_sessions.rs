//! The L2TP dial client's sessions in its one tunnel: each with its own PPP engine, TUN device
//! and link, run by its own task, and found by our session ID when a data message arrives.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use l2tpd::data::DataChannel;
use l2tpd::tunnel::ProxyInfo;
use l2tpd::tunnel::Tunnel;
use pppd::session::{ProxiedLink, Session};
use rand::{rngs::StdRng, SeedableRng};
use tokio::net::UdpSocket;
use tokio::sync::mpsc::UnboundedSender;

use super::client_tun::ClientTun;
use super::lac_proxy::proxied_pap;
use super::ppp_client::{drain_ppp_events, ppp_config, DialOptions};
use crate::l2tp::carrier::L2tpCarrier;
use crate::l2tp::path::PeerPath;
use crate::link::Link;

/// Longest Linux interface name.
const IFNAMSIZ_MAX: usize = 15;

/// The TUN device of session `number` (from 1): `--tun` itself, then `<tun>-2`, `<tun>-3` …
pub fn tun_name(tun: &str, number: usize) -> String {
    if number == 1 {
        tun.to_owned()
    } else {
        format!("{tun}-{number}")
    }
}

/// Whether every session's TUN name fits Linux's limit.
pub fn tun_names_fit(tun: &str, sessions: usize) -> bool {
    tun_name(tun, sessions).len() <= IFNAMSIZ_MAX
}

/// Where one session stands.
enum Phase {
    /// ICRQ sent, waiting for the LNS's ICRP.
    Opening,
    /// PPP runs over the session's data channel.
    Running(Arc<Link<L2tpCarrier>>),
}

/// One session: our session ID, its number on the command line's terms (1, 2, …) and its phase.
struct Entry {
    id: u16,
    number: usize,
    phase: Phase,
    /// PPP starts from this (what "the LAC" negotiated) instead of negotiating.
    proxied: Option<ProxiedLink>,
}

/// The tunnel's sessions (at most 16: found by a linear search).
pub struct Sessions {
    entries: Vec<Entry>,
    opened: usize,
    multi: bool,
    opts: Arc<DialOptions>,
    socket: Arc<UdpSocket>,
    /// Where each session's task reports (our session ID, why) when its PPP has ended.
    ended: UnboundedSender<(u16, String)>,
}

impl Sessions {
    /// No sessions yet; `total` of them will be opened; ended sessions are reported on `ended`.
    pub fn new(
        total: usize,
        opts: Arc<DialOptions>,
        socket: Arc<UdpSocket>,
        ended: UnboundedSender<(u16, String)>,
    ) -> Self {
        Sessions {
            entries: Vec::with_capacity(total),
            opened: 0,
            multi: total > 1,
            opts,
            socket,
            ended,
        }
    }

    /// Whether no session is opening or running.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `--calling-number`, for each ICRQ.
    pub fn calling_number(&self) -> Option<String> {
        self.opts.calling_number.clone()
    }

    /// With `--proxy-auth`: the next session's proxy AVPs and proxied PPP start.
    pub fn proxy_pap(&self) -> Option<(ProxyInfo, ProxiedLink)> {
        self.opts.proxy_pap.then(|| proxied_pap(&self.opts))
    }

    /// Records a session whose ICRQ is out; it gets the next number. `proxied`: its PPP
    /// starts from the LCP "the LAC" negotiated.
    pub fn opening(&mut self, id: u16, proxied: Option<ProxiedLink>) {
        self.opened += 1;
        let number = self.opened;
        self.entries.push(Entry {
            id,
            number,
            phase: Phase::Opening,
            proxied,
        });
    }

    /// The session is up in the tunnel: creates its TUN device and PPP engine and starts its task.
    pub fn start(&mut self, id: u16, data: DataChannel) -> Result<()> {
        let Some(entry) = self.entries.iter_mut().find(|e| e.id == id) else {
            return Ok(());
        };
        let opts = &self.opts;
        let name = tun_name(&opts.tun, entry.number);
        let tun = ClientTun::create(&name, opts.mtu)?;
        let now = Instant::now();
        let mut ppp = Session::new(ppp_config(opts)?, StdRng::from_entropy());
        match entry.proxied.take() {
            Some(start) => ppp
                .lower_up_proxied(now, &start)
                .map_err(|why| anyhow::anyhow!("proxied LCP not usable: {why}"))?,
            None => ppp.lower_up(now),
        }
        let carrier = L2tpCarrier::new(
            data,
            PeerPath::cleartext(opts.server),
            self.socket.clone(),
            None,
        );
        let number = entry.number as u64;
        let link = Arc::new(Link::new(number, ppp, carrier, opts.max_mss(), tun.clone()));
        entry.phase = Phase::Running(link.clone());
        let label = if self.multi {
            format!(" session={number} tun={name}")
        } else {
            String::new()
        };
        let task = run_session(id, link, tun, opts.clone(), label, self.ended.clone());
        tokio::spawn(task);
        Ok(())
    }

    /// The tunnel reports the session gone. A running session's PPP goes down (its task reports
    /// the end); an opening one is forgotten and its number returned: it was refused.
    pub fn down(&mut self, id: u16, reason: &str) -> Option<usize> {
        let at = self.entries.iter().position(|e| e.id == id)?;
        match &self.entries[at].phase {
            Phase::Running(link) => {
                link.lock().ppp.lower_down(reason);
                link.wake.notify_one();
                None
            }
            Phase::Opening => Some(self.entries.remove(at).number),
        }
    }

    /// Forgets a session whose task has ended.
    pub fn remove(&mut self, id: u16) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.id != id);
        self.entries.len() != before
    }

    /// The user hangs up: running sessions send LCP Terminate-Request; opening ones get a CDN.
    pub fn hang_up(&mut self, tunnel: &mut Tunnel, now: Instant) {
        self.entries.retain(|entry| match &entry.phase {
            Phase::Running(link) => {
                link.lock().ppp.close(now, "user hung up");
                link.wake.notify_one();
                true
            }
            Phase::Opening => {
                tunnel.close_session(now, entry.id, "user hung up");
                false
            }
        });
    }

    /// A data message of our tunnel: to its session's PPP by our session ID (in its header).
    pub fn deliver(&self, id: u16, datagram: &[u8]) {
        let Some(Phase::Running(link)) = self.entries.iter().find(|e| e.id == id).map(|e| &e.phase)
        else {
            tracing::trace!(session_id = id, "data for an unknown session dropped");
            return;
        };
        let now = Instant::now();
        let mut st = link.lock();
        let st = &mut *st;
        if let Ok(frame) = st.carrier.data.decapsulate(datagram) {
            if link.receive_frame(st, now, frame) {
                Link::send_control(st, now);
                link.wake.notify_one();
            }
        }
    }
}

/// One session's task: PPP timers and events, its TUN device's traffic, until PPP is down.
async fn run_session(
    id: u16,
    link: Arc<Link<L2tpCarrier>>,
    tun: Arc<ClientTun>,
    opts: Arc<DialOptions>,
    label: String,
    ended: UnboundedSender<(u16, String)>,
) {
    let pump = tokio::spawn(tun.clone().pump_to(link.clone()));
    let reason = loop {
        let deadline = link.pump(Instant::now());
        match drain_ppp_events(&link, &tun, &opts.routes, &label) {
            Ok(Some(reason)) => break reason,
            Ok(None) => {}
            Err(e) => break format!("{e:#}"),
        }
        let deadline = deadline.unwrap_or(Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            _ = link.wake.notified() => {}
            _ = tokio::time::sleep_until(deadline.into()) => {}
        }
    };
    pump.abort();
    println!("disconnected{label}: {reason}");
    let _ = ended.send((id, reason));
}
