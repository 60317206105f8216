//! Accounting records per second through RADIUS next to the same records written to the local
//! history file, in one run: `--count` session Starts go through rasd's accounting (each fsynced
//! into the spool, sent, acknowledged by the server, removed), then the same Starts go to the
//! history file. Prints both rates and their ratio. `bench/radius-logins.sh` runs it against a
//! private FreeRADIUS.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rasd::accounting::{Accounting, SessionInfo};
use rasd::bad_input::BadInput;
use rasd::config::{Config, RadiusServer};
use rasd::history::{Carrier, History, SessionRecord};
use rasd::link::{CounterSource, Counters};
use rasd::session_limits::LimitChange;

/// A session that moved nothing.
struct Quiet;

impl CounterSource for Quiet {
    fn counters(&self) -> Counters {
        Counters::default()
    }

    fn disconnect(&self, _reason: &str) {}

    fn change_limits(&self, _change: LimitChange) {}
}

fn info(i: u64) -> SessionInfo {
    SessionInfo {
        session: 1 << 40 | i,
        user: "alice".into(),
        peer: "203.0.113.7:1723".parse().unwrap(),
        carrier: Carrier::Pptp { call_id: i as u16 },
        address: "10.99.0.10".parse().unwrap(),
        start: SystemTime::now(),
        numbers: Default::default(),
        class: Vec::new(),
        interim: None,
        by_radius: false,
        ipsec: None,
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (mut server, mut secret, mut count) = (
        "127.0.0.1:1813".to_string(),
        "testing123".to_string(),
        2000u64,
    );
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--server" => server = value,
            "--secret" => secret = value,
            "--count" => count = value.parse().expect("--count N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let dir = std::env::temp_dir().join(format!("rasd-acct-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = Config::parse("", Path::new("bench.toml")).unwrap().radius;
    cfg.servers = vec![RadiusServer {
        address: server.parse().expect("--server ADDRESS:PORT"),
        secret,
        priority: 0,
        purpose: radius::Purpose::Accounting,
    }];
    cfg.spool_dir = dir.join("spool");
    cfg.interim_interval = Duration::ZERO;
    let handle = rasd::radius::driver::spawn(&cfg, Arc::new(BadInput::default())).unwrap();
    let acct = Accounting::open(&cfg, 1).unwrap();
    acct.spawn(handle);
    let started = Instant::now();
    for i in 0..count {
        acct.start(info(i), Arc::new(Quiet));
    }
    acct.shut_down(Duration::from_secs(60)).await;
    let radius = started.elapsed();
    let left = std::fs::read_dir(cfg.spool_dir.join("queue")).map_or(0, |d| d.count());

    let history = History::open(&dir.join("history.jsonl")).unwrap();
    let started = Instant::now();
    for i in 0..count {
        let s = info(i);
        let record = SessionRecord::new(s.session, &s.user, s.peer, s.carrier, s.address, s.start);
        history.write_line(&record.start_line());
    }
    let local = started.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let rate = |d: Duration| (count as f64 / d.as_secs_f64()).round();
    println!(
        "accounting Starts, {count}: RADIUS {} records/s ({left} left unsent), history file {} records/s, history/RADIUS {}x",
        rate(radius),
        rate(local),
        (radius.as_secs_f64() / local.as_secs_f64()).round()
    );
}
