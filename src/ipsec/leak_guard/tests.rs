use super::*;

#[test]
fn the_rule_drops_only_marked_l2tp_without_a_policy() {
    let s = script(&[1701, 1702]);
    assert!(s.starts_with("add table inet rasd_ipsec_guard\ndelete table inet rasd_ipsec_guard\n"));
    assert!(s.contains("type filter hook output priority 0; policy accept;"));
    assert!(s.contains("meta mark != 0 udp sport { 1701, 1702 } rt ipsec missing counter drop"));
}

/// Runs `nft ARGS` in network namespace `ns`, with `stdin` as its input.
fn nft_in(ns: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new("ip")
        .args(["netns", "exec", ns, "nft"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_kernel_takes_the_rule_and_a_second_install_replaces_it() {
    if unsafe { libc::geteuid() } != 0 || Command::new("nft").arg("--version").output().is_err() {
        return; // needs root and nftables; the interop suite runs it in a real kernel
    }
    // In a network namespace of its own, so the machine's ruleset is never touched.
    let ns = format!("rasd-guard-{}", std::process::id());
    let ip = |args: &[&str]| Command::new("ip").args(args).status().unwrap().success();
    assert!(ip(&["netns", "add", &ns]));
    let first = nft_in(&ns, &["-f", "-"], &script(&[1701]));
    // A killed rasd's leftover table is replaced.
    let again = nft_in(&ns, &["-f", "-"], &script(&[1701]));
    let listed = nft_in(&ns, &["list", "table", "inet", "rasd_ipsec_guard"], "");
    ip(&["netns", "del", &ns]);
    assert!(
        first.status.success(),
        "the kernel refused the guard's rule"
    );
    assert!(again.status.success(), "a second install failed");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert_eq!(listed.matches("rt ipsec missing").count(), 1, "{listed}");
}
