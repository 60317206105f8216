//! Once a session is up, neither the data path (MPPE both ways) nor the keepalive control path
//! (LCP Echo-Request/Reply through `poll_transmit`) allocates: an allocator that counts this
//! thread's allocations proves it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::Ipv4Addr;
use std::time::Instant;

use pppd::auth::{verify_local, Credential, Method};
use pppd::config::{Config, Role};
use pppd::session::{Event, Received, Session};
use rand::{rngs::StdRng, SeedableRng};

#[path = "support/ipv4.rs"]
mod ipv4;
use ipv4::ipv4_packet;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// Moves control frames both ways until nothing is queued; returns how many moved.
fn shuttle(a: &mut Session, b: &mut Session, now: Instant, tx: &mut [u8], rx: &mut [u8]) -> usize {
    let mut moved = 0;
    loop {
        let before = moved;
        while let Some(n) = a.poll_transmit(now, tx) {
            b.handle_frame(now, &tx[..n], rx);
            moved += 1;
        }
        while let Some(n) = b.poll_transmit(now, tx) {
            a.handle_frame(now, &tx[..n], rx);
            moved += 1;
        }
        if moved == before {
            return moved;
        }
    }
}

fn pair_up(stateful: bool) -> (Session, Session, Instant) {
    let now = Instant::now();
    let server_cfg = Config {
        mppe_prefer_stateful: stateful,
        ..Config::default()
    };
    let client_cfg = Config {
        role: Role::Client,
        credentials: Some(("alice".into(), "secret".into())),
        auth_methods: vec![Method::MsChapV2],
        mppe_prefer_stateful: stateful,
        ..Config::default()
    };
    let mut server = Session::new(server_cfg, StdRng::seed_from_u64(1));
    let mut client = Session::new(client_cfg, StdRng::seed_from_u64(2));
    server.lower_up(now);
    client.lower_up(now);
    let cred = Credential::Password("secret".into());
    let (mut tx, mut rx) = (vec![0u8; 2048], vec![0u8; 2048]);
    let mut up = 0;
    for _ in 0..100 {
        shuttle(&mut server, &mut client, now, &mut tx, &mut rx);
        while let Some(e) = server.poll_event() {
            if let Event::Authenticate(req) = &e {
                let verdict = verify_local(req, &cred);
                server.auth_verdict(now, verdict, Some(Ipv4Addr::new(192, 0, 2, 10)));
            }
            up += usize::from(matches!(e, Event::Up { .. }));
        }
        while let Some(e) = client.poll_event() {
            up += usize::from(matches!(e, Event::Up { .. }));
        }
        if up == 2 {
            return (server, client, now);
        }
    }
    panic!("the pair did not come up");
}

fn steady_state_allocates_nothing(stateful: bool) {
    let (mut server, mut client, mut now) = pair_up(stateful);
    let (mut tx, mut rx) = (vec![0u8; 2048], vec![0u8; 2048]);
    let packet = ipv4_packet(1, 1400, |_| 0);
    let mut run = |rounds: usize| {
        let mut echoes = 0;
        for _ in 0..rounds {
            // Keepalive: an interval with data needs no echo; the quiet one after it gets the
            // server's Echo-Request and the client's Echo-Reply.
            for _ in 0..2 {
                now = server.poll_timeout().expect("keepalive timer");
                server.handle_timeout(now);
                echoes += shuttle(&mut server, &mut client, now, &mut tx, &mut rx);
            }
            for _ in 0..50 {
                let n = server.send_ip(&packet, &mut tx).expect("up");
                assert_eq!(
                    client.handle_frame(now, &tx[..n], &mut rx),
                    Received::Ipv4(1400)
                );
                let n = client.send_ip(&packet, &mut tx).expect("up");
                assert_eq!(
                    server.handle_frame(now, &tx[..n], &mut rx),
                    Received::Ipv4(1400)
                );
            }
        }
        echoes
    };
    run(3);
    let before = allocations();
    let echoes = run(20);
    assert_eq!(allocations() - before, 0, "allocations in the steady state");
    assert_eq!(echoes, 40, "every Echo-Request was answered");
    assert!(!server.is_down() && !client.is_down());
}

#[test]
fn keepalive_and_mppe_data_allocate_nothing_once_up() {
    steady_state_allocates_nothing(false);
    steady_state_allocates_nothing(true);
}
