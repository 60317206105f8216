//! Typed reading of raw values: defaults, ranges, lists, paths.

use super::error::{ConfigError, Source};
use super::raw::S;
use std::net::Ipv4Addr;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

/// Result of validating one value.
pub(super) type Result<T> = std::result::Result<T, ConfigError>;

pub(super) fn parse_ipv4(s: &str) -> std::result::Result<Ipv4Addr, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("`{s}` is not an IPv4 address"))
}

/// A string value, non-empty, or the default.
pub(super) fn string(
    src: &Source,
    sec: &str,
    key: &str,
    v: &Option<S<String>>,
    default: &str,
) -> Result<String> {
    match v {
        None => Ok(default.to_owned()),
        Some(s) if s.get_ref().trim().is_empty() => {
            Err(src.invalid(s.span(), sec, key, "must not be empty"))
        }
        Some(s) => Ok(s.get_ref().clone()),
    }
}

/// An integer value within `range`, or the default.
pub(super) fn int(
    src: &Source,
    sec: &str,
    key: &str,
    v: &Option<S<i64>>,
    default: i64,
    range: RangeInclusive<i64>,
) -> Result<i64> {
    match v {
        None => Ok(default),
        Some(n) if range.contains(n.get_ref()) => Ok(*n.get_ref()),
        Some(n) => {
            let msg = format!(
                "{} is out of range {}..={}",
                n.get_ref(),
                range.start(),
                range.end()
            );
            Err(src.invalid(n.span(), sec, key, &msg))
        }
    }
}

/// Parses every item of a list, naming the line of the first bad one.
pub(super) fn parse_list<T>(
    src: &Source,
    sec: &str,
    key: &str,
    list: &S<Vec<S<String>>>,
    parse: impl Fn(&str) -> std::result::Result<T, String>,
) -> Result<Vec<T>> {
    list.get_ref()
        .iter()
        .map(|item| parse(item.get_ref()).map_err(|e| src.invalid(item.span(), sec, key, &e)))
        .collect()
}

pub(super) fn no_duplicates<T: PartialEq>(
    src: &Source,
    sec: &str,
    key: &str,
    list: &S<Vec<S<String>>>,
    values: &[T],
) -> Result<()> {
    for (i, (v, item)) in values.iter().zip(list.get_ref()).enumerate() {
        if values[..i].contains(v) {
            let msg = format!("`{}` is listed twice", item.get_ref());
            return Err(src.invalid(item.span(), sec, key, &msg));
        }
    }
    Ok(())
}

pub(super) fn resolve(dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_owned()
    } else {
        dir.join(p)
    }
}
