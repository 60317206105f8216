//! End to end on this kernel: rasd in one network namespace, the project's own PPTP client
//! (`rasd dial`, the peer-role engines) in another; ping and a byte-exact 1 MB transfer each
//! way through the tunnel; the history records the session.

mod e2e;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use e2e::netns::Lab;

const RASD: &str = env!("CARGO_BIN_EXE_rasd");

/// Kills a child process when the test ends, however it ends.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sigterm(child: &Child) {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
}

fn write_config(dir: &std::path::Path) -> std::path::PathBuf {
    let conf = dir.join("rasd.toml");
    std::fs::write(
        &conf,
        r#"[server]
history_file = "history.jsonl"
users_file = "users"
tun_name = "rasd-e2e0"
[pptp]
listen = ["198.51.100.1:1723"]
[ppp]
lcp_echo_interval = 2
[ip]
local = "192.0.2.1"
pools = ["192.0.2.10-192.0.2.20"]
"#,
    )
    .unwrap();
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
        .status()
        .unwrap();
    assert!(st.success(), "rasd user add failed");
    conf
}

/// Waits for a line of `child`'s stdout that starts with `prefix`.
fn wait_line(child: &mut Child, prefix: &'static str, timeout: Duration) -> Option<String> {
    let out = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.starts_with(prefix) {
                let _ = tx.send(line);
            }
        }
    });
    rx.recv_timeout(timeout).ok()
}

fn pattern(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[test]
fn pptp_session_through_namespaces() {
    let lab = Lab::new("rasde2e");
    let dir = tempdir();
    let conf = write_config(&dir);
    let log = std::fs::File::create(dir.join("rasd.log")).unwrap();
    let server = lab
        .exec(&lab.srv, RASD)
        .args(["run", "--config"])
        .arg(&conf)
        .env("RUST_LOG", "debug")
        .stderr(log)
        .spawn()
        .unwrap();
    let mut server = Reaper(server);
    std::thread::sleep(Duration::from_millis(500));

    let dial_log = std::fs::File::create(dir.join("dial.log")).unwrap();
    let mut client = Reaper(
        lab.exec(&lab.cli, RASD)
            .args(["dial", "pptp", "198.51.100.1", "--user", "alice"])
            .args(["--password", "secret123", "--tun", "rasdc0"])
            .env("RUST_LOG", "debug")
            .stdout(Stdio::piped())
            .stderr(dial_log)
            .spawn()
            .unwrap(),
    );
    let line = wait_line(&mut client.0, "connected", Duration::from_secs(20));
    let logs = || {
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
        format!(
            "--- rasd log:\n{}\n--- dial log:\n{}",
            read("rasd.log"),
            read("dial.log")
        )
    };
    let line = line.unwrap_or_else(|| panic!("client did not connect\n{}", logs()));
    assert!(
        line.contains("address=192.0.2.10"),
        "first pool address expected: {line}"
    );
    assert!(
        line.contains("Bits128 stateless=true"),
        "MPPE-128 stateless expected: {line}"
    );

    let ping = lab
        .exec(&lab.cli, "ping")
        .args(["-c", "3", "-W", "2", "192.0.2.1"])
        .output()
        .unwrap();
    assert!(
        ping.status.success(),
        "ping through the tunnel failed: {}",
        String::from_utf8_lossy(&ping.stdout)
    );

    // 1 MB each way: the server echoes what it gets; the client checks every byte.
    let data = pattern(1 << 20);
    let expect = data.clone();
    let listener = lab
        .in_ns(&lab.srv, || TcpListener::bind("192.0.2.1:5001").unwrap())
        .join()
        .unwrap();
    let echo = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = vec![0u8; 1 << 20];
        s.read_exact(&mut got).unwrap();
        s.write_all(&got).unwrap();
        got
    });
    let back = lab
        .in_ns(&lab.cli, move || {
            let mut s = TcpStream::connect("192.0.2.1:5001").unwrap();
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
            s.write_all(&data).unwrap();
            let mut back = vec![0u8; 1 << 20];
            s.read_exact(&mut back).unwrap();
            back
        })
        .join()
        .expect("transfer through the tunnel failed");
    let received = echo.join().unwrap();
    assert!(received == expect, "server side received different bytes");
    assert!(back == expect, "client side received different bytes");

    // Hang up; the history has the session with its traffic.
    sigterm(&client.0);
    let _ = client.0.wait();
    std::thread::sleep(Duration::from_millis(500));
    sigterm(&server.0);
    let status = server.0.wait().unwrap();
    assert!(status.success(), "rasd exited with {status}\n{}", logs());
    let history = std::fs::read_to_string(dir.join("history.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = history
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one start and one stop: {history}");
    assert_eq!(lines[0]["event"], "start");
    assert_eq!(lines[1]["event"], "stop");
    assert_eq!(lines[1]["user"], "alice");
    assert_eq!(lines[1]["address"], "192.0.2.10");
    assert_eq!(lines[1]["protocol"], "pptp");
    assert!(
        lines[1]["bytes_in"].as_u64().unwrap() >= 1 << 20,
        "bytes_in counts the upload: {history}"
    );
    assert!(
        lines[1]["bytes_out"].as_u64().unwrap() >= 1 << 20,
        "bytes_out counts the download: {history}"
    );
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rasd-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
