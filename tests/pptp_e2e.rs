//! End to end on this kernel: rasd in one network namespace, the project's own PPTP client
//! (`rasd dial`, the peer-role engines) in another; ping and a byte-exact 1 MB transfer each
//! way through the tunnel; the history records the session.

mod e2e;

use e2e::scenario::session_scenario;

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn mppe128_stateless_session() {
    session_scenario(
        "pptp",
        "rasde2e",
        &[],
        &["--mppe", "128"],
        "Bits128 stateless=true",
    );
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn mppe40_stateful_session() {
    let server = [("ppp", "mppe_prefer_stateful = true")];
    let client = ["--mppe", "40", "--stateful"];
    session_scenario("pptp", "rasdsf", &server, &client, "Bits40 stateless=false");
}
