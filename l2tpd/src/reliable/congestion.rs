//! Control-channel slow start and congestion avoidance (RFC 2661 Appendix A): a congestion
//! window, never above the peer's receive window, that starts at one message, grows by one per
//! acknowledged message up to a threshold, then by one per window's worth of acknowledgements,
//! and falls back to one on retransmission.

/// Congestion window state of the sending side.
pub(crate) struct Congestion {
    cwnd: usize,
    ssthresh: usize,
    /// Acknowledgements counted towards the next increase in congestion avoidance.
    acked: usize,
}

impl Congestion {
    /// Slow start from one message, with the threshold at the peer's window.
    pub(crate) fn new(peer_window: usize) -> Self {
        Self {
            cwnd: 1,
            ssthresh: peer_window,
            acked: 0,
        }
    }

    /// The peer's window became known: it is the new threshold and ceiling.
    pub(crate) fn set_peer_window(&mut self, peer_window: usize) {
        self.ssthresh = peer_window;
        self.cwnd = self.cwnd.min(peer_window);
    }

    /// How many messages may be unacknowledged at once.
    pub(crate) fn window(&self) -> usize {
        self.cwnd
    }

    /// `count` messages were newly acknowledged.
    pub(crate) fn on_ack(&mut self, count: usize, peer_window: usize) {
        for _ in 0..count {
            if self.cwnd < self.ssthresh {
                self.cwnd += 1;
            } else {
                self.acked += 1;
                if self.acked >= self.cwnd {
                    self.acked = 0;
                    self.cwnd += 1;
                }
            }
        }
        self.cwnd = self.cwnd.min(peer_window);
    }

    /// A retransmission signals congestion: remember half the window, restart from one.
    pub(crate) fn on_retransmit(&mut self) {
        self.ssthresh = (self.cwnd / 2).max(1);
        self.cwnd = 1;
        self.acked = 0;
    }
}

#[cfg(test)]
mod tests;
