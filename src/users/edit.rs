//! Adding or replacing one user in the users file, atomically.

use super::{format_line, parse_line};
use pppd::auth::Credential;
use std::fs::{self, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Writes `name`'s line into the users file at `path`, replacing any line for that name and
/// keeping every other line. The secret is the clear `password` when `store_password`, else
/// its NT hash. The file is replaced atomically (temporary file + rename); a new file gets
/// mode 0600, an existing one keeps its mode.
pub fn add_user(path: &Path, name: &str, password: &str, store_password: bool) -> io::Result<()> {
    check_name(name)?;
    check_password(password)?;
    let cred = if store_password {
        Credential::Password(password.to_owned())
    } else {
        Credential::NtHash(pppd::mschap::nt_password_hash(password))
    };
    let (old, mode) = match fs::read_to_string(path) {
        Ok(text) => (text, fs::metadata(path)?.permissions().mode() & 0o7777),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (String::new(), 0o600),
        Err(e) => return Err(e),
    };
    let new = replace_user(&old, name, &format_line(name, &cred));
    write_atomically(path, new.as_bytes(), mode)
}

/// `text` with the line of `name` replaced by `line` (appended when absent; later duplicates dropped).
fn replace_user(text: &str, name: &str, line: &str) -> String {
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    let mut done = false;
    for l in text.lines() {
        let ours = matches!(parse_line(l), Ok(Some((n, _))) if n == name)
            || l.split_whitespace().next() == Some(name);
        if !ours {
            out.push_str(l);
            out.push('\n');
        } else if !done {
            out.push_str(line);
            out.push('\n');
            done = true;
        }
    }
    if !done {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn write_atomically(path: &Path, data: &[u8], mode: u32) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .ok_or_else(|| invalid("the users file path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let _ = fs::remove_file(&tmp);
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(data)?;
        f.set_permissions(Permissions::from_mode(mode))?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn check_name(name: &str) -> io::Result<()> {
    if name.is_empty() || name.len() > 255 {
        return Err(invalid("a user name is 1 to 255 bytes"));
    }
    if name.starts_with('#') || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "a user name has no spaces or control characters and does not start with `#`",
        ));
    }
    Ok(())
}

fn check_password(password: &str) -> io::Result<()> {
    if password.is_empty() {
        return Err(invalid("the password is empty"));
    }
    if password.contains(['\n', '\r', '\0']) {
        return Err(invalid("the password contains a line break or NUL"));
    }
    Ok(())
}

fn invalid(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.to_owned())
}

#[cfg(test)]
mod tests;
