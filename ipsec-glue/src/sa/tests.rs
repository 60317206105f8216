use super::*;

/// A CHILD_SA as charon 5.9.8's `list_child` writes it.
pub(crate) fn child(id: u32, mark: &str) -> Message {
    Message::new()
        .with_str("name", "l2tp")
        .with_str("uniqueid", id.to_string())
        .with_str("reqid", "3")
        .with_str("state", "INSTALLED")
        .with_str("mode", "TRANSPORT")
        .with_str("protocol", "ESP")
        .with_str("encap", "yes")
        .with_str("spi-in", "c1f0a2b3")
        .with_str("spi-out", "0a0b0c0d")
        .with_str("mark-in", mark)
        .with_str("mark-out", mark)
        .with_str("encr-alg", "AES_CBC")
        .with_str("encr-keysize", "256")
        .with_str("integ-alg", "HMAC_SHA1_96")
        .with_str("bytes-in", "12345")
        .with_str("packets-in", "67")
        .with_str("use-in", "2")
        .with_str("bytes-out", "54321")
        .with_str("packets-out", "76")
        .with_str("rekey-time", "3012")
        .with_str("life-time", "3312")
        .with_str("install-time", "288")
        .with_list("local-ts", ["192.0.2.1/32[udp/l2f]"])
        .with_list("remote-ts", ["198.51.100.7/32[udp/61000]"])
}

/// An IKE_SA as charon's `list_ike` writes it, with `children` as its `child-sas`.
pub(crate) fn ike(id: u32, children: Message) -> Message {
    Message::new()
        .with_str("uniqueid", id.to_string())
        .with_str("version", "1")
        .with_str("state", "ESTABLISHED")
        .with_str("local-host", "192.0.2.1")
        .with_str("local-port", "4500")
        .with_str("local-id", "192.0.2.1")
        .with_str("remote-host", "198.51.100.7")
        .with_str("remote-port", "61001")
        .with_str("remote-id", "10.0.0.5")
        .with_str("initiator-spi", "1122334455667788")
        .with_str("responder-spi", "8877665544332211")
        .with_str("nat-remote", "yes")
        .with_str("nat-any", "yes")
        .with_str("encr-alg", "AES_CBC")
        .with_str("encr-keysize", "256")
        .with_str("integ-alg", "HMAC_SHA1_96")
        .with_str("prf-alg", "PRF_HMAC_SHA1")
        .with_str("dh-group", "MODP_1024")
        .with_str("established", "300")
        .with_str("reauth-time", "28000")
        .with_section("child-sas", children)
}

#[test]
fn list_sa_event_gives_every_child() {
    let children = Message::new()
        .with_section("l2tp-7", child(7, "0000000a"))
        .with_section("l2tp-8", child(8, "0000000b"));
    let msg = Message::new().with_section("rasd-l2tp-psk", ike(3, children));
    let sas = parse_sas(&msg);
    assert_eq!(sas.len(), 2);
    let sa = &sas[0];
    assert_eq!(sa.ike_name, "rasd-l2tp-psk");
    assert_eq!((sa.ike_id, sa.child_id), (3, 7));
    assert_eq!(sa.name, "l2tp");
    assert_eq!(sa.state, "INSTALLED");
    assert_eq!((sa.mark_in, sa.mark_out), (10, 10));
    assert_eq!(sa.remote_host, "198.51.100.7".parse::<IpAddr>().unwrap());
    assert_eq!(sa.remote_port, 61001);
    assert_eq!(sa.local_host, "192.0.2.1".parse::<IpAddr>().unwrap());
    assert_eq!(sa.remote_id, "10.0.0.5");
    assert!(sa.nat);
    assert_eq!(
        sa.ike_proposal,
        "AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"
    );
    assert_eq!(sa.esp_proposal, "AES_CBC-256/HMAC_SHA1_96");
    assert_eq!((sa.bytes_in, sa.bytes_out), (12345, 54321));
    assert_eq!((sa.packets_in, sa.packets_out), (67, 76));
    assert_eq!(sa.rekey_in, Some(3012));
    assert_eq!(sa.life_in, Some(3312));
    assert_eq!(sa.installed_for, Some(288));
    assert_eq!((sas[1].child_id, sas[1].mark_in), (8, 11));
}

