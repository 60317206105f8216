//! Big-endian field helpers shared by every packet view and emitter in the crate (frames,
//! control packets, options, authentication packets, the MPPE header).

/// The big-endian u16 at `at`, or None when `buf` is too short.
pub fn read_u16(buf: &[u8], at: usize) -> Option<u16> {
    let b = buf.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

/// The big-endian u32 at `at`, or None when `buf` is too short.
pub fn read_u32(buf: &[u8], at: usize) -> Option<u32> {
    let b = buf.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Writes `v` big-endian at `at`; None (nothing written) when `buf` is too short.
pub fn write_u16(buf: &mut [u8], at: usize, v: u16) -> Option<()> {
    buf.get_mut(at..at.checked_add(2)?)?
        .copy_from_slice(&v.to_be_bytes());
    Some(())
}

/// Writes `v` big-endian at `at`; None (nothing written) when `buf` is too short.
pub fn write_u32(buf: &mut [u8], at: usize, v: u32) -> Option<()> {
    buf.get_mut(at..at.checked_add(4)?)?
        .copy_from_slice(&v.to_be_bytes());
    Some(())
}

#[cfg(test)]
mod tests;
