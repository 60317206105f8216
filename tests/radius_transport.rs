//! The daemon's RADIUS transport against a real FreeRADIUS over IPv6: 10,000 logins through
//! the login backends, 64 at a time, all answered, and the process holds exactly as many file
//! descriptors after them as before (a fixed pair of sockets: none per request, none leaked).

mod e2e;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use e2e::freeradius::{FreeRadius, SECRET};
use e2e::netns::Lab;
use pppd::auth::{AuthRequest, AuthVerdict};
use rasd::bad_input::BadInput;
use rasd::config::{AuthBackend, Config, RadiusServer};
use rasd::history::Carrier;
use rasd::login::{Judgement, Logins, RadiusLogin};
use rasd::radius::auth::LoginOrigin;
use rasd::users::Users;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn ten_thousand_logins_over_ipv6_on_a_fixed_set_of_sockets() {
    let lab = Lab::new("rasdrt");
    let radius = FreeRadius::start(&lab, &lab.srv, "rt", "127.0.0.1", "::1", "");
    let (accepted, before, after) = lab
        .in_ns(&lab.srv, || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let mut cfg = Config::parse("", Path::new("t.toml")).unwrap().radius;
                cfg.servers = vec![RadiusServer {
                    address: "[::1]:1812".parse().unwrap(),
                    secret: SECRET.into(),
                    priority: 0,
                    purpose: radius::Purpose::Auth,
                }];
                cfg.timeout = Duration::from_secs(2);
                let handle =
                    rasd::radius::driver::spawn(&cfg, Arc::new(BadInput::default())).unwrap();
                let none = Users::parse("", Path::new("t")).unwrap();
                let logins = Arc::new(Logins::new(
                    vec![AuthBackend::Radius],
                    none,
                    Some(RadiusLogin { handle, cfg }),
                ));
                let login = |i: u64| {
                    let logins = logins.clone();
                    async move {
                        let req = AuthRequest::Pap {
                            user: "alice".into(),
                            password: b"secret123".to_vec(),
                        };
                        let origin = LoginOrigin {
                            session: i,
                            peer: "[2001:db8::7]:1723".parse().unwrap(),
                            carrier: Carrier::Pptp { call_id: i as u16 },
                            numbers: Default::default(),
                        };
                        let decision = match logins.judge(&req, origin) {
                            Judgement::Now(d) => d,
                            Judgement::Later(pending) => pending.await,
                        };
                        matches!(decision.verdict, AuthVerdict::Accept(_))
                    }
                };
                assert!(login(0).await, "the first login was refused");
                let before = open_fds();
                let mut accepted = 0;
                for batch in 0..(10_000 / 64 + 1) {
                    let tasks: Vec<_> = (0..64)
                        .map(|i| tokio::spawn(login(1 + batch * 64 + i)))
                        .collect();
                    for t in tasks {
                        accepted += usize::from(t.await.unwrap());
                    }
                }
                (accepted, before, open_fds())
            })
        })
        .join()
        .unwrap_or_else(|_| panic!("{}", radius.log()));
    let total = (10_000 / 64 + 1) * 64;
    assert_eq!(accepted, total, "every login answered and accepted");
    assert_eq!(
        after, before,
        "file descriptors before and after {total} logins"
    );
}
