//! The figures a run ends with, as text for people and JSON for scripts.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::tally::{Tally, Traffic};

/// Sessions that ended one way, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// Where it happened (for failures: the stage the session was in).
    pub stage: String,
    /// Why.
    pub cause: String,
    /// How many sessions.
    pub sessions: u64,
}

/// Probe traffic figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrafficReport {
    /// Echo requests sent.
    pub sent_packets: u64,
    /// Intact echo replies.
    pub received_packets: u64,
    /// Requests without an intact reply.
    pub lost_packets: u64,
    /// Replies that came back altered.
    pub corrupt_packets: u64,
    /// IP bytes sent.
    pub sent_bytes: u64,
    /// IP bytes received intact.
    pub received_bytes: u64,
    /// Replies per second over the hold.
    pub received_packets_per_s: u64,
    /// Received IP traffic over the hold, Mbit/s.
    pub received_mbit_per_s: u64,
}

/// Everything `rasd bench` reports at the end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// "l2tp" or "pptp".
    pub protocol: String,
    /// Sessions asked for.
    pub sessions: u64,
    /// Sessions started.
    pub started: u64,
    /// Sessions that came up.
    pub up: u64,
    /// Sessions that never came up.
    pub failed: u64,
    /// Failures by stage and cause.
    pub failures: Vec<Cause>,
    /// Sessions up per second, from the first start to the last session up.
    pub setup_rate_per_s: u64,
    /// Setup latency percentiles (from asking for the session to IPCP up), microseconds.
    pub setup_us_p50: u64,
    /// 90th percentile.
    pub setup_us_p90: u64,
    /// 99th percentile.
    pub setup_us_p99: u64,
    /// Seconds the hold lasted.
    pub hold_s: u64,
    /// Sessions that came up and ended on their own before the teardown.
    pub dropped_during_hold: u64,
    /// Why they ended.
    pub drops: Vec<Cause>,
    /// Probe traffic (None when the run sent none).
    pub traffic: Option<TrafficReport>,
    /// Sessions torn down with every step answered.
    pub clean_teardowns: u64,
    /// Sessions torn down with a step unanswered.
    pub unclean_teardowns: u64,
    /// What went unanswered.
    pub unclean: Vec<Cause>,
    /// Datagrams the generator could not send (its own socket buffer full).
    pub generator_send_drops: u64,
    /// The generator's own CPU time (user + system), milliseconds: a generator near
    /// `wall_ms × cores` was the limit, not the server.
    pub generator_cpu_ms: u64,
    /// Wall time of the whole run, milliseconds.
    pub wall_ms: u64,
}

/// Nearest-rank percentile of sorted values (0 for none).
pub fn percentile(sorted: &[u32], pct: u32) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * pct as usize).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

fn causes<'a>(items: impl Iterator<Item = (&'a str, &'a str, u64)>) -> Vec<Cause> {
    let mut list: Vec<Cause> = items
        .map(|(stage, cause, sessions)| Cause {
            stage: stage.to_string(),
            cause: cause.to_string(),
            sessions,
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.sessions));
    list
}

fn traffic(t: &Traffic, hold: Duration) -> Option<TrafficReport> {
    if t.sent_packets == 0 {
        return None;
    }
    let secs = hold.as_secs_f64().max(0.001);
    Some(TrafficReport {
        sent_packets: t.sent_packets,
        received_packets: t.received_packets,
        lost_packets: t
            .sent_packets
            .saturating_sub(t.received_packets + t.corrupt_packets),
        corrupt_packets: t.corrupt_packets,
        sent_bytes: t.sent_bytes,
        received_bytes: t.received_bytes,
        received_packets_per_s: (t.received_packets as f64 / secs) as u64,
        received_mbit_per_s: (t.received_bytes as f64 * 8.0 / secs / 1e6) as u64,
    })
}

