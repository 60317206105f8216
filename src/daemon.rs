//! `rasd run`: builds the shared state from the configuration, starts the transports and the
//! data plane, and on SIGINT/SIGTERM says goodbye to every client and writes every stop record.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::watch;

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

/// Runs the daemon until a signal tells it to stop.
pub async fn run(cfg: Config) -> Result<()> {
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
    let radius = if cfg.server.auth_backends.contains(&AuthBackend::Radius) {
        let handle = crate::radius::driver::spawn(&cfg.radius, bad_input.clone())
            .context("opening the RADIUS client's sockets")?;
        let servers: Vec<String> = cfg
            .radius
            .servers
            .iter()
            .map(|s| s.address.to_string())
            .collect();
        tracing::info!(?servers, "RADIUS authentication");
        Some(RadiusLogin {
            handle,
            cfg: cfg.radius.clone(),
        })
    } else {
        None
    };
    let logins = Logins::new(cfg.server.auth_backends.clone(), users, radius);
    let mtu = cfg.pptp.mtu.max(cfg.l2tp.mtu);
    let tun = Arc::new(SharedTun::create(
        &cfg.server.tun_name,
        cfg.ip.local,
        mtu,
        &ranges,
    )?);
    let shared = Arc::new(Shared::new(
        logins,
        Addresses::new(pool, named, cfg.ip.local, tun.name()),
        history,
        cfg.server.max_sessions,
        stop_rx,
        bad_input,
    ));
    tokio::spawn(tun.clone().route_to_sessions(shared.sessions.clone()));

    if cfg.pptp.enabled {
        let server = PptpServer::new(
            shared.clone(),
            crate::settings::pptp_settings(&cfg),
            tun.clone(),
        )?;
        for listener in server.bind().await? {
            tracing::info!(addr = %listener.local_addr()?, "listening for PPTP");
            tokio::spawn(server.clone().accept_loop(listener));
        }
        tokio::spawn(run_gre_input(
            server.gre.clone(),
            server.calls.clone(),
            server.shared.bad_input.clone(),
        ));
    }
    if cfg.l2tp.enabled {
        let server = L2tpServer::new(
            shared.clone(),
            crate::settings::l2tp_settings(&cfg),
            tun.clone(),
        );
        for socket in server.bind()? {
            let addr = socket.local_addr()?;
            tracing::info!(%addr, "listening for L2TP");
            tokio::spawn(crate::l2tp::socket::watch_drops(socket.clone(), addr));
            tokio::spawn(server.clone().receive_loop(socket));
        }
    }
    tracing::info!(tun = tun.name(), local = %cfg.ip.local, pool_size = shared.pool_capacity(), "rasd running");

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
    for (kind, total) in shared.bad_input.nonzero() {
        tracing::info!(kind, total, "dropped while running");
    }
    tracing::info!("rasd stopped");
    Ok(())
}
