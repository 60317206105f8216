//! End to end on this kernel for L2TP: rasd as LNS in one namespace, the project's own LAC
//! client (`rasd dial l2tp`) in another; ping and 1 MB each way through the tunnel.

mod e2e;

use e2e::scenario::session_scenario;

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn l2tp_session_with_tunnel_secret_and_no_mppe() {
    let server = [("l2tp", "secret = \"tunnel-secret\"")];
    let client = ["--mppe", "none", "--secret", "tunnel-secret"];
    session_scenario("l2tp", "rasdl2", &server, &client, "mppe=none");
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn l2tp_session_with_mppe_128() {
    session_scenario(
        "l2tp",
        "rasdl2m",
        &[],
        &["--mppe", "128"],
        "Bits128 stateless=true",
    );
}
