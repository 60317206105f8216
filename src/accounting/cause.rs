//! Acct-Terminate-Cause from the reason a session ended (the history's `cause` text).

use radius::attr::value::TerminateCause;

/// The cause for a session that ended with `reason`; the README's table lists the rules, first
/// match wins.
pub fn terminate_cause(reason: &str) -> TerminateCause {
    let r = reason.to_ascii_lowercase();
    let has = |s: &str| r.contains(s);
    if has("shutting down") || has("daemon shutdown") || has("no goodbye from the client") {
        TerminateCause::AdminReboot
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
mod tests {
    use super::*;
    use TerminateCause::*;

    #[test]
    fn every_way_a_session_ends_has_its_cause() {
        let table = [
            ("peer terminated the link: user hung up", UserRequest),
            ("peer terminated the link", UserRequest),
            ("call cleared: Call-Clear-Request", UserRequest),
            ("L2TP session ended: peer CDN (result 3)", UserRequest),
            ("tunnel closed: peer StopCCN (general request)", UserRequest),
            (
                "control connection closed: peer sent Stop-Control-Connection-Request",
                UserRequest,
            ),
            ("lcp echo timeout", LostCarrier),
            (
                "tunnel closed: no acknowledgment after 5 retransmissions",
                LostCarrier,
            ),
            (
                "control connection closed: peer closed the TCP connection",
                LostCarrier,
            ),
            ("session timeout", SessionTimeout),
            ("idle timeout", IdleTimeout),
            ("server shutting down", AdminReboot),
            ("daemon shutdown", AdminReboot),
            ("no goodbye from the client", AdminReboot),
            (
                "tunnel closed: sent StopCCN: server shutting down, acknowledged",
                AdminReboot,
            ),
            ("IPCP went down: no reason given", NasError),
            ("MPPE required but CCP failed: rejected", NasError),
        ];
        for (reason, cause) in table {
            assert_eq!(terminate_cause(reason), cause, "{reason}");
        }
    }
}
