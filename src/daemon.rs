//! `rasd run`: builds the shared state from the configuration, starts the transports and the
//! data plane, and on SIGINT/SIGTERM says goodbye to every client and writes every stop record.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::watch;

use crate::accounting::Accounting;
use crate::addresses::Addresses;
use crate::bad_input::BadInput;
use crate::config::AuthBackend;
use crate::config::Config;
use crate::dataplane::SharedTun;
use crate::history::History;
use crate::l2tp::server::L2tpServer;
use crate::login::{Logins, RadiusLogin};
use crate::pool::Pool;
use crate::pptp::gre_input::run_gre_input;
use crate::pptp::server::PptpServer;
use crate::shared::Shared;
use crate::users::Users;

/// How long clients get to acknowledge the goodbye at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(15);

/// How long the spool gets to drain (Stops, Accounting-Off) at shutdown.
const ACCOUNTING_GRACE: Duration = Duration::from_secs(5);

/// Raises the open-files limit, and says when it is still too small for the PPTP calls
/// `max_sessions` allows.
fn check_open_files(cfg: &Config) {
    let limit = match crate::fd_limit::raise() {
        Ok(raised) => {
            if raised.now > raised.before {
                tracing::debug!(
                    from = raised.before,
                    to = raised.now,
                    "open files limit raised"
                );
            }
            raised.now
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read or raise the open files limit");
            return;
        }
    };
    let calls = crate::fd_limit::pptp_calls_within(limit);
    let wanted = cfg.server.max_sessions as u64;
    if cfg.pptp.enabled && calls < wanted {
        tracing::warn!(
            open_files = limit,
            pptp_calls = calls,
            max_sessions = wanted,
            "the open files limit leaves room for fewer PPTP calls than [server] max_sessions: \
             raise the hard limit (systemd: LimitNOFILE=, or ulimit -Hn) to at least {}",
            wanted + crate::fd_limit::BASE_FILES
        );
    }
}

