//! A rasd daemon started in a namespace for a test, with its configuration, users and logs in a
//! private directory; killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::netns::Lab;

/// The binary under test.
pub const RASD: &str = env!("CARGO_BIN_EXE_rasd");

/// Kills a child process when the test ends, however it ends.
pub struct Reaper(pub Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends SIGTERM to a child.
pub fn sigterm(child: &Child) {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
}

/// A running daemon and its files.
pub struct Daemon {
    /// The daemon process.
    pub process: Reaper,
    /// Its private directory (config, users, history, logs).
    pub dir: PathBuf,
}

impl Daemon {
    /// Starts rasd in the lab's server namespace, listening on 198.51.100.1:1723 with pool
    /// 192.0.2.10-192.0.2.20 and user alice/secret123. `overrides` are (section, line) pairs
    /// added to the configuration, e.g. `("ppp", "lcp_echo_interval = 2")` (one with a key of the
    /// base configuration replaces it, e.g. `("ip", "pools = [..]")`); a section written
    /// as a table header, like `"[[l2tp.peer]]"` or `"[ipsec]"`, adds that whole table with the
    /// given lines.
    pub fn start(lab: &Lab, tag: &str, overrides: &[(&str, &str)]) -> Daemon {
        let dir = std::env::temp_dir().join(format!("rasd-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let conf = dir.join("rasd.toml");
        let tun = format!("tun_name = \"{tag}0\"");
        let base = [
            ("server", "history_file = \"history.jsonl\""),
            ("server", "users_file = \"users\""),
            ("server", tun.as_str()),
            ("pptp", "listen = [\"198.51.100.1:1723\"]"),
            ("ppp", "auth_attempts = 3"),
            ("ip", "local = \"192.0.2.1\""),
            ("ip", "pools = [\"192.0.2.10-192.0.2.20\"]"),
        ];
        let mut text = String::new();
        for section in ["server", "pptp", "l2tp", "ppp", "ip", "radius"] {
            text += &format!("[{section}]\n");
            let overridden = |line: &str| {
                let key = line.split('=').next().unwrap_or("").trim();
                overrides
                    .iter()
                    .any(|(s, l)| *s == section && l.split('=').next().unwrap_or("").trim() == key)
            };
            let base = base
                .iter()
                .filter(|(s, line)| *s == section && !overridden(line));
            for (_, line) in base.chain(overrides.iter().filter(|(s, _)| *s == section)) {
                text += line;
                text.push('\n');
            }
        }
        // Whole tables (`[ipsec]`, `[[l2tp.peer]]`) go last.
        for (table, lines) in overrides.iter().filter(|(s, _)| s.starts_with('[')) {
            text += &format!("{table}\n{lines}\n");
        }
        std::fs::write(&conf, text).unwrap();
        let st = Command::new(RASD)
            .args([
                "user",
                "add",
                "alice",
                "--password",
                "secret123",
                "--config",
            ])
            .arg(&conf)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "rasd user add failed");
        let daemon = Daemon {
            process: Daemon::spawn(lab, &dir),
            dir,
        };
        daemon.wait_listening(1);
        daemon
    }

    /// Runs `rasd run` on the directory's configuration, appending to its log.
    fn spawn(lab: &Lab, dir: &std::path::Path) -> Reaper {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("rasd.log"))
            .unwrap();
        let child = lab
            .exec(&lab.srv, RASD)
            .args(["run", "--config"])
            .arg(dir.join("rasd.toml"))
            .env("RUST_LOG", "debug")
            .stderr(log)
            .spawn()
            .unwrap();
        Reaper(child)
    }

    /// Waits until the log shows `runs` starts listening.
    fn wait_listening(&self, runs: usize) {
        let listening = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(50));
            self.log().matches("listening for PPTP").count() >= runs
        });
        assert!(listening, "rasd did not start:\n{}", self.log());
    }

    /// Kills the daemon with SIGKILL (no goodbye, no stop records) and starts it again on the
    /// same directory.
    pub fn kill_and_restart(&mut self, lab: &Lab) {
        let runs = self.log().matches("listening for PPTP").count();
        let _ = self.process.0.kill();
        let _ = self.process.0.wait();
        self.process = Daemon::spawn(lab, &self.dir);
        self.wait_listening(runs + 1);
    }

    /// The daemon's log so far.
    pub fn log(&self) -> String {
        self.read("rasd.log")
    }

    /// A file of the daemon's directory, empty when missing.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }

    /// The history file as parsed JSON lines.
    pub fn history(&self) -> Vec<serde_json::Value> {
        self.read("history.jsonl")
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Whether the daemon is still running.
    pub fn alive(&mut self) -> bool {
        self.process.0.try_wait().unwrap().is_none()
    }

    /// Stops the daemon with SIGTERM and returns whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        sigterm(&self.process.0);
        self.process.0.wait().unwrap().success()
    }
}

/// A `rasd dial PROTOCOL` client in the lab's client namespace, logging to `log` in `dir`.
pub fn dial(lab: &Lab, dir: &std::path::Path, log: &str, protocol: &str, args: &[&str]) -> Reaper {
    let log = std::fs::File::create(dir.join(log)).unwrap();
    let child = lab
        .exec(&lab.cli, RASD)
        .args(["dial", protocol, "198.51.100.1"])
        .args(args)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    Reaper(child)
}

/// The value of `key=` in a dial client's `connected ...` line.
pub fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in {line:?}"))
}

/// Waits for a line of `child`'s stdout that starts with `prefix`.
pub fn wait_line(child: &mut Child, prefix: &'static str, timeout: Duration) -> Option<String> {
    wait_lines(child, prefix, 1, timeout).pop()
}

/// Waits for `count` lines of `child`'s stdout that start with `prefix`; fewer when `timeout`
/// passes first.
pub fn wait_lines(
    child: &mut Child,
    prefix: &'static str,
    count: usize,
    timeout: Duration,
) -> Vec<String> {
    let Some(out) = child.stdout.take() else {
        return Vec::new();
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.starts_with(prefix) {
                let _ = tx.send(line);
            }
        }
    });
    let deadline = Instant::now() + timeout;
    let mut lines = Vec::new();
    while lines.len() < count {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    lines
}

/// Asserts that the daemon is alive and a good client (alice) still connects over `protocol`,
/// then stops the daemon cleanly.
pub fn assert_serves_a_good_client(lab: &Lab, rasd: &mut Daemon, protocol: &str, tun: &str) {
    assert!(rasd.alive(), "rasd died:\n{}", rasd.log());
    let args = ["--user", "alice", "--password", "secret123", "--tun", tun];
    let mut client = dial(lab, &rasd.dir, "dial.log", protocol, &args);
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    let logs = format!("{}\n{}", rasd.log(), rasd.read("dial.log"));
    assert!(
        line.is_some(),
        "good client refused after bad input\n{logs}"
    );
    drop(client);
    assert!(rasd.stop(), "rasd did not exit cleanly:\n{}", rasd.log());
}

/// The daemon's closing count of drops of `kind` ("dropped while running"), 0 when none.
pub fn dropped_total(log: &str, kind: &str) -> u64 {
    let key = format!("kind=\"{kind}\" total=");
    log.lines()
        .filter(|l| l.contains("dropped while running"))
        .find_map(|l| l.split(&key).nth(1)?.split(' ').next()?.parse().ok())
        .unwrap_or(0)
}
