//! RADIUS accounting (RFC 2866, 2869): Start when a session's network is up, Interim-Updates
//! on the interval, Stop when it ends, Accounting-On at start and -Off at a clean shutdown.
//! Every record goes through the durable spool ([`store`]) before it is sent and leaves it only
//! once a server acknowledged it; one task sends them, oldest first ([`sender`]). Sessions
//! never wait on a server: they only write the spool.

mod cause;
mod record;
mod sender;
mod spool;
mod store;

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use radius::attr::value::TerminateCause;
use rand::Rng;
use tokio::sync::Notify;

pub use cause::terminate_cause;
pub use record::SessionInfo;

use crate::config::RadiusConfig;
use crate::link::CounterSource;
use crate::radius::driver::RadiusHandle;
use record::{Kind, Record};
use spool::Spool;
use store::Store;

/// The spool's state and its directory, under one lock.
struct Disk {
    spool: Spool,
    store: Store,
}

/// A session with a Start and no Stop yet.
struct Live {
    info: SessionInfo,
    counters: Arc<dyn CounterSource>,
    next_interim: Option<Instant>,
}

/// The daemon's accounting; see the module documentation.
pub struct Accounting {
    cfg: RadiusConfig,
    boot: u64,
    /// Lock order: `live` before `disk`.
    live: Mutex<HashMap<u64, Live>>,
    disk: Mutex<Disk>,
    wake: Notify,
}

impl Accounting {
    /// Opens the spool in `cfg.spool_dir`; queues a NAS-Reboot Stop for every session that was
    /// up when the daemon died, then Accounting-On. `boot` names this start in On and Off.
    pub fn open(cfg: &RadiusConfig, boot: u64) -> io::Result<Arc<Accounting>> {
        let store = Store::open(&cfg.spool_dir)?;
        let found = store.list()?;
        let stopped: HashSet<u64> = found
            .iter()
            .filter(|e| e.kind == Kind::Stop)
            .map(|e| e.session)
            .collect();
        let pending = store.pending_stops()?;
        let acct = Accounting {
            cfg: cfg.clone(),
            boot,
            live: Mutex::new(HashMap::new()),
            disk: Mutex::new(Disk {
                spool: Spool::new(cfg.spool_limit, found),
                store,
            }),
            wake: Notify::new(),
        };
        let mut recovered = 0;
        {
            let mut disk = acct.disk();
            for (session, bytes) in pending {
                if !stopped.contains(&session) {
                    match serde_json::from_slice::<Record>(&bytes) {
                        Ok(stop) => {
                            acct.enqueue(&mut disk, &stop);
                            recovered += 1;
                        }
                        Err(e) => {
                            tracing::error!(session, error = %e, "unreadable pending Stop: dropped")
                        }
                    }
                }
                disk.store.remove_pending_stop(session)?;
            }
            let on = Record::nas(Kind::On, boot, cfg, SystemTime::now());
            acct.enqueue(&mut disk, &on);
            tracing::info!(dir = %cfg.spool_dir.display(), waiting = disk.spool.len(),
                recovered, "RADIUS accounting: spool open (Stops with NAS-Reboot queued for sessions the last run left open)");
        }
        Ok(Arc::new(acct))
    }

    /// Starts the task that sends the spool and the one that makes Interim-Updates.
    pub fn spawn(self: &Arc<Self>, radius: RadiusHandle) {
        tokio::spawn(sender::send_loop(self.clone(), radius));
        // Even with `interim_interval = 0`, an Access-Accept may ask a session for them.
        tokio::spawn(interim_loop(self.clone()));
    }

    /// A session's network is up: its Start, and its Stop-after-a-crash on disk.
    pub fn start(&self, info: SessionInfo, counters: Arc<dyn CounterSource>) {
        let mut live = self.live();
        let mut disk = self.disk();
        self.persist(&mut disk, &info, &*counters);
        self.enqueue(&mut disk, &info.start(&self.cfg));
        let next_interim = self.next_interim(Instant::now(), info.interim);
        live.insert(
            info.session,
            Live {
                info,
                counters,
                next_interim,
            },
        );
    }

    /// A CoA's new time between `session`'s Interim-Updates, counted from now.
    pub fn set_interim(&self, session: u64, interval: Duration) {
        let mut live = self.live();
        if let Some(s) = live.get_mut(&session) {
            s.info.interim = Some(interval);
            s.next_interim = self.next_interim(Instant::now(), Some(interval));
        }
    }

