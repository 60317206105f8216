//! Configuration options (type, length, data) and the builder of a Configure-Ack/Nak/Reject
//! reply to a peer's Configure-Request (RFC 1661 §5.1-5.4, §6).
//!
//! A received list is checked once ([`Options::new_checked`]) and then iterated in place as
//! [`RawOption`]s; options are emitted with [`push_option`]. The [`Reply`] keeps its Nak and
//! Reject lists in buffers of its own: it is built once per Configure-Request, during
//! negotiation only, and a view over the request could not hold the suggested values.

use super::code;
use crate::wire;

/// One configuration option as received: its type and its data (after the 2-byte header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawOption<'a> {
    /// Option type.
    pub kind: u8,
    /// Option data (may be empty).
    pub data: &'a [u8],
}

impl RawOption<'_> {
    /// The data as a big-endian u16 when it is exactly 2 bytes long.
    pub fn u16(&self) -> Option<u16> {
        (self.data.len() == 2).then(|| wire::read_u16(self.data, 0))?
    }

    /// The data as a big-endian u32 when it is exactly 4 bytes long.
    pub fn u32(&self) -> Option<u32> {
        (self.data.len() == 4).then(|| wire::read_u32(self.data, 0))?
    }
}

/// A list of options, checked once and then read in place: every option's length is at
/// least 2 and none runs past the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options<'a> {
    buffer: &'a [u8],
}

impl<'a> Options<'a> {
    /// The list without options.
    pub const EMPTY: Options<'static> = Options { buffer: &[] };

    /// Checks the list; None when an option's length is below 2 or runs past the end.
    pub fn new_checked(buffer: &'a [u8]) -> Option<Self> {
        let mut rest = buffer;
        while !rest.is_empty() {
            let len = usize::from(*rest.get(1)?);
            if len < 2 || len > rest.len() {
                return None;
            }
            rest = &rest[len..];
        }
        Some(Self { buffer })
    }

    /// The options in order.
    pub fn iter(&self) -> OptionIter<'a> {
        OptionIter { rest: self.buffer }
    }

    /// True when the list has no option.
    pub fn is_empty(&self) -> bool {
        self.buffer.is_empty()
    }

    /// True when the list holds an option equal to `o` (same type and data).
    pub fn contains(&self, o: &RawOption<'_>) -> bool {
        self.iter().any(|x| x == *o)
    }
}

impl<'a> IntoIterator for Options<'a> {
    type Item = RawOption<'a>;
    type IntoIter = OptionIter<'a>;

    fn into_iter(self) -> OptionIter<'a> {
        self.iter()
    }
}

/// Iterator over a checked [`Options`] list.
#[derive(Clone, Debug)]
pub struct OptionIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for OptionIter<'a> {
    type Item = RawOption<'a>;

    fn next(&mut self) -> Option<RawOption<'a>> {
        let [kind, len, ..] = *self.rest else {
            return None;
        };
        let (opt, rest) = self.rest.split_at(usize::from(len));
        self.rest = rest;
        Some(RawOption {
            kind,
            data: &opt[2..],
        })
    }
}

/// Appends one option (type, length, data); data longer than 253 bytes is truncated.
pub fn push_option(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
    let data = &data[..data.len().min(253)];
    out.push(kind);
    out.push(data.len() as u8 + 2);
    out.extend_from_slice(data);
}

/// The reply being built to one Configure-Request: options left alone are acknowledged.
#[derive(Debug, Default)]
pub struct Reply {
    naks: Vec<u8>,
    rejects: Vec<u8>,
    naks_as_rejects: bool,
}

impl Reply {
    /// A fresh reply; with `naks_as_rejects` (Max-Failure reached) every Nak becomes a Reject.
    pub fn new(naks_as_rejects: bool) -> Self {
        Self {
            naks_as_rejects,
            ..Self::default()
        }
    }

    /// Refuses `opt`'s value and suggests `suggestion` instead.
    pub fn nak(&mut self, opt: &RawOption<'_>, suggestion: &[u8]) {
        if self.naks_as_rejects {
            self.reject(opt);
        } else {
            push_option(&mut self.naks, opt.kind, suggestion);
        }
    }

    /// Asks the peer to include an option it left out (dropped once naks turn into rejects).
    pub fn nak_missing(&mut self, kind: u8, suggestion: &[u8]) {
        if !self.naks_as_rejects {
            push_option(&mut self.naks, kind, suggestion);
        }
    }

    /// Refuses the option altogether.
    pub fn reject(&mut self, opt: &RawOption<'_>) {
        push_option(&mut self.rejects, opt.kind, opt.data);
    }

    /// True while nothing was refused: the request will be acknowledged.
    pub fn is_ack(&self) -> bool {
        self.naks.is_empty() && self.rejects.is_empty()
    }

    /// The reply's code and options: Reject beats Nak beats Ack (which echoes `request`).
    pub fn finish(self, request: &[u8]) -> (u8, Vec<u8>) {
        if !self.rejects.is_empty() {
            (code::CONFIGURE_REJECT, self.rejects)
        } else if !self.naks.is_empty() {
            (code::CONFIGURE_NAK, self.naks)
        } else {
            (code::CONFIGURE_ACK, request.to_vec())
        }
    }
}

#[cfg(test)]
mod tests;
