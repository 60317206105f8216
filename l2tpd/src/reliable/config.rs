//! Tunables of the reliable control channel.

use std::time::Duration;

/// Parameters of one tunnel's reliable control channel (RFC 2661 §5.8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReliableConfig {
    /// Our Receive Window Size, as advertised in our RWS AVP (0 is treated as 1).
    pub our_window: u16,
    /// The peer's Receive Window Size; 4 when its SCCRQ/SCCRP carried no RWS AVP (0 is treated as 1).
    pub peer_window: u16,
    /// First retransmission timeout (RFC: at least 1 s).
    pub initial_timeout: Duration,
    /// Cap on the exponentially backed-off retransmission timeout (RFC: at least 8 s).
    pub max_timeout: Duration,
    /// Retransmissions of one message without progress before the peer is declared dead.
    pub max_retransmits: u32,
    /// How long an acknowledgement may wait for an outgoing message to piggyback on before a
    /// ZLB is sent instead; well below `initial_timeout` so the peer never retransmits needlessly.
    pub ack_delay: Duration,
    /// Slow start and congestion avoidance (RFC 2661 Appendix A, recommended): start with one
    /// message in flight and open up to `peer_window` as acknowledgements come back.
    pub slow_start: bool,
    /// Bound on our messages that are unacknowledged or waiting for the peer's window.
    pub max_queue: usize,
}

impl ReliableConfig {
    /// How long a message goes unacknowledged before the peer is declared dead: the first
    /// timeout plus every backed-off retransmission timeout. A closed tunnel keeps its state this
    /// long so that a retransmitted StopCCN is acknowledged again (RFC 2661 §5.7).
    pub fn full_cycle(&self) -> Duration {
        let max = self.max_timeout.max(self.initial_timeout);
        let mut timeout = self.initial_timeout;
        let mut total = Duration::ZERO;
        for _ in 0..=self.max_retransmits {
            total += timeout;
            timeout = (timeout * 2).min(max);
        }
        total
    }
}

impl Default for ReliableConfig {
    fn default() -> Self {
        Self {
            our_window: 16,
            peer_window: 4,
            initial_timeout: Duration::from_secs(1),
            max_timeout: Duration::from_secs(8),
            max_retransmits: 5,
            ack_delay: Duration::from_millis(200),
            max_queue: 64,
            slow_start: true,
        }
    }
}