#[test]
fn several_ike_sas_in_one_message() {
    let one = |id| Message::new().with_section("l2tp", child(id, "00000001"));
    let msg = Message::new()
        .with_section("rasd-l2tp-psk", ike(1, one(10)))
        .with_section("rasd-l2tp-cert", ike(2, one(20)));
    let ids: Vec<_> = parse_sas(&msg)
        .iter()
        .map(|s| (s.ike_name.clone(), s.ike_id, s.child_id))
        .collect();
    assert_eq!(
        ids,
        [
            ("rasd-l2tp-psk".into(), 1, 10),
            ("rasd-l2tp-cert".into(), 2, 20)
        ]
    );
}

#[test]
fn ipv6_and_aead_without_integrity() {
    let c = Message::new()
        .with_str("uniqueid", "1")
        .with_str("encr-alg", "AES_GCM_16")
        .with_str("encr-keysize", "128")
        .with_str("dh-group", "MODP_2048");
    let i = Message::new()
        .with_str("uniqueid", "2")
        .with_str("remote-host", "2001:db8::7")
        .with_str("encr-alg", "AES_GCM_16")
        .with_str("encr-keysize", "256")
        .with_str("prf-alg", "PRF_HMAC_SHA2_256")
        .with_str("dh-group", "ECP_256");
    let sa = child_sa("c", &i, &c).unwrap();
    assert_eq!(sa.remote_host, "2001:db8::7".parse::<IpAddr>().unwrap());
    assert_eq!(sa.ike_proposal, "AES_GCM_16-256/PRF_HMAC_SHA2_256/ECP_256");
    assert_eq!(sa.esp_proposal, "AES_GCM_16-128/MODP_2048");
    assert!(!sa.nat);
}

#[test]
fn missing_and_odd_fields_default() {
    let c = Message::new()
        .with_str("uniqueid", "4")
        .with_str("mark-in", "zz")
        .with_str("bytes-in", "-1")
        .with_str("rekey-time", "-5")
        .with_list("state", ["not a string"]);
    let i = Message::new()
        .with_str("uniqueid", "9")
        .with_str("remote-host", "%any")
        .with_str("remote-port", "70000");
    let sa = child_sa("x", &i, &c).unwrap();
    assert_eq!(sa.state, "");
    assert_eq!((sa.mark_in, sa.mark_out), (0, 0));
    assert_eq!(sa.bytes_in, 0);
    assert_eq!(sa.rekey_in, None);
    assert_eq!(sa.remote_host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    assert_eq!(sa.remote_port, 0);
    assert_eq!(
        (sa.ike_proposal.as_str(), sa.esp_proposal.as_str()),
        ("", "")
    );
    assert_eq!(sa.installed_for, None);
}

#[test]
fn entries_without_ids_are_skipped() {
    let children = Message::new()
        .with_section("bad", Message::new().with_str("uniqueid", "x"))
        .with_str("stray", "value")
        .with_section("good", child(5, "00000002"));
    let msg = Message::new()
        .with_str("up", "yes")
        .with_section(
            "no-id",
            Message::new().with_section("child-sas", child(1, "1")),
        )
        .with_section("no-children", Message::new().with_str("uniqueid", "1"))
        .with_section("ok", ike(6, children));
    let sas = parse_sas(&msg);
    assert_eq!(sas.len(), 1);
    assert_eq!((sas[0].ike_id, sas[0].child_id), (6, 5));
    assert!(parse_sas(&Message::new()).is_empty());
}

#[test]
fn encap_alone_means_nat() {
    let i = Message::new().with_str("uniqueid", "1");
    let c = Message::new()
        .with_str("uniqueid", "2")
        .with_str("encap", "yes");
    assert!(child_sa("x", &i, &c).unwrap().nat);
    let c = Message::new().with_str("uniqueid", "2");
    assert!(!child_sa("x", &i, &c).unwrap().nat);
    let i = i.with_str("nat-fake", "yes");
    assert!(child_sa("x", &i, &c).unwrap().nat);
}
