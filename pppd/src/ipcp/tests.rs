use super::*;
use crate::fsm::Options;

fn check(o: &mut IpcpOptions, req: &[u8]) -> (u8, Vec<u8>) {
    let opts = Options::new_checked(req).unwrap();
    let mut r = Reply::new(false);
    o.check_request(opts, &mut r);
    r.finish(req)
}

fn server() -> IpcpOptions {
    let cfg = Config {
        dns: [Some(Ipv4Addr::new(8, 8, 8, 8)), None],
        wins: [None, Some(Ipv4Addr::new(10, 0, 0, 9))],
        ..Config::default()
    };
    let mut o = IpcpOptions::new(&cfg);
    o.set_peer_address(Some(Ipv4Addr::new(10, 99, 0, 10)));
    o
}

#[test]
fn server_naks_zero_address_and_dns_with_configured_values() {
    let mut o = server();
    let req = [3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0];
    assert_eq!(
        check(&mut o, &req),
        (
            3,
            vec![3, 6, 10, 99, 0, 10, 129, 6, 8, 8, 8, 8, 132, 6, 10, 0, 0, 9]
        )
    );
    let good = [3, 6, 10, 99, 0, 10, 129, 6, 8, 8, 8, 8];
    assert_eq!(check(&mut o, &good), (2, good.to_vec()));
    assert_eq!(o.peer_address(), Ipv4Addr::new(10, 99, 0, 10));
}

#[test]
fn server_rejects_unconfigured_dns_wins_and_vj() {
    let mut o = server();
    let req = [
        2, 6, 0, 0x2d, 0x0f, 1, 3, 6, 10, 99, 0, 10, 131, 6, 0, 0, 0, 0, 130, 6, 0, 0, 0, 0,
    ];
    assert_eq!(
        check(&mut o, &req),
        (
            4,
            vec![2, 6, 0, 0x2d, 0x0f, 1, 131, 6, 0, 0, 0, 0, 130, 6, 0, 0, 0, 0]
        )
    );
}

#[test]
fn server_naks_other_addresses_and_asks_for_missing_one() {
    let mut o = server();
    assert_eq!(
        check(&mut o, &[3, 6, 192, 168, 1, 5]),
        (3, vec![3, 6, 10, 99, 0, 10])
    );
    assert_eq!(check(&mut o, &[]), (3, vec![3, 6, 10, 99, 0, 10]));
    let mut out = Vec::new();
    o.reset();
    o.build_request(&mut out);
    assert_eq!(out, vec![3, 6, 10, 99, 0, 1]);
}

#[test]
fn client_requests_zero_and_dns_then_takes_naks() {
    let cfg = Config {
        role: Role::Client,
        ..Config::default()
    };
    let mut o = IpcpOptions::new(&cfg);
    let mut out = Vec::new();
    o.build_request(&mut out);
    assert_eq!(
        out,
        vec![3, 6, 0, 0, 0, 0, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0]
    );
    let nak = [3, 6, 10, 99, 0, 10, 129, 6, 1, 1, 1, 1];
    o.naked(Options::new_checked(&nak).unwrap());
    o.rejected(Options::new_checked(&[131, 6, 0, 0, 0, 0]).unwrap());
    out.clear();
    o.build_request(&mut out);
    assert_eq!(out, vec![3, 6, 10, 99, 0, 10, 129, 6, 1, 1, 1, 1]);
    assert_eq!(o.local_address(), Ipv4Addr::new(10, 99, 0, 10));
    assert_eq!(o.dns(), [Some(Ipv4Addr::new(1, 1, 1, 1)), None]);
    // The server's own request: address accepted, anything else rejected.
    assert_eq!(
        check(&mut o, &[3, 6, 10, 99, 0, 1]),
        (2, vec![3, 6, 10, 99, 0, 1])
    );
    assert_eq!(o.peer_address(), Ipv4Addr::new(10, 99, 0, 1));
    assert_eq!(check(&mut o, &[2, 4, 0, 0x2d]).0, 4);
    o.rejected(Options::new_checked(&[3, 6, 0, 0, 0, 0]).unwrap());
    assert!(o.take_failure().is_some());
}

#[test]
fn per_session_name_servers_replace_the_configured_ones() {
    let mut o = server();
    o.set_name_servers(
        Some([Some(Ipv4Addr::new(9, 9, 9, 9)), None]),
        Some([None; 2]),
    );
    let req = [3, 6, 10, 99, 0, 10, 129, 6, 0, 0, 0, 0, 132, 6, 0, 0, 0, 0];
    assert_eq!(
        check(&mut o, &req),
        (4, vec![132, 6, 0, 0, 0, 0]),
        "WINS was configured, the session has none"
    );
    o.set_name_servers(None, None);
    assert_eq!(check(&mut o, &req[..12]).0, 3, "None keeps what was set");
    let req = [3, 6, 10, 99, 0, 10, 129, 6, 0, 0, 0, 0];
    assert_eq!(
        check(&mut o, &req),
        (3, vec![129, 6, 9, 9, 9, 9]),
        "the session's DNS, not the configured 8.8.8.8"
    );
}

/// Takes every address but one.
struct AllBut(Ipv4Addr);

impl AddressChooser for AllBut {
    fn take(&mut self, addr: Ipv4Addr) -> bool {
        addr != self.0
    }
}

#[test]
fn a_peer_let_choose_gets_its_address_when_the_chooser_takes_it() {
    let mut o = server();
    o.let_peer_choose(Box::new(AllBut(Ipv4Addr::new(192, 0, 2, 7))));
    assert_eq!(
        check(&mut o, &[3, 6, 192, 0, 2, 7]),
        (3, vec![3, 6, 10, 99, 0, 10]),
        "refused: the assigned address"
    );
    assert_eq!(
        check(&mut o, &[3, 6, 0, 0, 0, 0]),
        (3, vec![3, 6, 10, 99, 0, 10]),
        "no choice: the assigned address"
    );
    let own = [3, 6, 192, 0, 2, 8];
    assert_eq!(check(&mut o, &own), (2, own.to_vec()));
    assert_eq!(o.peer_address(), Ipv4Addr::new(192, 0, 2, 8));
}

#[test]
fn a_client_asks_for_the_address_it_was_told_to() {
    let cfg = Config {
        role: Role::Client,
        request_ipv4: Some(Ipv4Addr::new(192, 0, 2, 8)),
        ..Config::default()
    };
    let mut o = IpcpOptions::new(&cfg);
    let mut out = Vec::new();
    o.build_request(&mut out);
    assert_eq!(&out[..6], &[3, 6, 192, 0, 2, 8]);
}
