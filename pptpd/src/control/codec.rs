//! Bounds-safe big-endian field reader and writer for control message bodies.
//!
//! Bodies are length-checked before they are read, so out-of-range reads cannot happen in
//! practice; the helpers still never panic (missing bytes read as zero, writes past the end are
//! ignored).

use crate::wire::{be16, be32};

/// Sequential reader over a message body.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn bytes(&mut self, n: usize) -> &'a [u8] {
        let out = self.buf.get(self.pos..self.pos + n).unwrap_or(&[]);
        self.pos += n;
        out
    }

    pub(crate) fn u8(&mut self) -> u8 {
        self.bytes(1).first().copied().unwrap_or(0)
    }

    pub(crate) fn u16(&mut self) -> u16 {
        be16(self.bytes(2), 0)
    }

    pub(crate) fn u32(&mut self) -> u32 {
        be32(self.bytes(4), 0)
    }

    /// A fixed-size NUL-padded text field, cut at the first NUL (lossy UTF-8).
    pub(crate) fn text(&mut self, n: usize) -> String {
        let field = self.bytes(n);
        let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
        String::from_utf8_lossy(&field[..end]).into_owned()
    }
}

/// Sequential writer into a message buffer.
pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    pub(crate) fn bytes(&mut self, data: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.pos..self.pos + data.len()) {
            dst.copy_from_slice(data);
        }
        self.pos += data.len();
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.bytes(&v.to_be_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes(&v.to_be_bytes());
    }

    /// A fixed-size text field: the string truncated to `n` bytes (at a character boundary),
    /// padded with NULs.
    pub(crate) fn text(&mut self, s: &str, n: usize) {
        let mut end = s.len().min(n);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        self.bytes(&s.as_bytes()[..end]);
        for _ in end..n {
            self.u8(0);
        }
    }
}

#[cfg(test)]
mod tests;
