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
        ("admin reset (RADIUS Disconnect-Request)", AdminReset),
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
