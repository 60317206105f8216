//! Splits the TCP byte stream into control messages with a fixed-size buffer.

use super::header::{check_prefix, Error, HEADER_LEN, MAX_MESSAGE_LEN};

/// Accumulates one message at a time; never holds more than [`MAX_MESSAGE_LEN`] bytes.
pub(crate) struct Framer {
    buf: [u8; MAX_MESSAGE_LEN],
    fill: usize,
}

impl Framer {
    pub(crate) fn new() -> Self {
        Framer {
            buf: [0; MAX_MESSAGE_LEN],
            fill: 0,
        }
    }

    /// Takes bytes from `data` until a message is complete or `data` is used up. Returns the
    /// number of bytes taken and whether a complete message is ready in [`Framer::message`].
    /// The header is validated as soon as it is there, so garbage is rejected early.
    pub(crate) fn push(&mut self, data: &[u8]) -> Result<(usize, bool), Error> {
        let mut used = 0;
        loop {
            let target = match check_prefix(&self.buf[..self.fill])? {
                None => HEADER_LEN,
                Some((_, len)) => len,
            };
            if self.fill >= target {
                return Ok((used, true));
            }
            let rest = data.get(used..).unwrap_or(&[]);
            if rest.is_empty() {
                return Ok((used, false));
            }
            let take = (target - self.fill).min(rest.len());
            // `target` is at most MAX_MESSAGE_LEN (checked by `check_prefix`).
            if let Some(dst) = self.buf.get_mut(self.fill..self.fill + take) {
                dst.copy_from_slice(&rest[..take]);
            }
            self.fill += take;
            used += take;
        }
    }

    /// The complete message (valid after `push` returned true).
    pub(crate) fn message(&self) -> &[u8] {
        &self.buf[..self.fill]
    }

    /// Forgets the current message.
    pub(crate) fn clear(&mut self) {
        self.fill = 0;
    }
}

#[cfg(test)]
mod tests;
