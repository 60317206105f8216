//! Acct-Terminate-Cause from the reason a session ended (the history's `cause` text).

use radius::attr::value::TerminateCause;

/// The cause for a session that ended with `reason`; the README's table lists the rules, first
/// match wins.
pub fn terminate_cause(reason: &str) -> TerminateCause {
    let r = reason.to_ascii_lowercase();
    let has = |s: &str| r.contains(s);
    if has("shutting down") || has("daemon shutdown") || has("no goodbye from the client") {
        TerminateCause::AdminReboot
    } else if has("admin reset") {
        TerminateCause::AdminReset
    } else if has("session timeout") {
        TerminateCause::SessionTimeout
    } else if has("idle timeout") {
        TerminateCause::IdleTimeout
    } else if has("lcp echo timeout") {
        TerminateCause::LostCarrier
    } else if r.starts_with("peer terminated the link")
        || r.starts_with("call cleared")
        || r.starts_with("l2tp session ended")
        || has("peer stopccn")
        || has("stop-control-connection")
    {
        TerminateCause::UserRequest
    } else if r.starts_with("tunnel closed") || r.starts_with("control connection closed") {
        TerminateCause::LostCarrier
    } else {
        TerminateCause::NasError
    }
}

#[cfg(test)]
mod tests;
