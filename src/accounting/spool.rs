//! The spool's plain-data core: which records wait, in which order, how much disk they take.
//! Records go in (`admit`), and out come the file each is written to, the next one to send
//! (`next`), and the file to remove once a server acknowledged it (`acked`). Memory is one
//! small [`Entry`] per spooled record, so it is bounded by the disk budget, not the outage.

use std::collections::VecDeque;

use super::record::Kind;

/// Share of `limit` past which a warning is logged.
const WARN_PERCENT: u64 = 80;

/// One spooled record: its place in line, its file's size and what names its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Order of arrival, across restarts.
    pub seq: u64,
    /// Bytes on disk.
    pub len: u64,
    /// Which record.
    pub kind: Kind,
    /// Its session.
    pub session: u64,
}

impl Entry {
    /// The file it is spooled in: `<seq>-<kind>-<session>.json`, so a listing sorts in order
    /// and shows which sessions have a Stop waiting.
    pub fn file_name(&self) -> String {
        format!(
            "{:020}-{}-{:016x}.json",
            self.seq,
            self.kind.name(),
            self.session
        )
    }

    /// The entry a spool file name stands for.
    pub fn parse(name: &str, len: u64) -> Option<Entry> {
        let stem = name.strip_suffix(".json")?;
        let mut parts = stem.splitn(3, '-');
        let seq = parts.next()?.parse().ok()?;
        let kind = match parts.next()? {
            "start" => Kind::Start,
            "interim" => Kind::Interim,
            "stop" => Kind::Stop,
            "on" => Kind::On,
            "off" => Kind::Off,
            _ => return None,
        };
        let session = u64::from_str_radix(parts.next()?, 16).ok()?;
        Some(Entry {
            seq,
            len,
            kind,
            session,
        })
    }
}

/// Why a record was not admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Full {
    /// Bytes spooled.
    pub used: u64,
    /// The budget.
    pub limit: u64,
}

/// The spool's state; see the module documentation.
#[derive(Debug)]
pub struct Spool {
    limit: u64,
    used: u64,
    queue: VecDeque<Entry>,
    next_seq: u64,
    sending: bool,
    warned: bool,
}

impl Spool {
    /// A spool with budget `limit` over the records found on disk (any order).
    pub fn new(limit: u64, mut found: Vec<Entry>) -> Self {
        found.sort_by_key(|e| e.seq);
        Spool {
            limit,
            used: found.iter().map(|e| e.len).sum(),
            next_seq: found.last().map_or(0, |e| e.seq + 1),
            queue: found.into(),
            sending: false,
            warned: false,
        }
    }

    /// Takes a record of `len` bytes; its entry (write the file under its name before anything
    /// may send it), or `Full` past the budget.
    pub fn admit(&mut self, kind: Kind, session: u64, len: u64) -> Result<Entry, Full> {
        if self.used + len > self.limit {
            return Err(Full {
                used: self.used,
                limit: self.limit,
            });
        }
        let entry = Entry {
            seq: self.next_seq,
            len,
            kind,
            session,
        };
        self.next_seq += 1;
        self.used += len;
        self.queue.push_back(entry);
        Ok(entry)
    }

    /// Drops an admitted record whose file could not be written.
    pub fn forget(&mut self, seq: u64) {
        if let Some(i) = self.queue.iter().position(|e| e.seq == seq) {
            if let Some(e) = self.queue.remove(i) {
                self.used -= e.len;
            }
        }
    }

    /// True once each time the spool grows past 80% of its budget.
    pub fn take_warning(&mut self) -> bool {
        let near = self.used * 100 >= self.limit * WARN_PERCENT;
        let warn = near && !self.warned;
        self.warned = near;
        warn
    }

    /// The oldest record, to send now, unless one is being sent (one at a time, oldest first).
    pub fn next(&mut self) -> Option<Entry> {
        if self.sending {
            return None;
        }
        let e = *self.queue.front()?;
        self.sending = true;
        Some(e)
    }

    /// A server acknowledged record `seq`: its entry, whose file is to be removed.
    pub fn acked(&mut self, seq: u64) -> Option<Entry> {
        self.sending = false;
        let e = self.queue.front().filter(|e| e.seq == seq).copied()?;
        self.queue.pop_front();
        self.used -= e.len;
        Some(e)
    }

    /// Sending the record from `next` failed: it stays first in line.
    pub fn failed(&mut self) {
        self.sending = false;
    }

    /// Records waiting.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Bytes spooled and the budget.
    pub fn usage(&self) -> (u64, u64) {
        (self.used, self.limit)
    }
}

#[cfg(test)]
mod tests;
