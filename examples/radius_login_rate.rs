//! Logins per second through RADIUS next to the same logins against the local users file, in
//! one run: MS-CHAPv2 answers (what a Windows client sends) judged by rasd's login backends,
//! `--count` of them with `--concurrency` in flight. Prints both rates and their ratio.
//!
//! `bench/radius-logins.sh` starts a private FreeRADIUS and runs this against it; by hand:
//! `cargo run --release --example radius_login_rate -- --server 127.0.0.1:1812 --secret S`.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pppd::auth::{AuthRequest, AuthVerdict};
use pppd::mschap::{generate_nt_response, nt_password_hash};
use rasd::bad_input::BadInput;
use rasd::config::{AuthBackend, RadiusConfig, RadiusServer};
use rasd::history::Carrier;
use rasd::login::{Judgement, Logins, RadiusLogin};
use rasd::radius::auth::LoginOrigin;
use rasd::users::Users;

struct Args {
    server: SocketAddr,
    secret: String,
    count: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args {
        server: "127.0.0.1:1812".parse().unwrap(),
        secret: "testing123".into(),
        count: 2000,
        concurrency: 32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--server" => a.server = value.parse().expect("--server ADDRESS:PORT"),
            "--secret" => a.secret = value,
            "--count" => a.count = value.parse().expect("--count N"),
            "--concurrency" => a.concurrency = value.parse().expect("--concurrency N"),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// An MS-CHAPv2 answer from alice (password secret123) to challenge number `i`.
fn login(i: usize) -> AuthRequest {
    let mut authenticator_challenge = [0x5a; 16];
    authenticator_challenge[..8].copy_from_slice(&(i as u64).to_be_bytes());
    let peer_challenge = [0x3c; 16];
    let hash = nt_password_hash("secret123");
    let nt_response =
        generate_nt_response(&authenticator_challenge, &peer_challenge, "alice", &hash);
    AuthRequest::MsChapV2 {
        user: "alice".into(),
        authenticator_challenge,
        peer_challenge,
        nt_response,
    }
}

/// Judges `count` logins, `concurrency` at a time; logins per second and how many failed.
async fn run(logins: Arc<Logins>, count: usize, concurrency: usize) -> (f64, usize) {
    let started = Instant::now();
    let mut failed = 0;
    let mut next = 0;
    while next < count {
        let batch: Vec<_> = (next..count.min(next + concurrency))
            .map(|i| {
                let logins = logins.clone();
                tokio::spawn(async move {
                    let origin = LoginOrigin {
                        session: i as u64,
                        peer: "203.0.113.7:1723".parse().unwrap(),
                        carrier: Carrier::Pptp { call_id: i as u16 },
                        numbers: Default::default(),
                    };
                    let verdict = match logins.judge(&login(i), origin) {
                        Judgement::Now(v) => v,
                        Judgement::Later(pending) => pending.await,
                    };
                    matches!(verdict.verdict, AuthVerdict::Accept(_))
                })
            })
            .collect();
        next += batch.len();
        for task in batch {
            if !task.await.unwrap_or(false) {
                failed += 1;
            }
        }
    }
    (count as f64 / started.elapsed().as_secs_f64(), failed)
}

#[tokio::main]
async fn main() {
    let a = args();
    let users = Users::parse("alice password:secret123\n", Path::new("bench")).unwrap();
    let cfg = RadiusConfig {
        servers: vec![RadiusServer {
            address: a.server,
            secret: a.secret.clone(),
            priority: 0,
            purpose: radius::Purpose::Auth,
        }],
        nas_identifier: "rasd-bench".into(),
        nas_ip_address: None,
        timeout: Duration::from_secs(2),
        retries: 2,
        dead_time: Duration::from_secs(10),
        require_message_authenticator: true,
        max_in_flight: a.concurrency.max(1) * 2,
        interim_interval: Duration::ZERO,
        spool_dir: "unused".into(),
        spool_limit: 0,
        dae_listen: None,
        dae_clients: Vec::new(),
    };
    let handle = rasd::radius::driver::spawn(&cfg, Arc::new(BadInput::default())).unwrap();
    let radius = Arc::new(Logins::new(
        vec![AuthBackend::Radius],
        Users::parse("", Path::new("bench")).unwrap(),
        Some(RadiusLogin { handle, cfg }),
    ));
    let local = Arc::new(Logins::local(users));
    let (r, r_failed) = run(radius, a.count, a.concurrency).await;
    let (l, l_failed) = run(local, a.count, a.concurrency).await;
    println!(
        "MS-CHAPv2 logins, {} with {} in flight: RADIUS {} logins/s ({} failed), local {} logins/s ({} failed), local/RADIUS {}x",
        a.count,
        a.concurrency,
        r.round(),
        r_failed,
        l.round(),
        l_failed,
        (l / r).round()
    );
}
