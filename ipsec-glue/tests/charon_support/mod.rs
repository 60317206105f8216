//! A throwaway charon (strongSwan 5.9.8) in its own mount and network namespaces, and a tiny
//! blocking VICI client over a Unix stream. Charon is killed when [`Charon`] drops. Shared by
//! this crate's charon test and the daemon's (`tests/ipsec_charon.rs` at the root).

#![allow(dead_code)] // each test crate uses its own part of the helpers

use ipsec_glue::commands::{confirmed, register, response};
use ipsec_glue::vici::{encode, Decoder, Message, Packet};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHARON: &str = "/usr/lib/ipsec/charon";
const PLUGINS: &str = "random nonce aes sha1 sha2 md5 hmac gmp openssl pem pkcs1 pkcs8 x509 \
                       pubkey kernel-netlink socket-default vici";

/// A running charon and its scratch directory.
pub struct Charon {
    child: Child,
    pub dir: PathBuf,
}

impl Charon {
    /// Starts charon with its own strongswan.conf, a private /run (its pid file path is
    /// compiled in) and a fresh network namespace (its IKE sockets bind 500/4500).
    pub fn start() -> Charon {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("ipsec-glue-charon-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(dir.join("run")).expect("scratch dir");
        let conf = dir.join("strongswan.conf");
        std::fs::write(
            &conf,
            format!(
                "charon {{\n  load = {PLUGINS}\n  install_routes = no\n  \
                 plugins {{\n    vici {{\n      socket = unix://{}\n    }}\n  }}\n  \
                 filelog {{\n    log {{\n      path = {}\n      default = 1\n    }}\n  }}\n}}\n",
                dir.join("charon.vici").display(),
                dir.join("charon.log").display(),
            ),
        )
        .expect("strongswan.conf");
        Charon {
            child: spawn(&dir),
            dir,
        }
    }

    /// Kills charon (as a crash or an upgrade would) and starts it again on the same socket.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(self.dir.join("charon.vici"));
        let _ = std::fs::remove_file(self.dir.join("run/charon.pid"));
        self.child = spawn(&self.dir);
    }

    /// Charon's VICI socket.
    pub fn socket(&self) -> PathBuf {
        self.dir.join("charon.vici")
    }

    /// Connects to charon's VICI socket, waiting up to 10 s for it to appear.
    pub fn connect(&mut self) -> Vici {
        let path = self.dir.join("charon.vici");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(stream) = UnixStream::connect(&path) {
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .expect("timeout");
                return Vici {
                    stream,
                    decoder: Decoder::new(),
                };
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("charon exited early: {status}; log: {}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "no VICI socket; log: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Charon's log so far, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("charon.log")).unwrap_or_default()
    }

    /// Writes `bytes` to `name` in the scratch directory.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path
    }
}

impl Drop for Charon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs charon on the configuration and private /run in `dir`.
fn spawn(dir: &Path) -> Child {
    let script = format!(
        "mount --bind {} /run && exec {CHARON}",
        dir.join("run").display()
    );
    Command::new("unshare")
        .args(["-m", "-n", "--propagation", "private", "sh", "-c", &script])
        .env("STRONGSWAN_CONF", dir.join("strongswan.conf"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn charon")
}

/// A blocking VICI connection.
pub struct Vici {
    stream: UnixStream,
    decoder: Decoder,
}

impl Vici {
    fn send(&mut self, packet: &Packet) {
        let mut wire = Vec::new();
        encode(packet, &mut wire).expect("encode");
        self.stream.write_all(&wire).expect("write to charon");
    }

    fn recv(&mut self) -> Packet {
        let mut buf = [0u8; 8192];
        loop {
            if let Some(p) = self.decoder.next_packet().expect("decode from charon") {
                return p;
            }
            let n = self.stream.read(&mut buf).expect("read from charon");
            assert!(n > 0, "charon closed the VICI socket");
            self.decoder.feed(&buf[..n]);
        }
    }

    /// Registers for event `name` and waits for the confirmation.
    pub fn register(&mut self, name: &str) {
        self.send(&register(name));
        confirmed(&self.recv()).expect("event registered");
    }

    /// Sends a command; returns the events streamed before the answer, and the answer.
    pub fn call(&mut self, request: &Packet) -> (Vec<(String, Message)>, Packet) {
        self.send(request);
        let mut events = Vec::new();
        loop {
            match self.recv() {
                Packet::Event { name, msg } => events.push((name, msg)),
                answer => return (events, answer),
            }
        }
    }

    /// Sends a command and returns its response message (panics on `CMD_UNKNOWN`).
    pub fn command(&mut self, request: &Packet) -> (Vec<(String, Message)>, Message) {
        let (events, answer) = self.call(request);
        let msg = response(&answer).expect("command known").clone();
        (events, msg)
    }
}

/// Runs strongSwan's `pki` with `args`, returning its standard output.
pub fn pki(args: &[&str]) -> Vec<u8> {
    let out = Command::new("pki")
        .args(args)
        .stderr(Stdio::null())
        .output()
        .expect("run pki");
    assert!(out.status.success(), "pki {args:?} failed");
    out.stdout
}

/// A throwaway CA and a server certificate it issued, as PEM: (CA, server cert, server key).
pub fn certificates(charon: &Charon) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let gen = [
        "--gen",
        "--type",
        "ecdsa",
        "--size",
        "256",
        "--outform",
        "pem",
    ];
    let ca_key = charon.write("ca.key", &pki(&gen));
    let ca_key = path_str(&ca_key);
    let ca = pki(&[
        "--self",
        "--ca",
        "--lifetime",
        "30",
        "--in",
        ca_key,
        "--dn",
        "CN=rasd test CA",
        "--outform",
        "pem",
    ]);
    let ca_path = charon.write("ca.pem", &ca);
    let key = pki(&gen);
    let key_path = charon.write("server.key", &key);
    let cert = pki(&[
        "--issue",
        "--in",
        path_str(&key_path),
        "--type",
        "priv",
        "--cacert",
        path_str(&ca_path),
        "--cakey",
        ca_key,
        "--dn",
        "CN=vpn.example",
        "--san",
        "vpn.example",
        "--lifetime",
        "30",
        "--outform",
        "pem",
    ]);
    (ca, cert, key)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}
