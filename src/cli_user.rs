//! `rasd user add`: writes a user into the users file named by the configuration.

use crate::config::Config;
use anyhow::{bail, Context};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

/// Adds `name` (or changes their password) in the users file of the configuration at
/// `config`, storing the clear password only when CHAP-MD5 is enabled (it needs it), the NT
/// hash otherwise (enough for PAP and MS-CHAP). Prints what it did.
pub fn add_user(config: &Path, name: &str, password: &str) -> anyhow::Result<()> {
    let cfg = Config::load(config)?;
    let store_password = cfg.ppp.needs_passwords();
    let file = &cfg.server.users_file;
    crate::users::add_user(file, name, password, store_password)
        .with_context(|| format!("cannot write user `{name}` to {}", file.display()))?;
    let how = if store_password {
        "clear-text password: chap-md5 is enabled"
    } else {
        "NT hash"
    };
    println!("user `{name}` written to {} ({how})", file.display());
    Ok(())
}

/// Reads a password from standard input: asked twice without echo on a terminal, else the
/// first line.
pub fn prompt_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = read_hidden("Password: ")?;
        if read_hidden("Retype password: ")? != first {
            bail!("the passwords differ");
        }
        first
    } else {
        read_line(&mut stdin.lock())?
    };
    if password.is_empty() {
        bail!("empty password");
    }
    Ok(password)
}

fn read_line(input: &mut impl BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line).context("reading the password")?;
    let trimmed = line.strip_suffix('\n').unwrap_or(&line);
    Ok(trimmed.strip_suffix('\r').unwrap_or(trimmed).to_owned())
}

/// Prompts on stderr and reads a line from the terminal with echo off.
fn read_hidden(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let _echo_off = EchoOff::new();
    let line = read_line(&mut std::io::stdin().lock());
    eprintln!();
    line
}

/// Turns terminal echo off on standard input until dropped.
struct EchoOff(Option<libc::termios>);

impl EchoOff {
    fn new() -> Self {
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a properly sized, zero-initialised termios.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return EchoOff(None);
            }
            let saved = t;
            t.c_lflag &= !libc::ECHO;
            if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                return EchoOff(None);
            }
            EchoOff(Some(saved))
        }
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: restores the attributes read by tcgetattr above.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}

#[cfg(test)]
mod tests;
