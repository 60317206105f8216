use std::path::Path;

use super::*;
use crate::config::Config;
use crate::history::Carrier;
use crate::link::Counters;

struct Fixed(Counters);

impl CounterSource for Fixed {
    fn disconnect(&self, _reason: &str) {}

    fn change_limits(&self, _change: crate::session_limits::LimitChange) {}

    fn counters(&self) -> Counters {
        self.0
    }
}

fn cfg(dir: &Path) -> RadiusConfig {
    let mut cfg = Config::parse("", Path::new("x.toml")).unwrap().radius;
    cfg.spool_dir = dir.to_owned();
    cfg
}

fn session(id: u64) -> SessionInfo {
    SessionInfo {
        session: id,
        user: "alice".into(),
        peer: "203.0.113.7:50312".parse().unwrap(),
        carrier: Carrier::Pptp { call_id: 1 },
        address: "10.99.0.10".parse().unwrap(),
        start: SystemTime::now(),
        numbers: Default::default(),
        class: Vec::new(),
        interim: None,
        by_radius: false,
        ipsec: None,
    }
}

/// The queued records, oldest first: (kind, session, Acct-Terminate-Cause, Acct-Input-Octets).
fn queued(acct: &Accounting) -> Vec<(Kind, u64, Option<u32>, Option<u32>)> {
    let disk = acct.disk();
    let mut found = disk.store.list().unwrap();
    found.sort_by_key(|e| e.seq);
    found
        .iter()
        .map(|e| {
            let r = disk.store.read(e).unwrap().request(SystemTime::now());
            let a = &r.attributes;
            let cause = a.integer(radius::attr::ACCT_TERMINATE_CAUSE);
            (
                e.kind,
                e.session,
                cause,
                a.integer(radius::attr::ACCT_INPUT_OCTETS),
            )
        })
        .collect()
}

#[test]
fn a_session_left_open_by_a_crash_gets_one_nas_reboot_stop_with_its_counters() {
    let dir = tempfile::tempdir().unwrap();
    let acct = Accounting::open(&cfg(dir.path()), 1).unwrap();
    let c = Counters {
        bytes_in: 500,
        ..Counters::default()
    };
    acct.start(session(7), Arc::new(Fixed(c)));
    acct.start(session(8), Arc::new(Fixed(c)));
    acct.stop(8, "peer terminated the link");
    drop(acct); // the daemon dies: nothing more is written

    let acct = Accounting::open(&cfg(dir.path()), 2).unwrap();
    let q = queued(&acct);
    let reboot = Some(TerminateCause::NasReboot.number());
    let user = Some(TerminateCause::UserRequest.number());
    assert_eq!(
        q,
        vec![
            (Kind::On, 1, None, None),
            (Kind::Start, 7, None, None),
            (Kind::Start, 8, None, None),
            (Kind::Stop, 8, user, Some(500)),
            (Kind::Stop, 7, reboot, Some(500)),
            (Kind::On, 2, None, None),
        ]
    );
    drop(acct);
    let again = Accounting::open(&cfg(dir.path()), 3).unwrap();
    let stops = queued(&again).iter().filter(|r| r.0 == Kind::Stop).count();
    assert_eq!(stops, 2, "a second restart adds no Stop");
}

#[test]
fn a_sessions_own_interim_interval_beats_the_configured_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = cfg(dir.path());
    config.interim_interval = Duration::ZERO; // none configured
    let acct = Accounting::open(&config, 1).unwrap();
    let c = Arc::new(Fixed(Counters::default()));
    let mut own = session(7);
    own.interim = Some(Duration::from_secs(60));
    acct.start(own, c.clone());
    acct.start(session(8), c);
    let interims = |acct: &Accounting| {
        queued(acct)
            .iter()
            .filter(|(k, ..)| *k == Kind::Interim)
            .map(|(_, s, ..)| *s)
            .collect::<Vec<_>>()
    };
    acct.interims(Instant::now() + Duration::from_secs(53));
    assert!(
        interims(&acct).is_empty(),
        "not before 54 s (60 s less a tenth at most)"
    );
    acct.interims(Instant::now() + Duration::from_secs(61));
    assert_eq!(interims(&acct), [7], "only the session that asked for them");
}

#[test]
fn a_coa_interim_interval_starts_interim_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = cfg(dir.path());
    config.interim_interval = Duration::ZERO;
    let acct = Accounting::open(&config, 1).unwrap();
    acct.start(session(7), Arc::new(Fixed(Counters::default())));
    acct.interims(Instant::now() + Duration::from_secs(3600));
    let interims = |acct: &Accounting| {
        queued(acct)
            .iter()
            .filter(|(k, ..)| *k == Kind::Interim)
            .count()
    };
    assert_eq!(interims(&acct), 0, "none asked for");
    acct.set_interim(7, Duration::from_secs(60));
    acct.set_interim(99, Duration::from_secs(60)); // no such session: nothing happens
    acct.interims(Instant::now() + Duration::from_secs(61));
    assert_eq!(interims(&acct), 1);
}
