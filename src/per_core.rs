//! How many readers a device or port shared by every session gets: one per core, so that every
//! core takes a share of the sessions' packet work (decryption and encryption included).

/// Most readers of one device or port, whatever the core count.
const MAX_READERS: usize = 16;

/// Readers for one shared device or port: the machine's cores, 1 to 16.
pub fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_READERS))
}