impl Report {
    /// The figures of a finished run.
    pub fn new(
        protocol: &str,
        sessions: u64,
        tally: &Tally,
        hold: Duration,
        cpu: Duration,
        wall: Duration,
    ) -> Report {
        let mut lat = tally.latencies_us.clone();
        lat.sort_unstable();
        let us = |pct| u64::from(percentile(&lat, pct));
        let setup_secs = match (tally.first_start, tally.last_up) {
            (Some(a), Some(b)) => b.saturating_duration_since(a).as_secs_f64(),
            _ => 0.0,
        };
        Report {
            protocol: protocol.to_string(),
            sessions,
            started: tally.started,
            up: tally.up,
            failed: tally.failed_total(),
            failures: causes(
                tally
                    .failed
                    .iter()
                    .map(|((s, c), n)| (s.as_str(), c.as_str(), *n)),
            ),
            setup_rate_per_s: if setup_secs > 0.0 {
                (tally.up as f64 / setup_secs) as u64
            } else {
                tally.up
            },
            setup_us_p50: us(50),
            setup_us_p90: us(90),
            setup_us_p99: us(99),
            hold_s: hold.as_secs(),
            dropped_during_hold: tally.dropped_total(),
            drops: causes(tally.dropped.iter().map(|(c, n)| ("hold", c.as_str(), *n))),
            traffic: traffic(&tally.traffic, hold),
            clean_teardowns: tally.clean_teardowns,
            unclean_teardowns: tally.unclean_total(),
            unclean: causes(
                tally
                    .unclean_teardowns
                    .iter()
                    .map(|(c, n)| ("teardown", c.as_str(), *n)),
            ),
            generator_send_drops: tally.send_drops,
            generator_cpu_ms: cpu.as_millis() as u64,
            wall_ms: wall.as_millis() as u64,
        }
    }

    /// Whether every session came up, stayed up, passed every probe intact and was torn down
    /// cleanly.
    pub fn all_good(&self) -> bool {
        self.up == self.sessions
            && self.dropped_during_hold == 0
            && self.clean_teardowns == self.sessions
            && self
                .traffic
                .as_ref()
                .is_none_or(|t| t.lost_packets == 0 && t.corrupt_packets == 0)
    }

    /// The report as lines of text.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} sessions: {} up, {} failed of {} ({} started)",
            self.protocol, self.up, self.failed, self.sessions, self.started
        );
        for c in &self.failures {
            let _ = writeln!(
                s,
                "  failed in {}: {}: {} sessions",
                c.stage, c.cause, c.sessions
            );
        }
        let _ = writeln!(
            s,
            "setup: {} sessions/s, latency p50 {} µs, p90 {} µs, p99 {} µs",
            self.setup_rate_per_s, self.setup_us_p50, self.setup_us_p90, self.setup_us_p99
        );
        let _ = writeln!(
            s,
            "hold: {} s, {} sessions dropped",
            self.hold_s, self.dropped_during_hold
        );
        for c in &self.drops {
            let _ = writeln!(s, "  dropped: {}: {} sessions", c.cause, c.sessions);
        }
        if let Some(t) = &self.traffic {
            let _ = writeln!(
                s,
                "traffic: {} packets sent, {} back intact, {} lost, {} corrupt; {} packets/s, {} Mbit/s",
                t.sent_packets,
                t.received_packets,
                t.lost_packets,
                t.corrupt_packets,
                t.received_packets_per_s,
                t.received_mbit_per_s
            );
        }
        let _ = writeln!(
            s,
            "teardown: {} clean, {} unclean",
            self.clean_teardowns, self.unclean_teardowns
        );
        for c in &self.unclean {
            let _ = writeln!(s, "  unclean: {}: {} sessions", c.cause, c.sessions);
        }
        let _ = writeln!(
            s,
            "generator: {} ms CPU in {} ms wall, {} datagrams it could not send",
            self.generator_cpu_ms, self.wall_ms, self.generator_send_drops
        );
        s
    }
}

#[cfg(test)]
mod tests;
