//! The IPsec SAs that carry L2TP, by the mark charon gave each (see `l2tp::path`): what the
//! L2TP server checks an SCCRQ against, what a session's history says of its SA, and which SAs
//! went away (their tunnels stop sending at once — a datagram sent with the mark of an SA that
//! is gone would match no IPsec policy and leave in cleartext — and are closed).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;
use tokio::sync::Notify;

/// What a session records of the IPsec SA its L2TP came through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpsecSa {
    /// The IKE peer's address and port (the NAT's, for a client behind one).
    pub peer: SocketAddr,
    /// The identity it authenticated as.
    pub identity: String,
    /// The IKE proposal chosen, e.g. `AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`.
    pub ike: String,
    /// The ESP proposal chosen, e.g. `AES_CBC-256/HMAC_SHA1_96`.
    pub esp: String,
    /// Whether ESP travels in UDP (NAT traversal).
    pub nat_t: bool,
}

/// The live SAs by mark, the marks of SAs that went away, and a way to ask the driver to
/// list them again.
#[derive(Default)]
pub struct SaTable {
    by_mark: RwLock<HashMap<u32, Arc<IpsecSa>>>,
    refresh: Notify,
    gone: Mutex<Vec<u32>>,
    gone_notify: Notify,
}

impl SaTable {
    /// The SA whose mark is `mark`, if charon told us of it.
    pub fn lookup(&self, mark: u32) -> Option<Arc<IpsecSa>> {
        self.read().get(&mark).cloned()
    }

    /// An SA came up (or was listed).
    pub fn insert(&self, mark: u32, sa: IpsecSa) {
        self.write().insert(mark, Arc::new(sa));
    }

    /// An SA went down: its tunnels are to be closed.
    pub fn remove(&self, mark: u32) {
        if self.write().remove(&mark).is_some() {
            self.note_gone([mark]);
        }
    }

    /// Replaces every entry with a fresh listing; SAs missing from it went down.
    pub fn replace_all(&self, sas: impl IntoIterator<Item = (u32, IpsecSa)>) {
        let fresh: HashMap<_, _> = sas.into_iter().map(|(m, sa)| (m, Arc::new(sa))).collect();
        let gone: Vec<u32> = {
            let mut table = self.write();
            let gone = table
                .keys()
                .filter(|m| !fresh.contains_key(m))
                .copied()
                .collect();
            *table = fresh;
            gone
        };
        self.note_gone(gone);
    }

    /// The marks of SAs that went down since the last call.
    pub fn take_gone(&self) -> Vec<u32> {
        std::mem::take(&mut *self.gone.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Resolves when an SA went down (see [`SaTable::take_gone`]).
    pub async fn gone_notified(&self) {
        self.gone_notify.notified().await;
    }

    fn note_gone(&self, marks: impl IntoIterator<Item = u32>) {
        let mut gone = self.gone.lock().unwrap_or_else(|p| p.into_inner());
        let before = gone.len();
        gone.extend(marks);
        if gone.len() > before {
            self.gone_notify.notify_one();
        }
    }

    /// SAs known now.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether no SA is known.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Asks the driver to list the SAs again (a datagram came through an SA we do not know).
    pub fn request_refresh(&self) {
        self.refresh.notify_one();
    }

    /// Resolves when a refresh was asked for.
    pub async fn refresh_requested(&self) {
        self.refresh.notified().await;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<u32, Arc<IpsecSa>>> {
        self.by_mark.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<u32, Arc<IpsecSa>>> {
        self.by_mark.write().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests;
