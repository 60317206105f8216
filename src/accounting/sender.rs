//! The task that sends the spool: the oldest record first, one at a time, removed from disk
//! when a server acknowledges it; on failure it stays first and is retried after `timeout`.

use std::sync::Arc;
use std::time::SystemTime;

use radius::Purpose;

use super::Accounting;
use crate::radius::driver::RadiusHandle;

/// Sends the spool for the life of the daemon.
pub(super) async fn send_loop(acct: Arc<Accounting>, radius: RadiusHandle) {
    let mut outage = false;
    loop {
        let next = {
            let mut disk = acct.disk();
            disk.spool.next().map(|e| (e, disk.store.read(&e)))
        };
        let Some((entry, read)) = next else {
            acct.wake.notified().await;
            continue;
        };
        let record = match read {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(file = entry.file_name(), error = %e, "unreadable accounting record: dropped");
                let mut disk = acct.disk();
                disk.spool.acked(entry.seq);
                let _ = disk.store.remove(&entry);
                continue;
            }
        };
        let answer = radius
            .ask(Purpose::Accounting, record.request(SystemTime::now()))
            .await;
        match answer {
            Ok(_) => {
                let mut disk = acct.disk();
                if let Some(e) = disk.spool.acked(entry.seq) {
                    if let Err(err) = disk.store.remove(&e) {
                        tracing::error!(file = e.file_name(), error = %err, "cannot remove an acknowledged accounting record: it will be sent again");
                    }
                }
                if outage {
                    outage = false;
                    tracing::info!(
                        waiting = disk.spool.len(),
                        "accounting server answers again: sending the spool"
                    );
                }
            }
            Err(e) => {
                let waiting = {
                    let mut disk = acct.disk();
                    disk.spool.failed();
                    disk.spool.len()
                };
                if !outage {
                    outage = true;
                    tracing::warn!(waiting, "accounting records wait in the spool: {e}");
                }
                tokio::time::sleep(acct.cfg.timeout).await;
            }
        }
    }
}
