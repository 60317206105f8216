//! Iterating over a packet's attributes; Vendor-Specific attributes (RFC 2865 §5.26) in the
//! recommended format are split into their sub-attributes.

use super::be::be32;
use super::VENDOR_SPECIFIC;

/// One attribute as found on the wire: `vendor` is 0 for a standard attribute, else the
/// SMI Private Enterprise Code of the Vendor-Specific attribute that carried it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawAttr<'a> {
    /// Vendor ID, 0 for the standard space.
    pub vendor: u32,
    /// Attribute type (vendor type inside a Vendor-Specific attribute).
    pub typ: u8,
    /// Value octets.
    pub value: &'a [u8],
}

/// A top-level attribute with the offset of its value in the attribute section.
pub(crate) struct TopAttr<'a> {
    pub(crate) typ: u8,
    pub(crate) value: &'a [u8],
    pub(crate) value_at: usize,
}

/// Walks type-length-value triples; stops at the first malformed one (which a checked
/// packet does not have).
pub(crate) struct TopIter<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> TopIter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        TopIter { bytes, at: 0 }
    }
}

impl<'a> Iterator for TopIter<'a> {
    type Item = TopAttr<'a>;

    fn next(&mut self) -> Option<TopAttr<'a>> {
        let typ = *self.bytes.get(self.at)?;
        let len = usize::from(*self.bytes.get(self.at + 1)?);
        let value = self.bytes.get(self.at + 2..self.at + len.max(2))?;
        if len < 2 {
            return None;
        }
        let attr = TopAttr {
            typ,
            value,
            value_at: self.at + 2,
        };
        self.at += len;
        Some(attr)
    }
}

/// Iterator over a packet's attributes; see [`RawAttr`].
pub struct AttrIter<'a> {
    top: TopIter<'a>,
    vendor: u32,
    subs: &'a [u8],
}

impl<'a> AttrIter<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        AttrIter {
            top: TopIter::new(bytes),
            vendor: 0,
            subs: &[],
        }
    }
}

/// Whether `subs` is a sequence of well-formed vendor sub-attributes.
fn well_formed_subs(subs: &[u8]) -> bool {
    let mut at = 0;
    while at < subs.len() {
        match subs.get(at + 1) {
            Some(&len) if len >= 2 && at + usize::from(len) <= subs.len() => at += usize::from(len),
            _ => return false,
        }
    }
    !subs.is_empty()
}

impl<'a> Iterator for AttrIter<'a> {
    type Item = RawAttr<'a>;

    fn next(&mut self) -> Option<RawAttr<'a>> {
        if let [typ, len, ..] = *self.subs {
            let (value, rest) = self.subs[2..].split_at(usize::from(len) - 2);
            self.subs = rest;
            return Some(RawAttr {
                vendor: self.vendor,
                typ,
                value,
            });
        }
        let top = self.top.next()?;
        if top.typ == VENDOR_SPECIFIC && top.value.len() > 4 && well_formed_subs(&top.value[4..]) {
            self.vendor = be32(top.value, 0);
            self.subs = &top.value[4..];
            return self.next();
        }
        Some(RawAttr {
            vendor: 0,
            typ: top.typ,
            value: top.value,
        })
    }
}
