use super::*;

#[test]
fn the_rule_drops_only_marked_l2tp_without_a_policy() {
    let s = script(&[1701, 1702]);
    assert!(s.starts_with("add table inet rasd_ipsec_guard\ndelete table inet rasd_ipsec_guard\n"));
    assert!(s.contains("type filter hook output priority 0; policy accept;"));
    assert!(s.contains("meta mark != 0 udp sport { 1701, 1702 } rt ipsec missing counter drop"));
}

#[test]
fn nft_accepts_the_script_and_the_table_comes_and_goes() {
    if unsafe { libc::geteuid() } != 0 || Command::new("nft").arg("--version").output().is_err() {
        return; // needs root and nftables; the interop suite runs it in a real kernel
    }
    // In a network namespace of its own, so the machine's ruleset is never touched.
    let ns = format!("rasd-guard-{}", std::process::id());
    let ip = |args: &[&str]| Command::new("ip").args(args).status().unwrap().success();
    assert!(ip(&["netns", "add", &ns]));
    let check = Command::new("ip")
        .args(["netns", "exec", &ns, "nft", "-f", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(script(&[1701]).as_bytes())?;
            c.wait()
        });
    let listed = Command::new("ip")
        .args([
            "netns",
            "exec",
            &ns,
            "nft",
            "list",
            "table",
            "inet",
            "rasd_ipsec_guard",
        ])
        .output()
        .unwrap();
    // Installing twice replaces the table (a killed rasd's leftover).
    let again = Command::new("ip")
        .args(["netns", "exec", &ns, "nft", "-f", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(script(&[1701]).as_bytes())?;
            c.wait()
        });
    ip(&["netns", "del", &ns]);
    assert!(
        check.unwrap().success(),
        "the kernel refused the guard's rule"
    );
    assert!(again.unwrap().success(), "a second install failed");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("rt ipsec missing"), "{listed}");
}
