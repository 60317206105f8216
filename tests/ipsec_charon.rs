//! The daemon against a real charon (strongSwan 5.9.8, no kernel IPsec needed): rasd loads
//! its connection and key when it starts, `rasd ipsec status` reports them, a charon that
//! restarts gets them again without rasd being touched, and rasd's stop unloads them.
//! (SAs, ESP and clients are the QEMU interop suite's: tests/interop/run-ipsec.sh.)

mod e2e;

#[path = "../ipsec-glue/tests/charon_support/mod.rs"]
mod charon;

use std::process::Command;
use std::time::{Duration, Instant};

use charon::{Charon, Vici};
use e2e::daemon::Daemon;
use e2e::netns::Lab;
use ipsec_glue::commands::{get_shared, list_conns, LIST_CONN};

const RASD: &str = env!("CARGO_BIN_EXE_rasd");

/// The connections charon holds, and the ids of its shared keys.
fn loaded(vici: &mut Vici) -> (Vec<String>, Vec<String>) {
    let (events, _) = vici.command(&list_conns());
    let conns = events
        .iter()
        .filter(|(name, _)| name == LIST_CONN)
        .flat_map(|(_, m)| m.sections().map(|(k, _)| k.to_owned()).collect::<Vec<_>>())
        .collect();
    let (_, shared) = vici.command(&get_shared());
    let keys = shared
        .list("keys")
        .unwrap_or_default()
        .iter()
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect();
    (conns, keys)
}

/// Polls charon (a fresh VICI connection each time) until `want` holds, for up to `secs`.
fn wait_loaded(
    charon: &mut Charon,
    secs: u64,
    want: impl Fn(&(Vec<String>, Vec<String>)) -> bool,
) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        let mut vici = charon.connect();
        vici.register(LIST_CONN);
        if want(&loaded(&mut vici)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn rasd_loads_its_connection_reloads_it_after_a_charon_restart_and_unloads_it() {
    let mut charon = Charon::start();
    let _ = charon.connect(); // charon is up
    let lab = Lab::new("rasdipc");
    let section = format!(
        "enabled = true\npsk = \"a-long-pre-shared-key\"\nvici_socket = \"{}\"",
        charon.socket().display()
    );
    let mut rasd = Daemon::start(&lab, "rasdipc", &[("[ipsec]", section.as_str())]);
    let ours =
        |l: &(Vec<String>, Vec<String>)| l.0 == ["rasd-l2tp-psk"] && l.1 == ["rasd-l2tp-psk"];
    assert!(
        wait_loaded(&mut charon, 10, ours),
        "not loaded:\n{}\n{}",
        rasd.log(),
        charon.log()
    );

    let status = Command::new(RASD)
        .args(["ipsec", "status", "--config"])
        .arg(rasd.dir.join("rasd.toml"))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        report.contains("rasd's connections loaded: rasd-l2tp-psk"),
        "{report}"
    );
    assert!(report.contains("L2TP SAs: 0"), "{report}");

    // charon dies and comes back: rasd notices and loads everything again by itself.
    charon.restart();
    assert!(
        wait_loaded(&mut charon, 20, ours),
        "not reloaded after charon's restart:\n{}",
        rasd.log()
    );
    assert_eq!(
        rasd.log()
            .matches("IPsec: connections loaded into charon")
            .count(),
        2
    );

    assert!(rasd.stop(), "rasd did not exit cleanly:\n{}", rasd.log());
    let empty = |l: &(Vec<String>, Vec<String>)| l.0.is_empty() && l.1.is_empty();
    assert!(
        wait_loaded(&mut charon, 5, empty),
        "rasd's stop left its connection or key in charon"
    );
    assert!(
        rasd.log()
            .contains("IPsec: connections unloaded from charon"),
        "{}",
        rasd.log()
    );
}
