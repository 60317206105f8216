//! Configuration errors that name the file, the line and the key.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A configuration error, displayed as `FILE:LINE: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file.
    pub file: PathBuf,
    /// 1-based line, when the error points into the file.
    pub line: Option<usize>,
    /// The offending key as `section.key` (or the section alone), when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The text being loaded, to turn byte spans into lines and names.
pub(super) struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Source<'_> {
    /// An error about the value of `section.key` found at `span`.
    pub fn invalid(&self, span: Range<usize>, section: &str, key: &str, msg: &str) -> ConfigError {
        ConfigError {
            file: self.file.to_owned(),
            line: Some(self.line_of(span.start)),
            key: Some(format!("{section}.{key}")),
            message: format!("bad value for `{key}` in [{section}]: {msg}"),
        }
    }

    /// An error with no position (e.g. the file cannot be read).
    pub fn whole_file(&self, msg: String) -> ConfigError {
        ConfigError {
            file: self.file.to_owned(),
            line: None,
            key: None,
            message: msg,
        }
    }

    /// Rewrites a TOML/serde error into one naming the line, section and key.
    pub fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        let mut msg = err.message().trim().replace('\n', "; ");
        for raw in [
            "RawServer",
            "RawPptp",
            "RawL2tp",
            "RawPpp",
            "RawIp",
            "RawConfig",
        ] {
            msg = msg.replace(&format!("struct {raw}"), "a table");
        }
        msg = msg.replace("expected i64", "expected an integer");
        let Some(span) = err.span() else {
            return self.whole_file(msg);
        };
        let line = self.line_of(span.start);
        let (section, key) = self.locate(span.start);
        let key_path = match (section.is_empty(), key.is_empty()) {
            (true, _) => key.clone(),
            (false, true) => section.clone(),
            (false, false) => format!("{section}.{key}"),
        };
        let on_header = header(self.line_text(span.start)).is_some();
        let message = if let Some((name, expected)) = unknown_field(&msg) {
            if on_header {
                format!("unknown section [{name}] ({expected})")
            } else if section.is_empty() {
                format!("unknown top-level key `{name}` ({expected})")
            } else {
                format!("unknown key `{name}` in [{section}] ({expected})")
            }
        } else if key.is_empty() || msg.starts_with("duplicate key") {
            msg
        } else if section.is_empty() {
            format!("bad value for `{key}`: {msg}")
        } else {
            format!("bad value for `{key}` in [{section}]: {msg}")
        };
        ConfigError {
            file: self.file.to_owned(),
            line: Some(line),
            key: (!key_path.is_empty()).then_some(key_path),
            message,
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        let end = self.boundary(offset);
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// `offset` clamped to the text and moved back to a character boundary.
    fn boundary(&self, offset: usize) -> usize {
        let mut end = offset.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        end
    }

    /// The line holding `offset`, and the offset where that line starts.
    fn line_at(&self, offset: usize) -> (&str, usize) {
        let end = self.boundary(offset);
        let start = self.text[..end].rfind('\n').map_or(0, |i| i + 1);
        let stop = self.text[end..]
            .find('\n')
            .map_or(self.text.len(), |i| end + i);
        (&self.text[start..stop], start)
    }

    fn line_text(&self, offset: usize) -> &str {
        self.line_at(offset).0
    }

    /// The table header in force at `offset` and the key whose line holds it (or precedes it).
    /// A dotted key `a.b = ..` adds `a` to the section. Empty strings when not found.
    fn locate(&self, offset: usize) -> (String, String) {
        let end = self.boundary(offset);
        let (this_line, line_start) = self.line_at(end);
        if let Some(name) = header(this_line) {
            return (String::new(), name.to_owned());
        }
        let before = &self.text[..line_start];
        let mut key = assigned_key(this_line);
        let mut section = String::new();
        for line in before.lines().rev() {
            if let Some(name) = header(line) {
                section = name.to_owned();
                break;
            }
            if key.is_none() {
                key = assigned_key(line);
            }
        }
        let key = key.unwrap_or_default();
        match key.rsplit_once('.') {
            Some((prefix, last)) if section.is_empty() => (prefix.to_owned(), last.to_owned()),
            Some((prefix, last)) => (format!("{section}.{prefix}"), last.to_owned()),
            None => (section, key),
        }
    }
}

/// `[name]` or `[[name]]` header lines.
fn header(line: &str) -> Option<&str> {
    let line = line.split('#').next().unwrap_or("").trim();
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    let inner = inner.trim_start_matches('[').trim_end_matches(']').trim();
    Some(inner)
}

/// The key of a `key = value` line.
fn assigned_key(line: &str) -> Option<String> {
    let eq = line.find('=')?;
    let key: String = line[..eq].split_whitespace().collect();
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''));
    ok.then(|| key.replace(['"', '\''], ""))
}

/// Splits serde's "unknown field `x`, expected ..." into (`x`, "expected ...").
fn unknown_field(msg: &str) -> Option<(&str, &str)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let (name, rest) = rest.split_once('`')?;
    Some((name, rest.trim_start_matches(',').trim()))
}

#[cfg(test)]
mod tests;
