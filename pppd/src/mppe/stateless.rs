//! Stateless mode's receive side: which key a packet's coherency count calls for.
//!
//! Every packet has its own key, the count's steps along one chain of key changes. The count
//! has 12 bits, so it tells a loss only modulo 4,096: a jump of 2 to 2,047 is taken as loss (as
//! Linux does) if the packet decrypts to a well-formed IP packet with the key that far on; a
//! packet further ahead may be late and is dropped, unless it follows the previous such packet
//! and decrypts to IP with the key that far on (a loss of 2,048 to 4,095). A loss of 4,096 or
//! more leaves the chain whole cycles behind and every packet decrypting to junk: after
//! [`MISS_RUN`] such packets in a row the chain is searched up to [`MAX_CYCLES`] further cycles
//! ahead for the key that gives IP. A saturated session can lose that many packets at once;
//! without this its traffic would be lost for good.
//!
//! Every key a jump leads to is checked (`plausible::is_ip`) before the chain moves, so late or
//! forged packets never move it to a wrong key: a forged count in the window would otherwise
//! take the chain past the sender's, and drop the session's packets until the sender caught up
//! (up to 2,047 of them). The next count (no loss) is taken unchecked, as most packets are: a
//! forged one costs the one packet whose count it took. A search costs at most 16,384 key
//! changes; once [`MISS_RUN`] packets in a row were dropped or junk, one is made every
//! [`SEARCH_EVERY`] such packets.

use super::plausible::{decrypts_to_ip, is_ip};
use super::{keys::DirectionKeys, Mppe, MppeError, CCOUNT_MASK, CCOUNT_SPACE, MAX_STATELESS_JUMP};

/// Packets in a row dropped as out of the window or decrypted to junk before a search.
const MISS_RUN: u16 = 2;
/// Whole count cycles searched beyond the first key tried (a loss of up to 16,383 packets is
/// recovered).
const MAX_CYCLES: usize = 3;
/// Such packets between two searches while none found the key.
const SEARCH_EVERY: u16 = 64;

impl Mppe {
    /// Moves the receive keys to packet `ccount`; Err when the packet is to be dropped.
    pub(super) fn sync_stateless(&mut self, ccount: u16, payload: &[u8]) -> Result<(), MppeError> {
        let distance = ccount.wrapping_sub(self.rx_ccount) & CCOUNT_MASK;
        if distance == 0 {
            return Err(MppeError::TooFarAhead);
        }
        if distance == 1 {
            self.rx_stray = None;
            self.rx.rekey(1);
            self.rx_ccount = ccount;
            return Ok(());
        }
        if distance <= MAX_STATELESS_JUMP {
            self.rx_stray = None;
            return self.jump(ccount, distance, payload);
        }
        let follows = self.follows_stray(ccount);
        self.rx_stray = Some(ccount);
        let due = self.missed() && follows;
        let found = due
            .then(|| search(&self.rx, payload, usize::from(distance)))
            .flatten();
        let Some(keys) = found else {
            tracing::trace!(
                ccount,
                last = self.rx_ccount,
                "mppe: dropping out-of-window packet"
            );
            return Err(MppeError::TooFarAhead);
        };
        tracing::debug!(
            ccount,
            last = self.rx_ccount,
            "mppe: resynchronized after a loss"
        );
        self.rx = keys;
        self.rx_ccount = ccount;
        self.rx_stray = None;
        Ok(())
    }

    /// A jump of `distance` (2 to [`MAX_STATELESS_JUMP`]) to `ccount`: taken if `payload`
    /// decrypts to IP with the key that far on, or (a search being due) whole cycles further.
    fn jump(&mut self, ccount: u16, distance: u16, payload: &[u8]) -> Result<(), MppeError> {
        let keys = self.rx.ahead(usize::from(distance));
        let found = if decrypts_to_ip(&keys, payload) {
            Some(keys)
        } else if self.missed() {
            cycles_ahead(keys, payload)
        } else {
            None
        };
        let Some(keys) = found else {
            tracing::trace!(
                ccount,
                last = self.rx_ccount,
                "mppe: dropping a packet that is no IP with the key its count calls for"
            );
            return Err(MppeError::NotIp);
        };
        self.rx = keys;
        self.rx_ccount = ccount;
        Ok(())
    }

    /// After decrypting `payload` into `out[..n]`: counts a junk result and, when a search is
    /// due, looks whole cycles ahead; returns the length of what `out` holds then.
    pub(super) fn check_stateless(&mut self, payload: &[u8], out: &mut [u8], n: usize) -> usize {
        if is_ip(&out[..n]) {
            self.rx_misses = 0;
            return n;
        }
        if !self.missed() {
            return n;
        }
        // The keys are at this packet's count already: only whole cycles are left to try.
        let Some(keys) = search(&self.rx, payload, CCOUNT_SPACE) else {
            return n;
        };
        tracing::debug!(
            ccount = self.rx_ccount,
            "mppe: resynchronized whole count cycles ahead after a loss"
        );
        self.rx = keys;
        self.rx_misses = 0;
        self.decrypt_payload(payload, out)
    }

    /// Counts a packet dropped or decrypted to junk; true when a search is due.
    fn missed(&mut self) -> bool {
        self.rx_misses = self.rx_misses.saturating_add(1);
        self.rx_misses >= MISS_RUN && (self.rx_misses - MISS_RUN).is_multiple_of(SEARCH_EVERY)
    }
}

/// The keys `first` changes ahead of `from`, or that plus up to `MAX_CYCLES` whole cycles,
/// under which `payload` decrypts to IP; their RC4 is at the start of its stream.
fn search(from: &DirectionKeys, payload: &[u8], first: usize) -> Option<DirectionKeys> {
    let keys = from.ahead(first);
    if decrypts_to_ip(&keys, payload) {
        return Some(keys);
    }
    cycles_ahead(keys, payload)
}

/// `keys`, under which `payload` decrypts to junk, moved on by up to `MAX_CYCLES` whole cycles
/// to the first under which it decrypts to IP.
fn cycles_ahead(mut keys: DirectionKeys, payload: &[u8]) -> Option<DirectionKeys> {
    for _ in 0..MAX_CYCLES {
        keys.rekey(CCOUNT_SPACE);
        if decrypts_to_ip(&keys, payload) {
            return Some(keys);
        }
    }
    None
}
