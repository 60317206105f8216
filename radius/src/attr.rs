//! Owned attributes: what a request carries in and a reply hands out, with typed constructors,
//! typed accessors for the values rasd applies, and printing through the dictionary (hidden
//! values are never printed).

mod display;
mod read;
mod types;
pub mod value;

use std::net::{Ipv4Addr, Ipv6Addr};

use zeroize::Zeroize;

pub use read::{FramedIp, MsChapReply};
pub use types::*;

use crate::wire::RawAttr;

/// An attribute's vendor and type: vendor 0 is the standard space, any other is the SMI
/// Private Enterprise Code of a Vendor-Specific attribute (311 is Microsoft).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttrType {
    /// Vendor ID, 0 for standard attributes.
    pub vendor: u32,
    /// Attribute type within the vendor's space.
    pub code: u8,
}

impl AttrType {
    /// A standard attribute type.
    pub const fn standard(code: u8) -> Self {
        AttrType { vendor: 0, code }
    }

    /// A vendor's attribute type.
    pub const fn vendor(vendor: u32, code: u8) -> Self {
        AttrType { vendor, code }
    }
}

/// One attribute with its value octets as on the wire, except that values the dictionary marks
/// encrypted are held in the clear (the client core hides them when sending and reveals them
/// when receiving). The value is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Vendor and type.
    pub typ: AttrType,
    /// Value octets.
    pub value: Vec<u8>,
}

impl Drop for Attribute {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

impl Attribute {
    /// An attribute with raw value octets.
    pub fn octets(typ: AttrType, value: &[u8]) -> Self {
        Attribute {
            typ,
            value: value.to_vec(),
        }
    }

    /// A text attribute.
    pub fn string(typ: AttrType, value: &str) -> Self {
        Self::octets(typ, value.as_bytes())
    }

    /// A 32-bit integer (or date) attribute.
    pub fn integer(typ: AttrType, value: u32) -> Self {
        Self::octets(typ, &value.to_be_bytes())
    }

    /// An IPv4 address attribute.
    pub fn ipv4(typ: AttrType, addr: Ipv4Addr) -> Self {
        Self::octets(typ, &addr.octets())
    }

    /// An IPv6 address attribute.
    pub fn ipv6(typ: AttrType, addr: Ipv6Addr) -> Self {
        Self::octets(typ, &addr.octets())
    }

    /// An IPv6 prefix attribute (RFC 3162 §2.3): only the prefix's significant octets are sent.
    pub fn ipv6_prefix(typ: AttrType, prefix: Ipv6Addr, len: u8) -> Self {
        let len = len.min(128);
        let mut value = vec![0, len];
        value.extend_from_slice(&prefix.octets()[..usize::from(len).div_ceil(8)]);
        Attribute { typ, value }
    }

    /// A tagged integer (RFC 2868 §3): the tag in the first octet, a 24-bit value after it.
    pub fn tagged_integer(typ: AttrType, tag: u8, value: u32) -> Self {
        let mut bytes = value.to_be_bytes();
        bytes[0] = tag;
        Self::octets(typ, &bytes)
    }

    /// A tagged string (RFC 2868 §3): the tag octet (0 for none, 1..=0x1f) then the text.
    pub fn tagged_string(typ: AttrType, tag: u8, value: &str) -> Self {
        let mut bytes = vec![tag];
        bytes.extend_from_slice(value.as_bytes());
        Attribute { typ, value: bytes }
    }

    /// The owned copy of an attribute read off the wire.
    pub fn from_raw(raw: RawAttr<'_>) -> Self {
        Self::octets(AttrType::vendor(raw.vendor, raw.typ), raw.value)
    }
}

/// An ordered list of attributes (order matters for repeated ones such as Class or
/// Framed-Route).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attributes(pub Vec<Attribute>);

impl Attributes {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `attr`.
    pub fn push(&mut self, attr: Attribute) -> &mut Self {
        self.0.push(attr);
        self
    }

    /// Appends `attr`, builder style.
    pub fn with(mut self, attr: Attribute) -> Self {
        self.0.push(attr);
        self
    }

    /// Removes every attribute of type `typ`.
    pub fn remove(&mut self, typ: AttrType) {
        self.0.retain(|a| a.typ != typ);
    }

    /// The attributes in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Attribute> {
        self.0.iter()
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Attribute> for Attributes {
    fn from_iter<I: IntoIterator<Item = Attribute>>(iter: I) -> Self {
        Attributes(iter.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = &'a Attribute;
    type IntoIter = std::slice::Iter<'a, Attribute>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests;
