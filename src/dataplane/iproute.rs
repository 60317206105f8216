//! Running iproute2's `ip` for the device and route changes the kernel has no simpler door for.

use std::process::Command;

use anyhow::{bail, Context, Result};

/// Runs `ip ARGS`; Err with its complaint when it fails.
pub fn ip(args: &[&str]) -> Result<()> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .context("running `ip` (iproute2)")?;
    if !out.status.success() {
        bail!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
