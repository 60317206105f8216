//! Against a real charon (strongSwan 5.9.8): rasd's L2TP/IPsec connections load, list as
//! intended and unload; the PSK loads and unloads (seen through `get-shared`); a nonsense proposal is refused with an
//! errmsg. No kernel IPsec is needed for any of this.

#[path = "charon_support/mod.rs"]
mod support;

use ipsec_glue::commands::{
    check_reply, get_shared, list_conns, list_sas, load_conn, LIST_CONN, LIST_SA,
};
use ipsec_glue::l2tp_conn::{CertAuth, L2tpIpsec, CERT_CONN, CHILD, PSK_CONN, PSK_ID};
use ipsec_glue::vici::{Message, Packet, ViciError};
use support::{certificates, Charon, Vici};

fn strs(m: &Message, key: &str) -> Vec<String> {
    m.list(key)
        .unwrap_or_default()
        .iter()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

/// The `list-conn` events charon streams, by connection name.
fn conns(vici: &mut Vici) -> Vec<(String, Message)> {
    let (events, reply) = vici.command(&list_conns());
    assert!(reply.is_empty() || check_reply(&reply).is_ok(), "{reply:?}");
    events
        .into_iter()
        .filter(|(name, _)| name == LIST_CONN)
        .flat_map(|(_, msg)| {
            msg.sections()
                .map(|(k, v)| (k.to_owned(), v.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn check_conn(conn: &Message, class: &str) {
    assert_eq!(conn.get_str("version"), Some("IKEv1"), "{conn:?}");
    assert_eq!(strs(conn, "local_addrs"), ["%any"]);
    assert_eq!(strs(conn, "remote_addrs"), ["%any"]);
    assert_eq!(conn.get_str("reauth_time"), Some("28800"));
    assert_eq!(conn.get_str("rekey_time"), Some("0"));
    assert_eq!(conn.get_str("unique"), Some("UNIQUE_NEVER"));
    assert_eq!(conn.get_str("dpd_delay"), Some("30"));
    assert_eq!(conn.get_str("dpd_timeout"), Some("150"));
    assert_eq!(
        conn.section("local-1").and_then(|a| a.get_str("class")),
        Some(class)
    );
    assert_eq!(
        conn.section("remote-1").and_then(|a| a.get_str("class")),
        Some(class)
    );
    let children = conn.section("children").expect("children");
    assert_eq!(children.len(), 1);
    let child = children.section(CHILD).expect("l2tp child");
    assert_eq!(child.get_str("mode"), Some("TRANSPORT"), "{child:?}");
    assert_eq!(child.get_str("rekey_time"), Some("3300"));
    // Charon 5.9 names the `clear` action `none` (ACTION_NONE).
    assert_eq!(child.get_str("dpd_action"), Some("none"));
    assert_eq!(child.get_str("close_action"), Some("none"));
    // Port 1701 is listed by its service name.
    assert_eq!(strs(child, "local-ts"), ["dynamic[udp/l2f]"]);
    assert_eq!(strs(child, "remote-ts"), ["dynamic[udp]"]);
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn rasd_connections_load_list_and_unload() {
    let mut charon = Charon::start();
    let (ca, server_cert, server_key) = certificates(&charon);
    let mut vici = charon.connect();
    vici.register(LIST_CONN);
    vici.register(LIST_SA);

    let config = L2tpIpsec {
        ike_proposals: vec!["aes256-sha1-modp1024".into(), "aes128-sha1-modp2048".into()],
        esp_proposals: vec!["aes256-sha1".into(), "aes128-sha1".into()],
        dpd_delay: 30,
        dpd_timeout: 150,
        ike_rekey_time: 28800,
        child_rekey_time: 3300,
        child_life_time: 3600,
        psk: Some(b"a pre-shared key".to_vec()),
        certificate: Some(CertAuth {
            server_cert,
            server_key,
            ca_cert: ca,
        }),
    };
    for request in config.load_requests() {
        let (_, reply) = vici.command(&request);
        assert_eq!(check_reply(&reply), Ok(()), "{request:?}\n{}", charon.log());
    }
    assert_eq!(shared_ids(&mut vici), [PSK_ID]);

    let listed = conns(&mut vici);
    let names: Vec<_> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, [PSK_CONN, CERT_CONN]);
    check_conn(&listed[0].1, "pre-shared key");
    check_conn(&listed[1].1, "public key");
    let cert_local = listed[1].1.section("local-1").unwrap();
    assert_eq!(
        strs(cert_local, "certs"),
        ["CN=vpn.example"],
        "{cert_local:?}"
    );
    let cert_remote = listed[1].1.section("remote-1").unwrap();
    assert_eq!(strs(cert_remote, "cacerts"), ["CN=rasd test CA"]);

    // No clients: list-sas streams nothing and succeeds.
    let (events, reply) = vici.command(&list_sas(true));
    assert!(events.is_empty(), "{events:?}");
    assert!(reply.is_empty() || check_reply(&reply).is_ok());

    // A nonsense proposal is refused with a reason.
    let bad = L2tpIpsec {
        ike_proposals: vec!["nonsense-proposal".into()],
        ..config.clone()
    };
    let (_, reply) = vici.command(&load_conn("rasd-l2tp-bad", bad.psk_conn()));
    match check_reply(&reply) {
        Err(ViciError::Failed(msg)) => assert!(!msg.is_empty(), "{reply:?}"),
        other => panic!("nonsense proposal accepted: {other:?}"),
    }

    // Charon refuses keys it does not know, so the successful loads above prove every key
    // rasd sends (marks included) is one charon 5.9.8 understands.
    let typo = config.psk_conn().with_str("no_such_option", "yes");
    let (_, reply) = vici.command(&load_conn("rasd-l2tp-typo", typo));
    assert!(check_reply(&reply).is_err(), "{reply:?}");

    let child_typo = Message::new().with_section(
        "children",
        Message::new().with_section("c", Message::new().with_str("no_such_option", "yes")),
    );
    let (_, reply) = vici.command(&load_conn("rasd-l2tp-typo", child_typo));
    assert!(check_reply(&reply).is_err(), "{reply:?}");

    // An unknown command is CMD_UNKNOWN.
    let (_, answer) = vici.call(&Packet::request("no-such-command", Message::new()));
    assert_eq!(answer, Packet::CmdUnknown);

    for request in config.unload_requests() {
        let (_, reply) = vici.command(&request);
        assert_eq!(check_reply(&reply), Ok(()), "{request:?}\n{}", charon.log());
    }
    assert!(conns(&mut vici).is_empty());
    assert!(shared_ids(&mut vici).is_empty());
}

/// The ids of the shared secrets charon holds.
fn shared_ids(vici: &mut Vici) -> Vec<String> {
    let (_, reply) = vici.command(&get_shared());
    strs(&reply, "keys")
}
