//! The dial client playing a LAC that already did LCP and PAP with its user: the proxy AVPs for
//! the ICCN (RFC 2661 §4.4.5) and the matching start of our own PPP engine.

use l2tpd::tunnel::ProxyInfo;
use pppd::session::ProxiedLink;

use super::ppp_client::DialOptions;

/// Proxy Authen Type: PPP PAP.
const AUTHEN_PAP: u16 = 3;

/// The ICCN's proxy AVPs and our PPP's proxied start for one session, with fresh magic numbers.
pub fn proxied_pap(opts: &DialOptions) -> (ProxyInfo, ProxiedLink) {
    let mru = opts.mtu.to_be_bytes();
    let magic = || rand::random::<u32>().max(1).to_be_bytes();
    // What the client (we) asked for, and what "the LAC" asked of the client: PAP.
    let client = [&[1, 4][..], &mru[..], &[5, 6][..], &magic()[..]].concat();
    let lac = [
        &[1, 4][..],
        &mru[..],
        &[3, 4, 0xc0, 0x23, 5, 6][..],
        &magic()[..],
    ]
    .concat();
    let info = ProxyInfo {
        initial_received_lcp: Some(client.clone()),
        last_sent_lcp: Some(lac.clone()),
        last_received_lcp: Some(client.clone()),
        authen_type: Some(AUTHEN_PAP),
        authen_name: Some(opts.user.clone()),
        authen_challenge: None,
        authen_id: Some(1),
        authen_response: Some(opts.password.clone().into_bytes()),
    };
    let link = ProxiedLink {
        our_request: client,
        peer_request: lac,
        user: opts.user.clone(),
        peer_ipv4: None,
    };
    (info, link)
}
