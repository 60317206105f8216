//! `rasd bench`: a load generator. The client side of L2TP (as a LAC: tunnels carrying many
//! sessions each) and PPTP (a control connection per call), with full PPP in the peer role,
//! made of the same sans-IO engines as the server, with no TUN device or task per session.
//! It starts sessions at a target rate with a bound on those in setup, holds them (answering
//! LCP echoes, optionally passing probe traffic whose every byte is checked), tears every one
//! down and reports what happened.

mod cli;
mod gre_calls;
mod l2tp_load;
mod options;
mod pacer;
mod peer;
mod pptp_load;
mod probe;
mod report;
mod tally;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

pub use cli::BenchArgs;
pub use options::{BenchOptions, Protocol};
pub use report::Report;

use pacer::Pacer;
use peer::lock;
use tally::Tally;

/// Where the whole run stands; every worker follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunPhase {
    /// Sessions are being started.
    Setup,
    /// Every session is held; probes flow.
    Hold,
    /// No more probes; the last replies come back.
    Drain,
    /// Every session hangs up.
    Teardown,
}

/// What the workers share.
pub struct Shared {
    /// The run's options.
    pub opts: BenchOptions,
    /// The client PPP settings of every session.
    pub ppp: pppd::config::Config,
    /// Every session's outcome.
    pub tally: Mutex<Tally>,
    /// L2TP: a permit per tunnel in setup.
    pub tunnel_setups: Arc<tokio::sync::Semaphore>,
}

/// How long the last probe replies may take after the hold.
const DRAIN: Duration = Duration::from_secs(1);
/// Longest the teardown may take (PPP Terminate, then the StopCCN's retransmissions).
const TEARDOWN_LIMIT: Duration = Duration::from_secs(45);
/// How often a progress line is printed.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// How sessions are started.
enum Starter {
    /// A message to a tunnel's task opens one session in it.
    L2tp(Vec<mpsc::UnboundedSender<()>>),
    /// Each call is a task of its own.
    Pptp(Arc<pptp_load::Gre>),
}