    /// A session ended with `reason`: its Stop, cause mapped by [`terminate_cause`].
    pub fn stop(&self, session: u64, reason: &str) {
        let mut live = self.live();
        let Some(s) = live.remove(&session) else {
            return;
        };
        let mut disk = self.disk();
        let cause = terminate_cause(reason);
        let stop = s
            .info
            .stop(&self.cfg, &s.counters.counters(), SystemTime::now(), cause);
        self.enqueue(&mut disk, &stop);
        if let Err(e) = disk.store.remove_pending_stop(session) {
            tracing::error!(session, error = %e, "cannot remove the pending Stop: a restart would send a second Stop");
        }
    }

    /// Queues Accounting-Off and gives the spool up to `within` to drain; what is left is sent
    /// on the next start.
    pub async fn shut_down(&self, within: Duration) {
        let off = Record::nas(Kind::Off, self.boot, &self.cfg, SystemTime::now());
        self.enqueue(&mut self.disk(), &off);
        let deadline = Instant::now() + within;
        while Instant::now() < deadline && !self.disk().spool.is_empty() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let left = self.disk().spool.len();
        if left > 0 {
            tracing::warn!(
                left,
                "accounting records stay in the spool for the next start"
            );
        }
    }

    /// Interim-Updates of the sessions due at `now`.
    fn interims(&self, now: Instant) {
        let mut live = self.live();
        // The spool's lock only when a session is due: most seconds none is, and session starts
        // and stops need that lock too.
        let mut disk = None;
        for s in live.values_mut() {
            if s.next_interim.is_none_or(|t| t > now) {
                continue;
            }
            let disk = disk.get_or_insert_with(|| self.disk());
            let c = s.counters.counters();
            self.persist(disk, &s.info, &*s.counters);
            self.enqueue(disk, &s.info.interim(&self.cfg, &c, SystemTime::now()));
            s.next_interim = self.next_interim(now, s.info.interim);
        }
    }

    /// The next Interim-Update: the session's interval (its Access-Accept's, else the
    /// configured one) less up to a tenth of it, so sessions that came up together spread out.
    fn next_interim(&self, now: Instant, session: Option<Duration>) -> Option<Instant> {
        let interval = session.unwrap_or(self.cfg.interim_interval);
        if interval.is_zero() {
            return None;
        }
        let tenth = u64::try_from(interval.as_millis() / 10).unwrap_or(u64::MAX);
        let jitter = Duration::from_millis(rand::thread_rng().gen_range(0..=tenth));
        Some(now + interval - jitter)
    }

    /// Writes the Stop to send for `info` if the daemon dies now (NAS-Reboot, these counters).
    fn persist(&self, disk: &mut Disk, info: &SessionInfo, counters: &dyn CounterSource) {
        let stop = info.stop(
            &self.cfg,
            &counters.counters(),
            SystemTime::now(),
            TerminateCause::NasReboot,
        );
        let written = serde_json::to_vec(&stop)
            .map_err(io::Error::other)
            .and_then(|bytes| disk.store.write_pending_stop(info.session, &bytes));
        if let Err(e) = written {
            tracing::error!(session = info.session, error = %e, "cannot write the pending Stop: a crash would leave this session without one");
        }
    }

    /// Puts `record` in the spool (on disk when this returns) and wakes the sender.
    fn enqueue(&self, disk: &mut Disk, record: &Record) {
        let bytes = match serde_json::to_vec(record) {
            Ok(b) => b,
            Err(e) => {
                tracing::error!(error = %e, "accounting record lost: cannot encode it");
                return;
            }
        };
        match disk
            .spool
            .admit(record.kind, record.session, bytes.len() as u64)
        {
            Ok(entry) => {
                if let Err(e) = disk.store.write(&entry, &bytes) {
                    disk.spool.forget(entry.seq);
                    tracing::error!(session = record.session, kind = record.kind.name(), error = %e,
                        "accounting record lost: cannot write the spool");
                }
            }
            Err(full) => {
                tracing::error!(
                    session = record.session,
                    kind = record.kind.name(),
                    used = full.used,
                    limit = full.limit,
                    "accounting record lost: the spool is full (spool_limit)"
                );
            }
        }
        if disk.spool.take_warning() {
            let (used, limit) = disk.spool.usage();
            tracing::warn!(
                used,
                limit,
                waiting = disk.spool.len(),
                "accounting spool above 80% of spool_limit: is the accounting server down?"
            );
        }
        self.wake.notify_one();
    }

    fn live(&self) -> MutexGuard<'_, HashMap<u64, Live>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn disk(&self) -> MutexGuard<'_, Disk> {
        self.disk.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Makes the Interim-Updates that are due, once a second.
async fn interim_loop(acct: Arc<Accounting>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        acct.interims(Instant::now());
    }
}

#[cfg(test)]
mod tests;
