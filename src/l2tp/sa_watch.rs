//! Whether the IPsec SA a tunnel came through went down, as the tunnel and its sessions see it:
//! set once by the server when charon reports the SA gone, read before every send (one atomic
//! load, no lock on the packet path), awaited by the tunnel's task to close it.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// One tunnel's view of its SA (never set for a cleartext tunnel).
#[derive(Default)]
pub struct SaWatch {
    gone: AtomicBool,
    notify: Notify,
}

impl SaWatch {
    /// The SA went down: nothing more may be sent with its mark.
    pub fn set_gone(&self) {
        self.gone.store(true, Ordering::Release);
        self.notify.notify_one();
    }

    /// Whether the SA went down.
    pub fn is_gone(&self) -> bool {
        self.gone.load(Ordering::Acquire)
    }

    /// Resolves once the SA went down (at once if it already had).
    pub async fn gone(&self) {
        if !self.is_gone() {
            self.notify.notified().await;
        }
    }
}

#[cfg(test)]
mod tests;