/// Runs the load and reports on it. Bounded: the setup timeout, the hold, and the teardown
/// limit.
pub async fn run(opts: BenchOptions) -> Result<Report> {
    opts.check()?;
    let t0 = Instant::now();
    let cpu0 = cpu_time();
    let total = opts.total();
    let shared = Arc::new(Shared {
        ppp: opts.ppp_config(),
        tunnel_setups: Arc::new(tokio::sync::Semaphore::new(opts.max_tunnels_in_setup)),
        opts,
        tally: Mutex::new(Tally::default()),
    });
    let (phase_tx, phase_rx) = watch::channel(RunPhase::Setup);
    let mut workers = JoinSet::new();
    let mut gre_reader = None;
    let starter = match shared.opts.protocol {
        Protocol::L2tp => {
            let mut opens = Vec::new();
            for index in 0..shared.opts.tunnels {
                let (tx, rx) = mpsc::unbounded_channel();
                opens.push(tx);
                workers.spawn(l2tp_load::run_tunnel(
                    index,
                    shared.clone(),
                    rx,
                    phase_rx.clone(),
                ));
            }
            Starter::L2tp(opens)
        }
        Protocol::Pptp => {
            let gre = pptp_load::open_gre(shared.opts.bind)?;
            let std::net::SocketAddr::V4(server) = shared.opts.server else {
                anyhow::bail!("PPTP needs an IPv4 server");
            };
            let reader = gre.calls.clone().run(gre.socket.clone(), *server.ip());
            gre_reader = Some(tokio::spawn(reader));
            Starter::Pptp(gre)
        }
    };

    set_up(&shared, &starter, &mut workers, &phase_rx, total, t0).await;
    let hold_start = Instant::now();
    let _ = phase_tx.send(RunPhase::Hold);
    let hold_end = hold_start + shared.opts.hold;
    let mut next_line = Instant::now() + PROGRESS_EVERY;
    while Instant::now() < hold_end {
        tokio::time::sleep_until(next_line.min(hold_end).into()).await;
        if Instant::now() >= next_line {
            progress(&shared, "hold", t0);
            next_line += PROGRESS_EVERY;
        }
    }
    let hold = hold_start.elapsed();
    if shared.opts.packet_size > 0 {
        let _ = phase_tx.send(RunPhase::Drain);
        tokio::time::sleep(DRAIN).await;
    }
    let _ = phase_tx.send(RunPhase::Teardown);
    let finished = tokio::time::timeout(TEARDOWN_LIMIT, async {
        while workers.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        workers.abort_all();
    }
    if let Some(reader) = gre_reader {
        reader.abort();
    }
    drop(starter);
    let mut tally = lock(&shared.tally);
    let ended = tally.dropped_total() + tally.clean_teardowns + tally.unclean_total();
    let unfinished = tally.up.saturating_sub(ended);
    for _ in 0..unfinished {
        tally.tear_down(Some("teardown did not finish in time"));
    }
    let protocol = match shared.opts.protocol {
        Protocol::L2tp => "l2tp",
        Protocol::Pptp => "pptp",
    };
    Ok(Report::new(
        protocol,
        total as u64,
        &tally,
        hold,
        cpu_time().saturating_sub(cpu0),
        t0.elapsed(),
    ))
}

/// The setup phase: starts sessions as the pacer allows, until every one came up or failed,
/// or the setup timeout.
async fn set_up(
    shared: &Arc<Shared>,
    starter: &Starter,
    workers: &mut JoinSet<()>,
    phase: &watch::Receiver<RunPhase>,
    total: usize,
    t0: Instant,
) {
    let opts = &shared.opts;
    let mut pacer = Pacer::new(opts.rate, opts.max_in_setup, Instant::now());
    let deadline = Instant::now() + opts.setup_timeout;
    let mut issued = 0usize;
    let mut next_line = Instant::now() + PROGRESS_EVERY;
    loop {
        let now = Instant::now();
        let resolved = {
            let t = lock(&shared.tally);
            (t.up + t.failed_total()) as usize
        };
        if resolved >= total || now >= deadline {
            return;
        }
        let n = pacer.take(now, issued.saturating_sub(resolved), total - issued);
        for _ in 0..n {
            start(shared, starter, workers, phase, issued);
            issued += 1;
        }
        if now >= next_line {
            progress(shared, "setup", t0);
            next_line += PROGRESS_EVERY;
        }
        let wake = pacer.next_check(now).min(now + Duration::from_millis(1));
        tokio::time::sleep_until(wake.into()).await;
    }
}

/// Starts session `index` (from 0): tunnels take their sessions in turn.
fn start(
    shared: &Arc<Shared>,
    starter: &Starter,
    workers: &mut JoinSet<()>,
    phase: &watch::Receiver<RunPhase>,
    index: usize,
) {
    match starter {
        Starter::L2tp(opens) => {
            if opens[index % opens.len()].send(()).is_err() {
                let mut t = lock(&shared.tally);
                t.start(Instant::now());
                t.fail("tunnel", "the tunnel had closed");
            }
        }
        Starter::Pptp(gre) => {
            let call =
                pptp_load::run_call(index as u32 + 1, shared.clone(), gre.clone(), phase.clone());
            workers.spawn(call);
        }
    }
}

fn progress(shared: &Shared, phase: &str, t0: Instant) {
    let t = lock(&shared.tally);
    eprintln!(
        "bench {:>4} s {phase}: {} started, {} up, {} in setup, {} failed, {} dropped",
        t0.elapsed().as_secs(),
        t.started,
        t.up - t.dropped_total(),
        t.in_setup(),
        t.failed_total(),
        t.dropped_total()
    );
}

/// This process's CPU time so far, user and system.
fn cpu_time() -> Duration {
    // SAFETY: getrusage fills the struct we pass; RUSAGE_SELF is always valid.
    let usage = unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut u);
        u
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
