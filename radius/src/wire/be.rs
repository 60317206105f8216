//! Big-endian field readers and writers; reads past the end give 0, since every view checks its
//! lengths before reading fields.

/// The 16-bit big-endian field at `at`, or 0 past the end.
pub(crate) fn be16(buf: &[u8], at: usize) -> u16 {
    match buf.get(at..).and_then(|b| b.get(..2)) {
        Some(&[a, b]) => u16::from_be_bytes([a, b]),
        _ => 0,
    }
}

/// The 32-bit big-endian field at `at`, or 0 past the end.
pub(crate) fn be32(buf: &[u8], at: usize) -> u32 {
    match buf.get(at..).and_then(|b| b.get(..4)) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// Writes `value` big-endian at `at`; the caller has checked the room.
pub(crate) fn put16(buf: &mut [u8], at: usize, value: u16) {
    buf[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

#[cfg(test)]
mod tests;