/// Runs the daemon until a signal tells it to stop.
pub async fn run(cfg: Config) -> Result<()> {
    check_open_files(&cfg);
    crate::priority_send::set_control_dscp(cfg.server.control_dscp);
    let users = Users::load_or_empty(&cfg.server.users_file)?;
    let named = cfg.ip.named_pools.iter();
    let ranges: Vec<_> = (cfg.ip.pools.iter())
        .chain(named.clone().flat_map(|p| &p.ranges))
        .map(|r| (r.first, r.last))
        .collect();
    let pool = Pool::new(&cfg.ip.pools, &[cfg.ip.local], cfg.ip.sticky);
    let named = named
        .map(|p| (p.name.clone(), Pool::new(&p.ranges, &[], cfg.ip.sticky)))
        .collect();
    let history = History::open(&cfg.server.history_file).with_context(|| {
        format!(
            "opening the history file {}",
            cfg.server.history_file.display()
        )
    })?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let bad_input = Arc::new(BadInput::default());
    let handle = if cfg.radius.servers.is_empty() {
        None
    } else {
        let handle = crate::radius::driver::spawn(&cfg.radius, bad_input.clone())
            .context("opening the RADIUS client's sockets")?;
        let servers: Vec<String> = cfg
            .radius
            .servers
            .iter()
            .map(|s| format!("{} ({:?})", s.address, s.purpose))
            .collect();
        tracing::info!(?servers, "RADIUS client");
        Some(handle)
    };
    let radius = handle
        .clone()
        .filter(|_| cfg.server.auth_backends.contains(&AuthBackend::Radius))
        .map(|handle| RadiusLogin {
            handle,
            cfg: cfg.radius.clone(),
        });
    let accounting = match &handle {
        Some(handle) if cfg.radius.accounting() => {
            let boot = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let acct = Accounting::open(&cfg.radius, boot).with_context(|| {
                format!(
                    "opening the accounting spool {}",
                    cfg.radius.spool_dir.display()
                )
            })?;
            acct.spawn(handle.clone());
            Some(acct)
        }
        _ => None,
    };
    let logins = Logins::new(cfg.server.auth_backends.clone(), users, radius);
    let mtu = cfg.pptp.mtu.max(cfg.l2tp.mtu);
    let tun = Arc::new(SharedTun::create(
        &cfg.server.tun_name,
        cfg.ip.local,
        mtu,
        &ranges,
    )?);
    let shared = Arc::new(
        Shared::new(
            logins,
            Addresses::new(pool, named, cfg.ip.local, tun.name()),
            history,
            cfg.server.max_sessions,
            stop_rx,
            bad_input,
        )
        .with_accounting(accounting.clone()),
    );
    tun.spawn_readers(&shared.sessions);
    let mut maps: Vec<Arc<dyn crate::memory_trim::ShrinkMaps>> = Vec::new();

    if cfg.pptp.enabled {
        let server = PptpServer::new(
            shared.clone(),
            crate::settings::pptp_settings(&cfg),
            tun.clone(),
        )?;
        for listener in server.bind().await? {
            let addr = listener.local_addr()?;
            tracing::info!(%addr, gre_readers = server.gre.len(), "listening for PPTP");
            tokio::spawn(server.clone().accept_loop(listener));
        }
        maps.push(server.calls.clone());
        for socket in &server.gre {
            tokio::spawn(run_gre_input(
                socket.clone(),
                server.calls.clone(),
                server.shared.bad_input.clone(),
            ));
        }
    }
    let ipsec = cfg.ipsec.enabled.then(|| crate::ipsec::start(&cfg.ipsec));
    let mut leak_guard = false;
    if cfg.l2tp.enabled {
        let server = L2tpServer::new(
            shared.clone(),
            crate::settings::l2tp_settings(&cfg),
            tun.clone(),
            ipsec.as_ref().map(|i| i.sas.clone()),
        );
        for group in server.bind()? {
            let addr = group[0].local_addr()?;
            tracing::info!(%addr, readers = group.len(), "listening for L2TP");
            tokio::spawn(crate::l2tp::socket::watch_drops(group.clone(), addr));
            for socket in group {
                if ipsec.is_some() {
                    crate::l2tp::mark_io::enable_receive_marks(&socket).with_context(|| {
                        format!("reading IPsec SA marks on {addr} (SO_RCVMARK needs Linux 5.19)")
                    })?;
                }
                tokio::spawn(server.clone().receive_loop(socket));
            }
        }
        tokio::spawn(server.clone().close_tunnels_of_gone_sas());
        maps.push(server.clone());
        if ipsec.is_some() {
            let ports: Vec<u16> = cfg.l2tp.listen.iter().map(|a| a.port()).collect();
            match crate::ipsec::leak_guard::install(&ports) {
                Ok(()) => leak_guard = true,
                Err(e) => tracing::warn!("IPsec: no kernel guard against L2TP leaving in cleartext when an SA vanishes: {e:#}"),
            }
        }
    }
    if let Some(addr) = cfg.radius.dae_listen {
        crate::radius::dae_listener::spawn(addr, &cfg.radius, shared.clone()).await?;
    }
    if let Some(every) = cfg.server.summary_interval {
        tokio::spawn(log_summaries(shared.clone(), every));
    }
    tokio::spawn(crate::memory_trim::shrink_when_settled(
        shared.clone(),
        maps,
    ));
    tracing::info!(tun = tun.name(), tun_queues = tun.queue_count(), local = %cfg.ip.local, pool_size = shared.pool_capacity(), "rasd running");

    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
        _ = int.recv() => tracing::info!("SIGINT: shutting down"),
    }
    let _ = stop_tx.send(true);
    shared.tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, shared.tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some sessions did not finish their goodbye in time");
    }
    shared.history_stop_all("daemon shutdown");
    if let Some(ipsec) = ipsec {
        ipsec.stop().await;
    }
    if leak_guard {
        if let Err(e) = crate::ipsec::leak_guard::remove() {
            tracing::warn!("IPsec: removing the kernel guard: {e:#}");
        }
    }
    if let Some(acct) = &accounting {
        acct.shut_down(ACCOUNTING_GRACE).await;
    }
    for (kind, total) in shared.bad_input.nonzero() {
        tracing::info!(kind, total, "dropped while running");
    }
    tracing::info!("rasd stopped");
    Ok(())
}

/// Logs the session summary every `every` in which anything happened.
async fn log_summaries(shared: Arc<Shared>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    loop {
        tick.tick().await;
        let interval = shared.summary.take();
        if !interval.is_quiet() {
            tracing::info!("{}", interval.line(shared.sessions_up()));
        }
    }
}
