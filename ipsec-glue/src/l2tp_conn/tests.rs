use super::*;
use crate::vici::Value;

fn config() -> L2tpIpsec {
    L2tpIpsec {
        ike_proposals: vec!["aes256-sha1-modp1024".into(), "aes128-sha1-modp2048".into()],
        esp_proposals: vec!["aes256-sha1".into()],
        dpd_delay: 30,
        dpd_timeout: 150,
        ike_rekey_time: 28800,
        child_rekey_time: 3300,
        child_life_time: 3600,
        psk: Some(b"secret".to_vec()),
        certificate: Some(CertAuth {
            server_cert: b"SERVER PEM".to_vec(),
            server_key: b"KEY PEM".to_vec(),
            ca_cert: b"CA PEM".to_vec(),
        }),
    }
}

fn strs(m: &Message, key: &str) -> Vec<String> {
    m.list(key)
        .unwrap_or_else(|| panic!("list {key}"))
        .iter()
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

fn check_common(conn: &Message) {
    assert_eq!(conn.get_str("version"), Some("1"));
    assert_eq!(conn.get_str("aggressive"), Some("no"));
    assert_eq!(
        strs(conn, "proposals"),
        ["aes256-sha1-modp1024", "aes128-sha1-modp2048"]
    );
    assert_eq!(conn.get_str("encap"), Some("no"));
    assert_eq!(conn.get_str("dpd_delay"), Some("30s"));
    assert_eq!(conn.get_str("dpd_timeout"), Some("150s"));
    assert_eq!(conn.get_str("reauth_time"), Some("28800s"));
    assert_eq!(conn.get_str("rekey_time"), Some("0s"));
    assert_eq!(conn.get_str("unique"), Some("never"));
    assert!(conn.get("local_addrs").is_none() && conn.get("remote_addrs").is_none());
    let children = conn.section("children").expect("children");
    assert_eq!(children.len(), 1);
    let child = children.section(CHILD).expect("l2tp child");
    assert_eq!(child.get_str("mode"), Some("transport"));
    assert_eq!(strs(child, "local_ts"), ["dynamic[udp/1701]"]);
    assert_eq!(strs(child, "remote_ts"), ["dynamic[udp]"]);
    assert_eq!(strs(child, "esp_proposals"), ["aes256-sha1"]);
    assert_eq!(child.get_str("rekey_time"), Some("3300s"));
    assert_eq!(child.get_str("life_time"), Some("3600s"));
    assert_eq!(child.get_str("dpd_action"), Some("clear"));
    assert_eq!(child.get_str("start_action"), Some("none"));
    assert_eq!(child.get_str("close_action"), Some("none"));
    assert_eq!(child.get_str("mark_in"), Some("%unique"));
    assert_eq!(child.get_str("mark_out"), Some("%unique"));
    assert_eq!(child.get_str("set_mark_in"), Some("%same"));
}

#[test]
fn psk_connection() {
    let conn = config().psk_conn();
    check_common(&conn);
    assert_eq!(
        conn.get_str("send_certreq"),
        Some("yes"),
        "the responder takes it from the first connection"
    );
    for side in ["local", "remote"] {
        let auth = conn.section(side).expect(side);
        assert_eq!(auth.len(), 1);
        assert_eq!(auth.get_str("auth"), Some("psk"));
    }
}

#[test]
fn cert_connection_carries_certificate_data() {
    let cfg = config();
    let conn = cfg.cert_conn(cfg.certificate.as_ref().unwrap());
    check_common(&conn);
    assert_eq!(conn.get_str("send_certreq"), Some("yes"));
    let local = conn.section("local").unwrap();
    assert_eq!(local.get_str("auth"), Some("pubkey"));
    assert_eq!(strs(local, "certs"), ["SERVER PEM"]);
    let remote = conn.section("remote").unwrap();
    assert_eq!(remote.get_str("auth"), Some("pubkey"));
    assert_eq!(strs(remote, "cacerts"), ["CA PEM"]);
}

fn summary(packets: &[Packet]) -> Vec<(String, String)> {
    packets
        .iter()
        .map(|p| match p {
            Packet::CmdRequest { name, msg } => {
                let arg = msg
                    .iter()
                    .next()
                    .map(|(k, v)| match v {
                        Value::Section(_) => k.to_owned(),
                        _ => String::from_utf8_lossy(msg.get_bytes(k).unwrap()).into_owned(),
                    })
                    .unwrap_or_default();
                (name.clone(), arg)
            }
            other => panic!("not a request: {other:?}"),
        })
        .collect()
}

#[test]
fn load_and_unload_sequences() {
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    let cfg = config();
    assert_eq!(
        summary(&cfg.load_requests()),
        pairs(&[
            ("load-shared", PSK_ID),
            ("load-conn", PSK_CONN),
            ("load-key", "any"),
            ("load-cert", "X509"),
            ("load-conn", CERT_CONN),
        ])
    );
    assert_eq!(
        summary(&cfg.unload_requests()),
        pairs(&[
            ("unload-conn", PSK_CONN),
            ("unload-shared", PSK_ID),
            ("unload-conn", CERT_CONN),
        ])
    );
    let psk_only = L2tpIpsec {
        certificate: None,
        ..config()
    };
    assert_eq!(psk_only.load_requests().len(), 2);
    assert_eq!(psk_only.unload_requests().len(), 2);
    let none = L2tpIpsec {
        psk: None,
        ..psk_only
    };
    assert!(none.load_requests().is_empty() && none.unload_requests().is_empty());
}
