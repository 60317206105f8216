//! 16-bit sequence-number arithmetic with wrap-around (RFC 2661 §5.8).

/// How far `a` is ahead of `b`, modulo 2^16: 0 when equal, 1..=32767 when `a` is after `b`,
/// 32768..=65535 when `a` is before `b` (i.e. within 32768 behind).
pub(crate) fn ahead(a: u16, b: u16) -> u16 {
    a.wrapping_sub(b)
}

/// Whether `a` comes strictly before `b` (within 32768 behind it).
pub(crate) fn is_before(a: u16, b: u16) -> bool {
    ahead(a, b) >= 0x8000
}

#[cfg(test)]
mod tests;
