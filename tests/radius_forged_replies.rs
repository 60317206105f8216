//! Replies rasd must not believe, from a hostile RADIUS responder on the server's address:
//! an Access-Accept signed with the wrong secret, one answering another identifier, and one
//! without Message-Authenticator are each dropped and counted, and the login fails; the same
//! responder's correct Accept lets the same login in, so the refusals are the checks' doing.
//! (FreeRADIUS cannot be made to send bad replies; this responder is the one stand-in.)

mod e2e;

use std::net::UdpSocket;
use std::time::Duration;

use e2e::daemon::{dial, sigterm, wait_line, Daemon};
use e2e::netns::Lab;
use radius::wire::{Builder, Code, Packet};

const SECRET: &str = "forge-test";

/// How the responder answers.
#[derive(Clone, Copy, Debug)]
enum Reply {
    WrongSecret,
    WrongIdentifier,
    Unsigned,
    Correct,
}

/// Answers every Access-Request on `socket` with an Access-Accept made the `reply` way, until
/// `count` requests were answered or 10 s passed.
fn respond(socket: &UdpSocket, reply: Reply, count: usize) {
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 4096];
    for _ in 0..count {
        let Ok((n, from)) = socket.recv_from(&mut buf) else {
            return;
        };
        let request = Packet::new_checked(&buf[..n]).unwrap();
        let (id, auth) = (request.identifier(), request.authenticator());
        let id = match reply {
            Reply::WrongIdentifier => id.wrapping_add(1),
            _ => id,
        };
        let secret = match reply {
            Reply::WrongSecret => b"guess".as_slice(),
            _ => SECRET.as_bytes(),
        };
        let mut out = [0u8; 4096];
        let mut b = Builder::new(&mut out, Code::AccessAccept, id).unwrap();
        if !matches!(reply, Reply::Unsigned) {
            b.message_authenticator().unwrap();
        }
        let len = b.finish_response(&auth, secret);
        socket.send_to(&out[..len], from).unwrap();
    }
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn forged_or_unsigned_accepts_are_refused() {
    let lab = Lab::new("rasdfr");
    let server = format!("address = \"127.0.0.1\"\nsecret = \"{SECRET}\"");
    // PAP so that a bare Access-Accept is enough to log in; no retransmissions.
    let overrides = [
        ("ppp", "auth = [\"pap\"]"),
        ("pptp", "mppe = \"allow\""),
        ("radius", "timeout = 1"),
        ("radius", "retries = 0"),
        ("[[radius.server]]", server.as_str()),
    ];
    let mut rasd = Daemon::start(&lab, "rasdfr", &overrides);
    let socket = lab
        .in_ns(&lab.srv, || UdpSocket::bind("127.0.0.1:1812").unwrap())
        .join()
        .unwrap();
    let socket = std::sync::Arc::new(socket);
    for reply in [
        Reply::WrongSecret,
        Reply::WrongIdentifier,
        Reply::Unsigned,
        Reply::Correct,
    ] {
        let responder = {
            let socket = socket.clone();
            std::thread::spawn(move || respond(&socket, reply, 1))
        };
        let args = [
            "--user",
            "mallory",
            "--password",
            "x",
            "--tun",
            "frt",
            "--auth",
            "pap",
            "--mppe",
            "none",
        ];
        let mut client = dial(&lab, &rasd.dir, "dial.log", "l2tp", &args);
        let line = wait_line(&mut client.0, "connected", Duration::from_secs(8));
        responder.join().unwrap();
        match reply {
            Reply::Correct => assert!(
                line.is_some(),
                "the correct Accept was refused\n{}",
                rasd.log()
            ),
            _ => assert!(line.is_none(), "{reply:?} let a login in\n{}", rasd.log()),
        }
        sigterm(&client.0);
        let _ = client.0.wait();
    }
    let log = rasd.log();
    for reason in [
        "reply with a bad Response Authenticator",
        "reply with an unknown identifier",
        "reply without Message-Authenticator",
    ] {
        assert!(log.contains(reason), "`{reason}` not logged\n{log}");
    }
    assert!(rasd.stop());
}
