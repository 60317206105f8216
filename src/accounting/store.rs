//! The spool on disk: `queue/` holds the records to send (named by [`Entry::file_name`]),
//! `open/` holds, for each session up, the Stop to send if the daemon dies before the session
//! ends (cause NAS-Reboot, the last counters known). Every write is durable before it returns:
//! the data is written to a temporary file, fsynced, renamed into place and the directory
//! fsynced, so a crash or power cut leaves either the whole record or none of it, and a record
//! is on disk before anything sends it. Removals are not fsynced: one lost in a power cut
//! resends a record (the server sees a duplicate), never loses one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::record::Record;
use super::spool::Entry;

/// The spool directory.
#[derive(Debug)]
pub struct Store {
    queue: PathBuf,
    open: PathBuf,
}

impl Store {
    /// Opens (creating, mode 0700) `dir/queue` and `dir/open`.
    pub fn open(dir: &Path) -> io::Result<Store> {
        let store = Store {
            queue: dir.join("queue"),
            open: dir.join("open"),
        };
        for d in [&store.queue, &store.open] {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(d)?;
        }
        Ok(store)
    }

    /// The records waiting in `queue/`, in no particular order.
    pub fn list(&self) -> io::Result<Vec<Entry>> {
        let mut found = Vec::new();
        for f in fs::read_dir(&self.queue)? {
            let f = f?;
            let name = f.file_name().to_string_lossy().into_owned();
            match Entry::parse(&name, f.metadata()?.len()) {
                Some(e) => found.push(e),
                None if name.ends_with(".tmp") => fs::remove_file(f.path())?,
                None => {
                    tracing::warn!(file = %f.path().display(), "not an accounting record: left alone")
                }
            }
        }
        Ok(found)
    }

    /// Writes record `e` durably.
    pub fn write(&self, e: &Entry, bytes: &[u8]) -> io::Result<()> {
        durable_write(&self.queue, &e.file_name(), bytes)
    }

    /// Reads record `e`.
    pub fn read(&self, e: &Entry) -> io::Result<Record> {
        let bytes = fs::read(self.queue.join(e.file_name()))?;
        serde_json::from_slice(&bytes).map_err(io::Error::other)
    }

    /// Removes record `e` (acknowledged).
    pub fn remove(&self, e: &Entry) -> io::Result<()> {
        fs::remove_file(self.queue.join(e.file_name()))
    }

    /// Writes, durably, the Stop to send for `session` after a crash.
    pub fn write_pending_stop(&self, session: u64, bytes: &[u8]) -> io::Result<()> {
        durable_write(&self.open, &pending_name(session), bytes)
    }

    /// Removes `session`'s pending Stop (its real Stop is queued).
    pub fn remove_pending_stop(&self, session: u64) -> io::Result<()> {
        fs::remove_file(self.open.join(pending_name(session)))
    }

    /// The pending Stops of sessions that were up when the daemon died: (session, contents).
    pub fn pending_stops(&self) -> io::Result<Vec<(u64, Vec<u8>)>> {
        let mut found = Vec::new();
        for f in fs::read_dir(&self.open)? {
            let f = f?;
            let name = f.file_name().to_string_lossy().into_owned();
            let session = name
                .strip_suffix(".json")
                .and_then(|s| u64::from_str_radix(s, 16).ok());
            match session {
                Some(session) => found.push((session, fs::read(f.path())?)),
                None if name.ends_with(".tmp") => fs::remove_file(f.path())?,
                None => {}
            }
        }
        Ok(found)
    }
}

fn pending_name(session: u64) -> String {
    format!("{session:016x}.json")
}

/// `bytes` as `dir/name`, whole or not at all, on disk when this returns.
fn durable_write(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, dir.join(name))?;
    File::open(dir)?.sync_all()
}
