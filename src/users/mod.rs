//! The local users file: `NAME nthash:<32 hex>` or `NAME password:<text>` per line.

mod edit;

pub use edit::add_user;

use pppd::auth::Credential;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Local users and their credentials.
#[derive(Clone, Debug, Default)]
pub struct Users {
    map: HashMap<String, Credential>,
}

/// An error in the users file, displayed as `FILE:LINE: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsersError {
    /// The users file.
    pub file: PathBuf,
    /// 1-based line, when the error is about one line.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for UsersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for UsersError {}

impl Users {
    /// Reads the users file at `path`.
    pub fn load(path: &Path) -> Result<Users, UsersError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Users::parse(&text, path),
            Err(e) => Err(UsersError {
                file: path.to_owned(),
                line: None,
                message: format!("cannot read the users file: {e}"),
            }),
        }
    }

    /// Like [`Users::load`], but a missing file means no users (logged as a warning).
    pub fn load_or_empty(path: &Path) -> Result<Users, UsersError> {
        if !path.exists() {
            tracing::warn!(file = %path.display(), "no users file: nobody can log in");
            return Ok(Users::default());
        }
        Users::load(path)
    }

    /// Parses users file `text`; `path` names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Users, UsersError> {
        let mut map = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let err = |message: String| UsersError {
                file: path.to_owned(),
                line: Some(i + 1),
                message,
            };
            let Some((name, cred)) = parse_line(line).map_err(err)? else {
                continue;
            };
            if map.insert(name.to_owned(), cred).is_some() {
                return Err(err(format!("user `{name}` is listed twice")));
            }
        }
        Ok(Users { map })
    }

    /// The credential of `name`: an exact match, else (for `DOMAIN\user`) the part after the
    /// last backslash.
    pub fn lookup(&self, name: &str) -> Option<&Credential> {
        self.map.get(name).or_else(|| {
            let (_, short) = name.rsplit_once('\\')?;
            self.map.get(short)
        })
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there is no user.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Users and their credentials, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Credential)> {
        self.map.iter().map(|(n, c)| (n.as_str(), c))
    }
}

/// One line: `None` for blank and comment lines.
fn parse_line(line: &str) -> Result<Option<(&str, Credential)>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let (name, rest) = trimmed.split_once(char::is_whitespace).ok_or_else(|| {
        format!("user `{trimmed}` has no credential (`nthash:<32 hex>` or `password:<text>`)")
    })?;
    let rest = rest.trim_start();
    if let Some(hex) = rest.strip_prefix("nthash:") {
        let hash = parse_hash(hex.trim_end())
            .ok_or_else(|| format!("user `{name}`: nthash must be 32 hex digits"))?;
        Ok(Some((name, Credential::NtHash(hash))))
    } else if let Some(password) = rest.strip_prefix("password:") {
        if password.is_empty() {
            return Err(format!("user `{name}` has an empty password"));
        }
        Ok(Some((name, Credential::Password(password.to_owned()))))
    } else {
        Err(format!(
            "user `{name}`: expected `nthash:<32 hex>` or `password:<text>` after the name"
        ))
    }
}

fn parse_hash(hex: &str) -> Option<[u8; 16]> {
    if hex.len() != 32 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 16];
    for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
        let s = std::str::from_utf8(pair).ok()?;
        *byte = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// The users file line for `name` with `cred`.
fn format_line(name: &str, cred: &Credential) -> String {
    match cred {
        Credential::Password(p) => format!("{name} password:{p}"),
        Credential::NtHash(h) => {
            let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
            format!("{name} nthash:{hex}")
        }
    }
}

#[cfg(test)]
mod tests;
