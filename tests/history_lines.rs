//! History lines parse back as JSON with the contract's fields; the file gets one line each.

use rasd::history::{Carrier, History, SessionRecord};
use serde_json::Value;
use std::time::{Duration, UNIX_EPOCH};

fn record() -> SessionRecord {
    let mut r = SessionRecord::new(
        42,
        "CORP\\alice \"quoted\"",
        "192.0.2.7:50123".parse().unwrap(),
        Carrier::Pptp { call_id: 7 },
        "10.99.0.10".parse().unwrap(),
        UNIX_EPOCH + Duration::from_secs(1_709_294_400),
    );
    r.bytes_in = 1000;
    r.bytes_out = 2000;
    r.packets_in = 10;
    r.packets_out = 20;
    r
}

#[test]
fn start_and_stop_lines_parse_back() {
    let r = record();
    let start: Value = serde_json::from_str(&r.start_line()).unwrap();
    assert_eq!(start["event"], "start");
    assert_eq!(start["session"], 42);
    assert_eq!(start["user"], "CORP\\alice \"quoted\"");
    assert_eq!(start["peer"], "192.0.2.7:50123");
    assert_eq!(start["protocol"], "pptp");
    assert_eq!(start["call_id"], 7);
    assert_eq!(start["address"], "10.99.0.10");
    assert_eq!(start["start"], "2024-03-01T12:00:00Z");
    assert!(start.get("end").is_none() && start.get("cause").is_none());

    let end = UNIX_EPOCH + Duration::from_secs(1_709_294_400 + 3661);
    let line = r.stop_line(end, "peer closed");
    assert!(!line.contains('\n'));
    let stop: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(stop["event"], "stop");
    assert_eq!(stop["start"], "2024-03-01T12:00:00Z");
    assert_eq!(stop["end"], "2024-03-01T13:01:01Z");
    assert_eq!(stop["bytes_in"], 1000);
    assert_eq!(stop["bytes_out"], 2000);
    assert_eq!(stop["packets_in"], 10);
    assert_eq!(stop["packets_out"], 20);
    assert_eq!(stop["cause"], "peer closed");
    assert_eq!(stop["user"], start["user"]);
}

#[test]
fn history_file_appends_one_line_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log/rasd/history.jsonl");
    let h = History::open(&path).unwrap();
    let r = record();
    h.write_line(&r.start_line());
    h.try_write_line(&r.stop_line(UNIX_EPOCH, "admin")).unwrap();
    // reopening appends
    History::open(&path).unwrap().write_line(&r.start_line());
    let text = std::fs::read_to_string(&path).unwrap();
    let events: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(events, ["start", "stop", "start"]);
    assert!(text.ends_with('\n'));
}

#[test]
fn unwritable_history_is_an_error() {
    assert!(History::open(std::path::Path::new("/proc/rasd-no/history.jsonl")).is_err());
}
