//! Two network namespaces joined by a veth pair, removed again on drop.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::process::Command;

/// A server namespace and a client namespace on one /24 of documentation space.
pub struct Lab {
    /// Namespace of the server.
    pub srv: String,
    /// Namespace of the client.
    pub cli: String,
}

/// Runs `ip` and panics with its error output when it fails.
pub fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("running ip");
    assert!(
        out.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Lab {
    /// Creates `<tag>-srv` (198.51.100.1) and `<tag>-cli` (198.51.100.2).
    pub fn new(tag: &str) -> Lab {
        assert!(
            unsafe { libc::geteuid() } == 0,
            "the end-to-end tests need root (network namespaces, TUN, raw GRE)"
        );
        let lab = Lab {
            srv: format!("{tag}-srv"),
            cli: format!("{tag}-cli"),
        };
        let _ = Command::new("ip").args(["netns", "del", &lab.srv]).output();
        let _ = Command::new("ip").args(["netns", "del", &lab.cli]).output();
        ip(&["netns", "add", &lab.srv]);
        ip(&["netns", "add", &lab.cli]);
        let (vs, vc) = (format!("{tag}s"), format!("{tag}c"));
        ip(&[
            "link", "add", &vs, "netns", &lab.srv, "type", "veth", "peer", "name", &vc, "netns",
            &lab.cli,
        ]);
        ip(&["-n", &lab.srv, "addr", "add", "198.51.100.1/24", "dev", &vs]);
        ip(&["-n", &lab.cli, "addr", "add", "198.51.100.2/24", "dev", &vc]);
        for (ns, dev) in [(&lab.srv, &vs), (&lab.cli, &vc)] {
            ip(&["-n", ns, "link", "set", dev, "up"]);
            ip(&["-n", ns, "link", "set", "lo", "up"]);
        }
        lab
    }

    /// Two pings from the client namespace to the server's tunnel end (192.0.2.1), bound with
    /// `ping -I` to `via` (a device or a source address).
    pub fn ping_server_via(&self, via: &str) -> std::process::Output {
        self.exec(&self.cli, "ping")
            .args(["-c", "2", "-W", "2", "-I", via, "192.0.2.1"])
            .output()
            .unwrap()
    }

    /// A command run inside namespace `ns`.
    pub fn exec(&self, ns: &str, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", ns, program]);
        c
    }

    /// Runs `args` (the program first) in namespace `ns`; panics with its error output when it
    /// fails.
    pub fn run(&self, ns: &str, args: &[&str]) {
        let out = self.exec(ns, args[0]).args(&args[1..]).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `f` on a thread that has entered namespace `ns`.
    pub fn in_ns<T: Send + 'static>(
        &self,
        ns: &str,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> std::thread::JoinHandle<T> {
        let path = format!("/run/netns/{ns}");
        std::thread::spawn(move || {
            let file = File::open(&path).expect("opening the namespace");
            let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
            assert_eq!(rc, 0, "setns {path}");
            f()
        })
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.srv])
            .output();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.cli])
            .output();
    }
}
