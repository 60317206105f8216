//! The task that keeps rasd's L2TP/IPsec connection loaded in charon and follows its SAs.
//!
//! It connects to charon's VICI socket, registers for SA events, loads the credentials and
//! connections (`ipsec_glue::l2tp_conn`), lists the SAs already up, then applies every
//! `child-updown` and `child-rekey` to the [`SaTable`]. When charon is not there or goes away
//! (restarted, upgraded) it says so, forgets the SAs and tries again every
//! [`RECONNECT_INTERVAL`]; a restarted charon gets the connections loaded again. At stop the
//! connections and the key are unloaded, so charon keeps nothing of rasd's.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Result};
use ipsec_glue::commands::{self, CHILD_REKEY, CHILD_UPDOWN, IKE_UPDOWN, LIST_SA};
use ipsec_glue::event::{parse_event, SaEvent};
use ipsec_glue::ike_log::{parse_log, FailureReport, FailureWatch, LOG};
use ipsec_glue::l2tp_conn::{L2tpIpsec, CERT_CONN, PSK_CONN};
use ipsec_glue::sa::ChildSa;
use ipsec_glue::vici::{Message, Packet};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::sa_table::{IpsecSa, SaTable};
use super::vici_stream::ViciStream;
use crate::config::IpsecConfig;

/// Pause between attempts to reach charon.
pub const RECONNECT_INTERVAL: Duration = Duration::from_secs(5);
/// How long stopping may take to unload the connections.
const UNLOAD_GRACE: Duration = Duration::from_secs(3);
/// Bound on one request's answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Events rasd follows.
const EVENTS: [&str; 5] = [CHILD_UPDOWN, CHILD_REKEY, IKE_UPDOWN, LIST_SA, LOG];
/// Shortest time between two IKE failure lines.
const FAILURE_LOG_INTERVAL: Duration = Duration::from_secs(1);

/// The running IPsec glue: the SA table the L2TP server reads, and the driver task.
pub struct Ipsec {
    /// The SAs charon told us of, by mark.
    pub sas: Arc<SaTable>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Ipsec {
    /// Unloads rasd's connections from charon (bounded) and ends the driver.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = tokio::time::timeout(UNLOAD_GRACE + Duration::from_secs(1), self.task).await;
    }
}

/// Starts the driver for `cfg` (which has `enabled` set).
pub fn start(cfg: &IpsecConfig) -> Ipsec {
    let sas = Arc::new(SaTable::default());
    let (stop, stop_rx) = watch::channel(false);
    let driver = Driver {
        socket: cfg.vici_socket.clone(),
        conn: connection(cfg),
        sas: sas.clone(),
        stop: stop_rx,
        failures: FailureWatch::default(),
        failure_logged: None,
        failures_unlogged: 0,
    };
    let task = tokio::spawn(driver.run());
    Ipsec { sas, stop, task }
}

/// What charon is given, from `[ipsec]`.
fn connection(cfg: &IpsecConfig) -> L2tpIpsec {
    let secs = |d: Duration| u32::try_from(d.as_secs()).unwrap_or(u32::MAX);
    let rekey = secs(cfg.child_rekey_time);
    L2tpIpsec {
        ike_proposals: cfg.ike_proposals.clone(),
        esp_proposals: cfg.esp_proposals.clone(),
        dpd_delay: secs(cfg.dpd_delay),
        dpd_timeout: secs(cfg.dpd_timeout),
        ike_rekey_time: secs(cfg.ike_rekey_time),
        child_rekey_time: rekey,
        child_life_time: rekey.saturating_add(rekey / 10).max(rekey + 60),
        psk: cfg.auth.psk().map(|k| k.as_bytes().to_vec()),
        certificate: cfg
            .auth
            .certificate()
            .map(|c| ipsec_glue::l2tp_conn::CertAuth {
                server_cert: c.cert_pem.clone(),
                server_key: c.key_pem.clone(),
                ca_cert: c.ca_pem.clone(),
            }),
    }
}

struct Driver {
    socket: PathBuf,
    conn: L2tpIpsec,
    sas: Arc<SaTable>,
    stop: watch::Receiver<bool>,
    /// IKE failures read from charon's log, with their peers.
    failures: FailureWatch,
    failure_logged: Option<std::time::Instant>,
    failures_unlogged: u64,
}

