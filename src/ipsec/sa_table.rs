//! The IPsec SAs that carry L2TP, by the mark charon gave each (see `l2tp::path`): what the
//! L2TP server checks an SCCRQ against, and what a session's history says of its SA.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

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

/// The live SAs by mark, and a way to ask the driver to list them again.
#[derive(Default)]
pub struct SaTable {
    by_mark: RwLock<HashMap<u32, Arc<IpsecSa>>>,
    refresh: Notify,
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

    /// An SA went down.
    pub fn remove(&self, mark: u32) {
        self.write().remove(&mark);
    }

    /// Replaces every entry with a fresh listing.
    pub fn replace_all(&self, sas: impl IntoIterator<Item = (u32, IpsecSa)>) {
        let fresh = sas.into_iter().map(|(m, sa)| (m, Arc::new(sa))).collect();
        *self.write() = fresh;
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
