//! The open-files limit. Every PPTP call holds its control connection's socket, so a daemon
//! left at the usual soft limit of 1,024 refuses calls long before `[server] max_sessions`.
//! At start the soft limit is raised to the hard one (as other servers do), and a limit still
//! too small for `max_sessions` PPTP calls is said in the log, with what to change.

use std::io;

/// Files the daemon holds besides one per PPTP call: listeners, the TUN device, the GRE and
/// L2TP sockets, RADIUS sockets, the history and spool files, the runtime's own.
pub const BASE_FILES: u64 = 256;

/// The soft limit before and after raising it to the hard limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raised {
    /// The soft limit the daemon was started with.
    pub before: u64,
    /// The soft limit now in force.
    pub now: u64,
}

/// Raises the soft limit on open files to the hard limit.
pub fn raise() -> io::Result<Raised> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid rlimit for getrlimit/setrlimit to read and write.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let before = lim.rlim_cur;
    if lim.rlim_cur < lim.rlim_max {
        lim.rlim_cur = lim.rlim_max;
        // SAFETY: as above.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(Raised {
        before,
        now: lim.rlim_cur,
    })
}

/// PPTP calls a limit of `files` open files leaves room for.
pub fn pptp_calls_within(files: u64) -> u64 {
    files.saturating_sub(BASE_FILES)
}

#[cfg(test)]
mod tests;
