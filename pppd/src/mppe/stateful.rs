//! Stateful mode's receive side: in-order packets continue one RC4 stream, whose key changes
//! at every "flag" packet (count low octet 0xff) and every flushed one; after a loss, packets
//! are dropped until a flushed one (the sender's answer to our CCP Reset-Request) restarts it.
//!
//! The flushed packet's key is one change per flag packet missed plus its own, counted from
//! the last good packet, unless flushed packets were lost too (each changed the key, and a
//! Reset-Request resent after a lost one is answered with another) or the loss spanned whole
//! cycles of the count (16 changes each). So the flushed packet is tried with up to
//! [`MAX_EXTRA_CHANGES`] further key changes and taken with the first that decrypts it to IP;
//! with none it is dropped and another reset asked for. A packet that decrypts to junk in
//! order means the stream was lost the same way: the caller hands us what it decrypted
//! (`check_decrypted`) and asks for a reset too.

use super::plausible::{decrypts_to_ip, is_ip};
use super::{Mppe, MppeError, CCOUNT_MASK, MAX_STATELESS_JUMP};

/// Key changes tried beyond the expected count on a flushed packet that resynchronizes.
const MAX_EXTRA_CHANGES: usize = 64;

impl Mppe {
    /// Moves the receive stream to packet `ccount`; Err when the packet is to be dropped.
    pub(super) fn sync_stateful(
        &mut self,
        ccount: u16,
        flushed: bool,
        payload: &[u8],
    ) -> Result<(), MppeError> {
        let distance = ccount.wrapping_sub(self.rx_ccount) & CCOUNT_MASK;
        let resync = self.rx_discard && flushed;
        if distance == 0 || (!resync && self.stray(ccount, distance)) {
            return Err(MppeError::TooFarAhead);
        }
        if distance == 1 && !self.rx_discard {
            if flushed || ccount & 0xff == 0xff {
                self.rx.rekey(1);
            }
            self.rx_ccount = ccount;
            return Ok(());
        }
        if !flushed {
            self.lost_sync(ccount);
            return Err(MppeError::ResetNeeded);
        }
        let old = usize::from(self.rx_ccount);
        let new = old + usize::from(distance);
        let missed_flags = new / 256 - (old + 1) / 256;
        let mut keys = self.rx.ahead(missed_flags + 1);
        let mut extra = 0;
        while !decrypts_to_ip(&keys, payload) {
            if extra == MAX_EXTRA_CHANGES {
                self.lost_sync(ccount);
                return Err(MppeError::ResetNeeded);
            }
            keys.rekey(1);
            extra += 1;
        }
        if extra > 0 {
            tracing::debug!(ccount, extra, "mppe: resynchronized past lost key changes");
        }
        self.rx = keys;
        self.rx_ccount = ccount;
        self.rx_discard = false;
        self.rx_stray = None;
        Ok(())
    }

    /// Looks at what `decrypt` just gave (`plain`). In stateful mode a packet that decrypted
    /// to something other than IP means the stream is lost as after a loss: packets are dropped
    /// until a flushed one, and true tells the caller to send a CCP Reset-Request. Stateless
    /// mode judged it inside `decrypt` already and finds its keys by itself: false.
    pub fn check_decrypted(&mut self, plain: &[u8]) -> bool {
        if self.stateless || is_ip(plain) {
            return false;
        }
        self.lost_sync(self.rx_ccount);
        true
    }

    /// Drops packets from now until a flushed one; the caller asks the peer for a reset.
    fn lost_sync(&mut self, ccount: u16) {
        if !self.rx_discard {
            tracing::debug!(
                ccount,
                last = self.rx_ccount,
                "mppe: packet loss, need reset"
            );
            self.rx_discard = true;
        }
    }

    /// Whether a packet `distance` counts ahead is beyond the window and must be dropped;
    /// remembers it, so that the packet after it proves a loss rather than a late packet.
    fn stray(&mut self, ccount: u16, distance: u16) -> bool {
        if distance <= MAX_STATELESS_JUMP {
            self.rx_stray = None;
            return false;
        }
        let follows = self.follows_stray(ccount);
        self.rx_stray = (!follows).then_some(ccount);
        if !follows {
            tracing::trace!(ccount, last = self.rx_ccount, "mppe: dropping late packet");
        }
        !follows
    }
}
