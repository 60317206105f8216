//! A real FreeRADIUS 3.2 (Debian's) for a test: a private copy of its configuration, log and run
//! directories, started in one of the lab's namespaces with a client entry for the other
//! namespace, and killed when dropped. The package's own service is never used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::daemon::Reaper;
use super::netns::Lab;

/// The shared secret between rasd (and the tests) and the test server.
pub const SECRET: &str = "testing123";

/// A running FreeRADIUS and its private directory.
pub struct FreeRadius {
    /// The server process (`freeradius -X`, its debug log in `radiusd.log`).
    pub process: Reaper,
    /// Configuration, logs, accounting detail files.
    pub dir: PathBuf,
}

/// Runs a shell command, panicking with its output when it fails.
fn sh(script: &str) {
    let out = Command::new("sh").args(["-c", script]).output().unwrap();
    assert!(
        out.status.success(),
        "{script}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl FreeRadius {
    /// Starts FreeRADIUS in namespace `ns` listening on `listen` (auth on 1812, accounting on
    /// 1813), accepting requests from `client` (an address or prefix) with [`SECRET`], with user
    /// alice / secret123. `users` lines are added before the defaults (FreeRADIUS `users` syntax).
    pub fn start(lab: &Lab, ns: &str, tag: &str, listen: &str, client: &str, users: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("rasd-radius-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("log/radacct")).unwrap();
        std::fs::create_dir_all(dir.join("run")).unwrap();
        let raddb = dir.join("raddb");
        let d = raddb.display();
        let w = dir.display();
        sh(&format!("cp -a /etc/freeradius/3.0 {d}"));
        sh(&format!(
            "sed -i -e 's|^raddbdir = .*|raddbdir = {d}|' -e 's|^logdir = .*|logdir = {w}/log|' \
             -e 's|^run_dir = .*|run_dir = {w}/run|' \
             -e 's|^\\treject_delay = .*|\\treject_delay = 0|' {d}/radiusd.conf"
        ));
        // Listen on the given IPv4 address and on ::1 (the default site listens on * and ::).
        sh(&format!(
            "sed -i -e 's|^\\tipaddr = \\*|\\tipaddr = {listen}|' \
             -e 's|^\\tipv6addr = ::.*|\\tipv6addr = ::1|' {d}/sites-available/default"
        ));
        // FreeRADIUS before 3.2.5 signs no reply (Blast-RADIUS, CVE-2024-3596); rasd refuses
        // unsigned Access-Accepts and -Rejects, so every reply carries a Message-Authenticator,
        // which FreeRADIUS computes when the attribute is present.
        let sign = "\\tupdate reply {\\n\\t\\t\\&Message-Authenticator := 0x00\\n\\t}";
        sh(&format!(
            "sed -i -e 's|^post-auth {{$|post-auth {{\\n{sign}|' \
             -e 's|^\\tPost-Auth-Type REJECT {{$|\\tPost-Auth-Type REJECT {{\\n{sign}|' \
             {d}/sites-available/default"
        ));
        let clients = format!(
            "client rasd {{\n    ipaddr = {client}\n    proto = *\n    secret = {SECRET}\n    \
             require_message_authenticator = yes\n    nas_type = other\n}}\n"
        );
        std::fs::write(raddb.join("clients.conf"), clients).unwrap();
        let authorize = raddb.join("mods-config/files/authorize");
        let defaults = std::fs::read_to_string(&authorize).unwrap();
        let alice = "alice\tCleartext-Password := \"secret123\"\n\n";
        std::fs::write(&authorize, format!("{users}\n{alice}{defaults}")).unwrap();
        sh(&format!("chown -R freerad:freerad {w}/log {w}/run"));
        let log = std::fs::File::create(dir.join("radiusd.log")).unwrap();
        let child = lab
            .exec(ns, "freeradius")
            .args(["-X", "-d"])
            .arg(&raddb)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .stdin(Stdio::null())
            .spawn()
            .unwrap();
        let server = FreeRadius {
            process: Reaper(child),
            dir,
        };
        let ready = (0..250).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            server.log().contains("Ready to process requests")
        });
        assert!(ready, "FreeRADIUS did not start:\n{}", server.log());
        server
    }

    /// The server's debug log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("radiusd.log")).unwrap_or_default()
    }

    /// The accounting records of the detail files, each as its attribute names and values
    /// (quotes taken off), in the order they arrived.
    pub fn accounting(&self) -> Vec<HashMap<String, String>> {
        self.detail()
            .split("\n\n")
            .map(|record| {
                record
                    .lines()
                    .filter_map(|l| l.trim().split_once(" = "))
                    .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
                    .collect::<HashMap<_, _>>()
            })
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// Every accounting detail file the server wrote, concatenated.
    pub fn detail(&self) -> String {
        let mut text = String::new();
        visit(&self.dir.join("log/radacct"), &mut text);
        text
    }
}

fn visit(dir: &Path, text: &mut String) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, text);
        } else if let Ok(s) = std::fs::read_to_string(&path) {
            text.push_str(&s);
        }
    }
}
