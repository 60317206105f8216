//! The kernel's own guard against L2TP leaving in cleartext: an nftables rule that drops what
//! rasd sends with an SA mark when no IPsec policy took it.
//!
//! rasd sends nothing with the mark of an SA it knows is gone, but it learns that from charon's
//! events, a moment after the kernel dropped the SA's policy (or never, if something else
//! removed it). A datagram sent in that moment would match no policy and leave unencrypted.
//! The rule (`meta mark != 0 udp sport <L2TP ports> rt ipsec missing drop`) closes the gap
//! whatever the cause, and touches nothing else: plain-L2TP peers are sent to with mark 0.
//! It lives in its own table, made at start and deleted at stop; a table left by a killed rasd
//! is replaced at the next start.

use std::io::Write;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The nftables table rasd owns.
pub const TABLE: &str = "inet rasd_ipsec_guard";

/// The nft script that (re)creates the table for these L2TP source ports.
pub fn script(ports: &[u16]) -> String {
    let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
    format!(
        "add table {TABLE}\ndelete table {TABLE}\ntable {TABLE} {{\n\
         \tchain output {{\n\
         \t\ttype filter hook output priority 0; policy accept;\n\
         \t\tmeta mark != 0 udp sport {{ {} }} rt ipsec missing counter drop\n\
         \t}}\n}}\n",
        ports.join(", ")
    )
}

/// Installs the guard for the L2TP sockets bound to `ports`.
pub fn install(ports: &[u16]) -> Result<()> {
    run(&["-f", "-"], Some(&script(ports)))
}

/// Removes the guard.
pub fn remove() -> Result<()> {
    let (family, name) = TABLE.split_once(' ').unwrap_or(("inet", TABLE));
    run(&["delete", "table", family, name], None)
}

/// The guard's rule with its counter, as nft lists it, if installed.
pub fn show() -> Option<String> {
    let (family, name) = TABLE.split_once(' ')?;
    let out = Command::new("nft")
        .args(["list", "table", family, name])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success().then(|| {
        text.lines()
            .find(|l| l.contains("rt ipsec missing"))
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

fn run(args: &[&str], stdin: Option<&str>) -> Result<()> {
    let mut child = Command::new("nft")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("running nft (package nftables)")?;
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!(
            "nft {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
