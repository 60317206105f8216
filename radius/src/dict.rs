//! The attribute dictionary as data: a FreeRADIUS-format file embedded in the crate and parsed
//! once ([`Dictionary::builtin`]); [`Dictionary::parse`] reads others in the same format.
//! Supported lines: `ATTRIBUTE name number type [flags]`, `VALUE attribute name number`,
//! `VENDOR name number`, `BEGIN-VENDOR name`, `END-VENDOR name`, and `#` comments.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::attr::AttrType;

/// The dictionary shipped with the crate.
const BUILTIN: &str = include_str!("dict/rasd.dict");

/// How an attribute's value is encoded (RFC 8044 data types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 text.
    String,
    /// Opaque octets.
    Octets,
    /// An IPv4 address, 4 octets.
    IpAddr,
    /// An IPv6 address, 16 octets.
    Ipv6Addr,
    /// Reserved octet, prefix length, then up to 16 octets of prefix (RFC 3162 §2.3).
    Ipv6Prefix,
    /// A 32-bit unsigned integer.
    Integer,
    /// Seconds since 1970 as a 32-bit unsigned integer.
    Date,
}

/// How an attribute's value is hidden on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encrypt {
    /// Sent in the clear.
    None,
    /// RFC 2865 §5.2 User-Password hiding (`encrypt=1`).
    UserPassword,
    /// RFC 2548 §2.4.2 / RFC 2868 §3.5 salt encryption (`encrypt=2`).
    Salt,
}

/// One attribute's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrDef {
    /// Its name, e.g. `MS-CHAP2-Success`.
    pub name: String,
    /// Vendor and type.
    pub key: AttrType,
    /// Value encoding.
    pub kind: Kind,
    /// Whether the value starts with an RFC 2868 tag (`has_tag`).
    pub tagged: bool,
    /// How the value is hidden.
    pub encrypt: Encrypt,
}

/// A dictionary line that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: String,
}

impl fmt::Display for DictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dictionary line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for DictError {}

/// Attribute definitions and named values, looked up by key or by name.
#[derive(Debug, Default)]
pub struct Dictionary {
    by_key: HashMap<AttrType, AttrDef>,
    by_name: HashMap<String, AttrType>,
    values: HashMap<(AttrType, u32), String>,
    value_numbers: HashMap<(AttrType, String), u32>,
}

fn kind(word: &str) -> Option<Kind> {
    Some(match word {
        "string" => Kind::String,
        "octets" => Kind::Octets,
        "ipaddr" => Kind::IpAddr,
        "ipv6addr" => Kind::Ipv6Addr,
        "ipv6prefix" => Kind::Ipv6Prefix,
        "integer" => Kind::Integer,
        "date" => Kind::Date,
        _ => return None,
    })
}

impl Dictionary {
    /// The embedded dictionary, parsed on first use.
    pub fn builtin() -> &'static Dictionary {
        static DICT: OnceLock<Dictionary> = OnceLock::new();
        DICT.get_or_init(|| Dictionary::parse(BUILTIN).expect("the embedded dictionary parses"))
    }

    /// Parses FreeRADIUS-format text.
    pub fn parse(text: &str) -> Result<Self, DictError> {
        let mut dict = Dictionary::default();
        let mut vendors: HashMap<String, u32> = HashMap::new();
        let mut vendor = 0u32;
        for (i, raw) in text.lines().enumerate() {
            let err = |reason: String| DictError {
                line: i + 1,
                reason,
            };
            let words: Vec<&str> = raw
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            match words.as_slice() {
                [] => {}
                ["VENDOR", name, number, ..] => {
                    let n = number
                        .parse()
                        .map_err(|_| err(format!("bad vendor number {number}")))?;
                    vendors.insert(name.to_string(), n);
                }
                ["BEGIN-VENDOR", name, ..] => {
                    vendor = *vendors
                        .get(*name)
                        .ok_or_else(|| err(format!("unknown vendor {name}")))?;
                }
                ["END-VENDOR", ..] => vendor = 0,
                ["ATTRIBUTE", name, number, typ, flags @ ..] => {
                    let code = number
                        .parse()
                        .map_err(|_| err(format!("bad attribute number {number}")))?;
                    let kind = kind(typ).ok_or_else(|| err(format!("unknown type {typ}")))?;
                    let (mut tagged, mut encrypt) = (false, Encrypt::None);
                    for flag in flags.iter().flat_map(|f| f.split(',')) {
                        match flag {
                            "has_tag" => tagged = true,
                            "encrypt=1" => encrypt = Encrypt::UserPassword,
                            "encrypt=2" => encrypt = Encrypt::Salt,
                            _ => return Err(err(format!("unknown flag {flag}"))),
                        }
                    }
                    let key = AttrType { vendor, code };
                    dict.by_name.insert(name.to_string(), key);
                    let def = AttrDef {
                        name: name.to_string(),
                        key,
                        kind,
                        tagged,
                        encrypt,
                    };
                    dict.by_key.insert(key, def);
                }
                ["VALUE", attr, name, number] => {
                    let key = *dict
                        .by_name
                        .get(*attr)
                        .ok_or_else(|| err(format!("VALUE for unknown {attr}")))?;
                    let n = number
                        .parse()
                        .map_err(|_| err(format!("bad value number {number}")))?;
                    dict.values.insert((key, n), name.to_string());
                    dict.value_numbers.insert((key, name.to_string()), n);
                }
                [word, ..] => return Err(err(format!("cannot read a {word} line"))),
            }
        }
        Ok(dict)
    }

    /// The definition of the attribute `key`.
    pub fn attribute(&self, key: AttrType) -> Option<&AttrDef> {
        self.by_key.get(&key)
    }

    /// The definition of the attribute called `name`.
    pub fn by_name(&self, name: &str) -> Option<&AttrDef> {
        self.by_name.get(name).and_then(|k| self.by_key.get(k))
    }

    /// The name of value `number` of attribute `key`, e.g. `Admin-Reset`.
    pub fn value_name(&self, key: AttrType, number: u32) -> Option<&str> {
        self.values.get(&(key, number)).map(String::as_str)
    }

    /// The number of the value called `name` of attribute `key`.
    pub fn value(&self, key: AttrType, name: &str) -> Option<u32> {
        self.value_numbers.get(&(key, name.to_string())).copied()
    }
}

#[cfg(test)]
mod tests;
