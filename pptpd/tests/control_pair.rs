//! A server and a client control connection talking to each other in memory, with the TCP
//! byte stream cut into random fragments, under virtual time.

use std::time::{Duration, Instant};

use pptpd::{
    BadControlInput, ControlConfig, ControlConnection, ControlEvent, Role, MAX_MESSAGE_LEN,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

struct Pair {
    server: ControlConnection,
    client: ControlConnection,
    server_events: Vec<ControlEvent>,
    client_events: Vec<ControlEvent>,
    rng: StdRng,
    now: Instant,
}

fn config(role: Role, max_calls: u16) -> ControlConfig {
    ControlConfig {
        role,
        hostname: format!("{role:?}"),
        max_calls,
        ..ControlConfig::default()
    }
}

/// Moves everything `from` wants to send into `to`, in random fragments.
fn carry(
    from: &mut ControlConnection,
    to: &mut ControlConnection,
    rng: &mut StdRng,
    now: Instant,
) -> bool {
    let mut stream = Vec::new();
    let mut buf = [0u8; MAX_MESSAGE_LEN];
    while let Some(n) = from.poll_transmit(now, &mut buf) {
        stream.extend_from_slice(&buf[..n]);
    }
    let mut rest = &stream[..];
    while !rest.is_empty() {
        let n = rng.gen_range(1..=rest.len().min(40));
        to.handle_bytes(now, &rest[..n]);
        rest = &rest[n..];
    }
    !stream.is_empty()
}

impl Pair {
    fn new(seed: u64, server_max_calls: u16) -> Pair {
        let now = Instant::now();
        Pair {
            server: ControlConnection::new(config(Role::Server, server_max_calls), now),
            client: ControlConnection::new(config(Role::Client, 4), now),
            server_events: Vec::new(),
            client_events: Vec::new(),
            rng: StdRng::seed_from_u64(seed),
            now,
        }
    }

    /// Exchanges bytes until both sides are quiet; collects events.
    fn pump(&mut self) {
        loop {
            let a = carry(&mut self.client, &mut self.server, &mut self.rng, self.now);
            let b = carry(&mut self.server, &mut self.client, &mut self.rng, self.now);
            if !a && !b {
                break;
            }
        }
        self.server_events
            .extend(std::iter::from_fn(|| self.server.poll_event()));
        self.client_events
            .extend(std::iter::from_fn(|| self.client.poll_event()));
    }

    /// Advances virtual time, running both sides' timers.
    fn advance(&mut self, by: Duration) {
        self.now += by;
        self.server.handle_timeout(self.now);
        self.client.handle_timeout(self.now);
        self.pump();
    }

    fn take_server_events(&mut self) -> Vec<ControlEvent> {
        std::mem::take(&mut self.server_events)
    }

    fn take_client_events(&mut self) -> Vec<ControlEvent> {
        std::mem::take(&mut self.client_events)
    }

    fn establish(&mut self) {
        self.client.start(self.now);
        self.pump();
        assert!(self.server.is_established());
        assert!(self.client.is_established());
    }

    /// Client places `call_id`; the server accepts it with `server_call_id`.
    fn call(&mut self, call_id: u16, server_call_id: u16) {
        self.client.place_call(call_id);
        self.pump();
        let token = match &self.take_server_events()[..] {
            [ControlEvent::CallRequested(req)] => {
                assert_eq!(req.peer_call_id, call_id);
                assert_eq!(req.peer_recv_window, 64);
                assert!(!req.incoming);
                req.token
            }
            other => panic!("{other:?}"),
        };
        self.server.accept_call(token, server_call_id);
        self.pump();
        assert_eq!(
            self.take_client_events(),
            vec![ControlEvent::CallEstablished {
                call_id,
                peer_call_id: server_call_id,
                peer_recv_window: 64
            }]
        );
    }
}

#[test]
fn full_lifecycle_in_random_fragments() {
    for seed in 0..20 {
        let mut p = Pair::new(seed, 4);
        p.establish();

        // Calls come up.
        p.call(100, 5000);
        p.call(101, 5001);

        // Idle: both sides send Echo-Request, both answer; nobody closes.
        let interval = ControlConfig::default().echo_interval;
        for _ in 0..3 {
            p.advance(interval);
            p.advance(Duration::from_secs(1));
        }
        assert!(p.server.is_established() && p.client.is_established());
        assert!(p.take_server_events().is_empty());
        assert!(p.take_client_events().is_empty());

        // The client clears a call: the server reports it, the CDN answer is quiet.
        p.client.clear_call(100, "hang up");
        p.pump();
        assert!(matches!(
            &p.take_server_events()[..],
            [ControlEvent::CallCleared { call_id: 5000, .. }]
        ));
        assert!(p.take_client_events().is_empty());

        // The server clears the other call: the client reports it.
        p.server.clear_call(5001, "session ended");
        p.pump();
        assert!(p.take_server_events().is_empty());
        match &p.take_client_events()[..] {
            [ControlEvent::CallCleared {
                call_id: 101,
                reason,
            }] => {
                assert!(reason.contains("administrative shutdown (session ended)"))
            }
            other => panic!("{other:?}"),
        }

        // Orderly stop from the client.
        p.client.shutdown(p.now, "done");
        p.pump();
        assert!(matches!(
            &p.take_server_events()[..],
            [ControlEvent::Closed { reason }] if reason.contains("peer stopped")
        ));
        assert_eq!(
            p.take_client_events(),
            vec![ControlEvent::Closed {
                reason: "done".into()
            }]
        );
        assert!(p.server.is_closed() && p.client.is_closed());
        assert_eq!(p.server.stats(), &Default::default());
        assert_eq!(p.client.stats(), &Default::default());
    }
}

#[test]
fn server_limits_and_refusals_reach_the_client() {
    let mut p = Pair::new(7, 1);
    p.establish();
    p.call(1, 10);
    // Over the server's max_calls: refused with a general error.
    p.client.place_call(2);
    p.pump();
    assert_eq!(
        p.take_server_events(),
        [ControlEvent::BadInput(BadControlInput::TooManyCalls)]
    );
    match &p.take_client_events()[..] {
        [ControlEvent::CallCleared { call_id: 2, reason }] => {
            assert!(reason.contains("general error (error 4)"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(p.server.stats().calls_refused, 1);

    // The driver refuses: the client hears about it.
    p.client.clear_call(1, "bye");
    p.pump();
    p.take_server_events();
    p.client.place_call(3);
    p.pump();
    let token = match &p.take_server_events()[..] {
        [ControlEvent::CallRequested(req)] => req.token,
        other => panic!("{other:?}"),
    };
    p.server.refuse_call(token, "no addresses left");
    p.pump();
    assert!(matches!(
        &p.take_client_events()[..],
        [ControlEvent::CallCleared { call_id: 3, .. }]
    ));
}

#[test]
fn server_shutdown_reaches_the_client() {
    let mut p = Pair::new(3, 4);
    p.establish();
    p.call(1, 10);
    p.server.shutdown(p.now, "daemon stopping");
    p.pump();
    assert_eq!(
        p.take_server_events(),
        vec![ControlEvent::Closed {
            reason: "daemon stopping".into()
        }]
    );
    assert!(matches!(
        &p.take_client_events()[..],
        [ControlEvent::Closed { reason }] if reason.contains("reason 3")
    ));
}

#[test]
fn silent_peer_times_out() {
    // The client never gets its bytes delivered: the server's setup timer fires.
    let t = Instant::now();
    let cfg = config(Role::Server, 4);
    let mut server = ControlConnection::new(cfg.clone(), t);
    let deadline = server.poll_timeout().unwrap();
    assert_eq!(deadline, t + cfg.setup_timeout);
    server.handle_timeout(deadline);
    assert!(matches!(
        server.poll_event(),
        Some(ControlEvent::Closed { reason }) if reason.starts_with("setup timeout")
    ));

    // Established, then the client stops answering: echo timeout on the server.
    let mut p = Pair::new(11, 4);
    p.establish();
    let interval = cfg.echo_interval;
    p.now += interval;
    p.server.handle_timeout(p.now);
    let echo = p.server.poll_transmit(p.now, &mut [0u8; MAX_MESSAGE_LEN]);
    assert_eq!(echo, Some(16), "Echo-Request");
    // Lost on the way. The reply deadline passes.
    assert_eq!(p.server.poll_timeout(), Some(p.now + cfg.echo_timeout));
    p.now += cfg.echo_timeout;
    p.server.handle_timeout(p.now);
    assert!(matches!(
        p.server.poll_event(),
        Some(ControlEvent::Closed { reason }) if reason.starts_with("echo timeout")
    ));
}

#[test]
fn garbage_from_the_peer_closes() {
    // Noise after a valid setup: closes with a reason, never panics, never buffers more
    // than one message.
    let mut rng = StdRng::seed_from_u64(99);
    for seed in 0..200 {
        let mut p = Pair::new(seed, 4);
        p.establish();
        let noise: Vec<u8> = (0..rng.gen_range(1..2000)).map(|_| rng.gen()).collect();
        p.server.handle_bytes(p.now, &noise);
        while let Some(ev) = p.server.poll_event() {
            let expected = matches!(ev, ControlEvent::Closed { .. } | ControlEvent::BadInput(_));
            assert!(expected, "{ev:?}");
        }
        // Noise longer than the largest message cannot leave the connection open.
        if noise.len() > 512 {
            assert!(p.server.is_closed());
        }
    }
}