/// How a connection to charon ended.
enum End {
    /// rasd is stopping; the connections were unloaded.
    Stopped,
}

impl Driver {
    async fn run(mut self) {
        let mut complained = false;
        loop {
            match self.session().await {
                Ok(End::Stopped) => return,
                Err(e) => {
                    self.sas.replace_all([]);
                    if !complained {
                        tracing::error!(socket = %self.socket.display(), "IPsec: {e:#}; L2TP/IPsec clients cannot connect until charon answers (retrying every {} s)", RECONNECT_INTERVAL.as_secs());
                        complained = true;
                    } else {
                        tracing::debug!("IPsec: {e:#}");
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(RECONNECT_INTERVAL) => {}
                _ = self.stop.changed() => return,
            }
        }
    }

    /// One connection to charon, until it fails or rasd stops.
    async fn session(&mut self) -> Result<End> {
        let mut vici = ViciStream::connect(&self.socket).await?;
        for event in EVENTS {
            let reply = self.exchange(&mut vici, &commands::register(event)).await?;
            commands::confirmed(&reply).map_err(|e| anyhow!("registering for {event}: {e}"))?;
        }
        let mut refused = 0;
        for request in self.conn.load_requests() {
            let what = request_name(&request);
            let reply = self.exchange(&mut vici, &request).await?;
            let checked = commands::response(&reply).and_then(commands::check_reply);
            if let Err(e) = checked {
                // A refused connection is a configuration matter: retrying will not help.
                tracing::error!("IPsec: charon refused {what}: {e}");
                refused += 1;
            }
        }
        if refused == 0 {
            tracing::info!(socket = %self.socket.display(), connections = %self.loaded_names(), "IPsec: connections loaded into charon");
        } else {
            tracing::error!(socket = %self.socket.display(), refused, "IPsec: charon refused part of rasd's connections (above)");
        }
        self.list(&mut vici).await?;
        loop {
            tokio::select! {
                packet = vici.recv() => self.on_unrequested(packet?),
                _ = self.sas.refresh_requested() => self.list(&mut vici).await?,
                _ = self.stop.changed() => {
                    let unload = self.unload(&mut vici);
                    if tokio::time::timeout(UNLOAD_GRACE, unload).await.is_err() {
                        tracing::warn!("IPsec: charon did not answer the unloading in time");
                    }
                    return Ok(End::Stopped);
                }
            }
        }
    }

    /// Sends `request` and returns its answer; events that come first are applied.
    async fn exchange(&mut self, vici: &mut ViciStream, request: &Packet) -> Result<Packet> {
        vici.send(request).await?;
        let answer = async {
            loop {
                match vici.recv().await? {
                    Packet::Event { name, msg } => self.on_event(&name, &msg),
                    other => return Ok::<_, anyhow::Error>(other),
                }
            }
        };
        tokio::time::timeout(REQUEST_TIMEOUT, answer)
            .await
            .map_err(|_| anyhow!("charon did not answer {}", request_name(request)))?
    }

    /// Lists every SA again and makes the table exactly that.
    async fn list(&mut self, vici: &mut ViciStream) -> Result<()> {
        vici.send(&commands::list_sas(true)).await?;
        let mut listed = Vec::new();
        let listing = async {
            loop {
                match vici.recv().await? {
                    Packet::Event { name, msg } if name == LIST_SA => {
                        listed.extend(ipsec_glue::sa::parse_sas(&msg));
                    }
                    Packet::Event { name, msg } => self.on_event(&name, &msg),
                    Packet::CmdResponse(_) => return Ok::<_, anyhow::Error>(()),
                    other => return Err(anyhow!("unexpected answer to list-sas: {other:?}")),
                }
            }
        };
        tokio::time::timeout(REQUEST_TIMEOUT, listing)
            .await
            .map_err(|_| anyhow!("charon did not answer list-sas"))??;
        let ours = listed.iter().filter(|c| is_ours(c)).filter_map(table_entry);
        self.sas.replace_all(ours);
        tracing::debug!(sas = self.sas.len(), "IPsec: SAs listed");
        Ok(())
    }

    async fn unload(&mut self, vici: &mut ViciStream) {
        for request in self.conn.unload_requests() {
            let what = request_name(&request);
            match self.exchange(vici, &request).await {
                Ok(reply) => {
                    if let Err(e) = commands::response(&reply).and_then(commands::check_reply) {
                        tracing::warn!("IPsec: charon refused {what}: {e}");
                    }
                }
                Err(e) => return tracing::warn!("IPsec: unloading: {e:#}"),
            }
        }
        tracing::info!("IPsec: connections unloaded from charon");
    }

    fn on_unrequested(&mut self, packet: Packet) {
        match packet {
            Packet::Event { name, msg } => self.on_event(&name, &msg),
            other => tracing::debug!(?other, "IPsec: unexpected VICI packet ignored"),
        }
    }

    fn on_event(&mut self, name: &str, msg: &Message) {
        if name == LOG {
            let report = parse_log(msg).and_then(|line| self.failures.observe(&line));
            if let Some(report) = report {
                self.log_failure(&report);
            }
            return;
        }
        let Some(event) = parse_event(name, msg) else {
            return;
        };
        match event {
            SaEvent::ChildUp(children) => {
                for child in children.iter().filter(|c| is_ours(c)) {
                    if let Some((mark, sa)) = table_entry(child) {
                        tracing::debug!(peer = %sa.peer, identity = %sa.identity, ike = %sa.ike, esp = %sa.esp, nat_t = sa.nat_t, mark, "IPsec SA up");
                        self.sas.insert(mark, sa);
                    }
                }
            }
            SaEvent::ChildDown(children) => {
                for child in children.iter().filter(|c| is_ours(c)) {
                    tracing::debug!(peer = %child.remote_host, identity = %child.remote_id, mark = child.mark_in, "IPsec SA down");
                    self.sas.remove(child.mark_in);
                }
            }
            SaEvent::ChildRekey { old, new } => {
                // An SA rekeyed under the same mark carries on: its tunnels are not closed.
                for child in old.iter().filter(|c| is_ours(c)) {
                    if !new.iter().any(|n| n.mark_in == child.mark_in) {
                        self.sas.remove(child.mark_in);
                    }
                }
                for child in new.iter().filter(|c| is_ours(c)) {
                    if let Some((mark, sa)) = table_entry(child) {
                        tracing::debug!(peer = %sa.peer, mark, "IPsec SA rekeyed");
                        self.sas.insert(mark, sa);
                    }
                }
            }
            SaEvent::IkeUp { .. } | SaEvent::IkeDown { .. } | SaEvent::Listed(_) => {}
        }
    }

    /// Logs an IKE failure, at most one line per [`FAILURE_LOG_INTERVAL`] (saying how many
    /// went unlogged since the last).
    fn log_failure(&mut self, r: &FailureReport) {
        let now = std::time::Instant::now();
        if self
            .failure_logged
            .is_some_and(|at| now.duration_since(at) < FAILURE_LOG_INTERVAL)
        {
            self.failures_unlogged += 1;
            return;
        }
        let peer = r.peer.as_deref().unwrap_or("unknown peer");
        let unlogged = std::mem::take(&mut self.failures_unlogged);
        tracing::warn!(peer, unlogged, detail = %r.detail, "IPsec: IKE failed: {}", r.failure.reason());
        self.failure_logged = Some(now);
    }

    fn loaded_names(&self) -> String {
        let mut names = Vec::new();
        if self.conn.psk.is_some() {
            names.push(PSK_CONN);
        }
        if self.conn.certificate.is_some() {
            names.push(CERT_CONN);
        }
        names.join(", ")
    }
}

/// Whether a CHILD_SA belongs to one of rasd's connections (charon may serve others).
fn is_ours(child: &ChildSa) -> bool {
    child.ike_name == PSK_CONN || child.ike_name == CERT_CONN
}

/// The table entry of a CHILD_SA: its mark and what sessions record of it. SAs without a mark
/// (not made by our connection) have none.
fn table_entry(child: &ChildSa) -> Option<(u32, IpsecSa)> {
    (child.mark_in != 0).then(|| {
        let sa = IpsecSa {
            peer: std::net::SocketAddr::new(child.remote_host, child.remote_port),
            identity: child.remote_id.clone(),
            ike: child.ike_proposal.clone(),
            esp: child.esp_proposal.clone(),
            nat_t: child.nat,
        };
        (child.mark_in, sa)
    })
}

/// A request's command name, for messages.
fn request_name(request: &Packet) -> String {
    match request {
        Packet::CmdRequest { name, .. } => name.clone(),
        Packet::EventRegister(name) => format!("register {name}"),
        other => format!("{other:?}"),
    }
}
