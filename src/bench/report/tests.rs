use std::time::{Duration, Instant};

use super::{percentile, Report};
use crate::bench::tally::Tally;

#[test]
fn percentiles_are_nearest_rank() {
    let v: Vec<u32> = (1..=100).collect();
    assert_eq!(percentile(&v, 50), 50);
    assert_eq!(percentile(&v, 90), 90);
    assert_eq!(percentile(&v, 99), 99);
    assert_eq!(percentile(&[7], 99), 7);
    assert_eq!(percentile(&[], 50), 0);
    assert_eq!(percentile(&[1, 2, 3], 50), 2);
}

fn tally_of(up: u32, failed: u32) -> Tally {
    let t0 = Instant::now();
    let mut t = Tally::default();
    for i in 0..up + failed {
        t.start(t0);
        if i < up {
            t.came_up(
                t0 + Duration::from_millis(u64::from(i) * 10),
                Duration::from_millis(u64::from(i) + 1),
            );
        } else {
            t.fail("network", "ipcp timeout");
        }
    }
    t
}

#[test]
fn setup_rate_is_sessions_up_over_first_start_to_last_up() {
    // 101 sessions up over 1 s.
    let t = tally_of(101, 0);
    let r = Report::new(
        "l2tp",
        101,
        &t,
        Duration::ZERO,
        Duration::ZERO,
        Duration::from_secs(2),
    );
    assert_eq!(r.setup_rate_per_s, 101);
    assert_eq!((r.setup_us_p50, r.setup_us_p99), (51_000, 100_000));
}

#[test]
fn a_clean_run_is_all_good_and_any_loss_is_not() {
    let mut t = tally_of(4, 0);
    for _ in 0..4 {
        t.tear_down(None);
    }
    t.traffic.sent_packets = 40;
    t.traffic.received_packets = 40;
    t.traffic.received_bytes = 40 * 100;
    let hold = Duration::from_secs(2);
    let r = Report::new("pptp", 4, &t, hold, Duration::ZERO, hold);
    assert!(r.all_good(), "{}", r.to_text());
    let tr = r.traffic.as_ref().unwrap();
    assert_eq!((tr.lost_packets, tr.received_packets_per_s), (0, 20));

    t.traffic.received_packets = 39;
    assert!(!Report::new("pptp", 4, &t, hold, Duration::ZERO, hold).all_good());
    t.traffic.received_packets = 40;
    t.traffic.corrupt_packets = 1;
    assert!(!Report::new("pptp", 4, &t, hold, Duration::ZERO, hold).all_good());
}

#[test]
fn failures_drops_and_unclean_teardowns_are_reported_with_their_causes() {
    let mut t = tally_of(3, 2);
    t.drop_during_hold("lcp echo timeout");
    t.tear_down(None);
    t.tear_down(Some("StopCCN never acknowledged"));
    let r = Report::new(
        "l2tp",
        5,
        &t,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    assert!(!r.all_good());
    assert_eq!((r.up, r.failed, r.dropped_during_hold), (3, 2, 1));
    assert_eq!(r.failures[0].stage, "network");
    assert_eq!(r.failures[0].sessions, 2);
    let text = r.to_text();
    assert!(
        text.contains("failed in network: ipcp timeout: 2 sessions"),
        "{text}"
    );
    assert!(
        text.contains("dropped: lcp echo timeout: 1 sessions"),
        "{text}"
    );
    assert!(
        text.contains("unclean: StopCCN never acknowledged: 1 sessions"),
        "{text}"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["failed"], 2);
    assert_eq!(json["unclean"][0]["cause"], "StopCCN never acknowledged");
}
