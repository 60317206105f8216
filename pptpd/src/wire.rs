//! Big-endian field access shared by every packet view and message codec of the crate.
//!
//! Reads of bytes that are not there give 0 and writes past the end are ignored: views check
//! their lengths before they read, so this only keeps a bug from becoming a panic.

/// The big-endian `u16` at `at`, or 0 when `buf` is too short.
pub(crate) fn be16(buf: &[u8], at: usize) -> u16 {
    match buf.get(at..at + 2) {
        Some(&[a, b]) => u16::from_be_bytes([a, b]),
        _ => 0,
    }
}

/// The big-endian `u32` at `at`, or 0 when `buf` is too short.
pub(crate) fn be32(buf: &[u8], at: usize) -> u32 {
    match buf.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_be_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// Writes `value` big-endian at `at` (ignored when `buf` is too short).
pub(crate) fn put_be16(buf: &mut [u8], at: usize, value: u16) {
    if let Some(dst) = buf.get_mut(at..at + 2) {
        dst.copy_from_slice(&value.to_be_bytes());
    }
}

/// Writes `value` big-endian at `at` (ignored when `buf` is too short).
pub(crate) fn put_be32(buf: &mut [u8], at: usize, value: u32) {
    if let Some(dst) = buf.get_mut(at..at + 4) {
        dst.copy_from_slice(&value.to_be_bytes());
    }
}

#[cfg(test)]
mod tests;
