use super::*;

fn parts(p: Packet) -> (String, Message) {
    match p {
        Packet::CmdRequest { name, msg } => (name, msg),
        other => panic!("not a request: {other:?}"),
    }
}

#[test]
fn load_conn_wraps_the_connection_in_its_named_section() {
    let (name, msg) = parts(load_conn("c", Message::new().with_str("version", "1")));
    assert_eq!(name, "load-conn");
    assert_eq!(msg.len(), 1);
    assert_eq!(
        msg.section("c").and_then(|c| c.get_str("version")),
        Some("1")
    );
}

#[test]
fn unload_requests_name_their_target() {
    let (name, msg) = parts(unload_conn("c"));
    assert_eq!(
        (name.as_str(), msg.get_str("name")),
        ("unload-conn", Some("c"))
    );
    let (name, msg) = parts(unload_shared("s"));
    assert_eq!(
        (name.as_str(), msg.get_str("id")),
        ("unload-shared", Some("s"))
    );
}

#[test]
fn get_shared_has_no_arguments() {
    let (name, msg) = parts(get_shared());
    assert_eq!((name.as_str(), msg.is_empty()), ("get-shared", true));
}

#[test]
fn shared_secret_has_id_type_and_data_but_no_owners() {
    let (name, msg) = parts(load_shared_ike("s", b"sec\0ret"));
    assert_eq!(name, "load-shared");
    assert_eq!(msg.get_str("id"), Some("s"));
    assert_eq!(msg.get_str("type"), Some("IKE"));
    assert_eq!(msg.get_bytes("data"), Some(&b"sec\0ret"[..]));
    assert!(msg.get("owners").is_none());
}

#[test]
fn certificates_and_keys() {
    let (name, msg) = parts(load_cert(CertFlag::Ca, b"PEM"));
    assert_eq!(name, "load-cert");
    assert_eq!(msg.get_str("type"), Some("X509"));
    assert_eq!(msg.get_str("flag"), Some("CA"));
    assert_eq!(msg.get_str("data"), Some("PEM"));
    let (_, msg) = parts(load_cert(CertFlag::EndEntity, b"PEM"));
    assert_eq!(msg.get_str("flag"), Some("NONE"));
    let (name, msg) = parts(load_key(b"KEY"));
    assert_eq!(name, "load-key");
    assert_eq!(msg.get_str("type"), Some("any"));
    assert_eq!(msg.get_str("data"), Some("KEY"));
}

#[test]
fn listings() {
    let (name, msg) = parts(list_sas(false));
    assert_eq!((name.as_str(), msg.is_empty()), ("list-sas", true));
    let (_, msg) = parts(list_sas(true));
    assert_eq!(msg.get_str("noblock"), Some("yes"));
    let (name, msg) = parts(list_conns());
    assert_eq!((name.as_str(), msg.is_empty()), ("list-conns", true));
}

#[test]
fn event_registration() {
    assert_eq!(
        register(CHILD_UPDOWN),
        Packet::EventRegister("child-updown".into())
    );
    assert_eq!(
        unregister(LIST_SA),
        Packet::EventUnregister("list-sa".into())
    );
    assert_eq!(confirmed(&Packet::EventConfirm), Ok(()));
    assert_eq!(
        confirmed(&Packet::EventUnknown),
        Err(ViciError::UnknownEvent)
    );
    assert_eq!(
        confirmed(&Packet::CmdUnknown),
        Err(ViciError::UnexpectedPacket)
    );
}

#[test]
fn replies() {
    assert_eq!(
        check_reply(&Message::new().with_str("success", "yes")),
        Ok(())
    );
    let no = Message::new()
        .with_str("success", "no")
        .with_str("errmsg", "invalid proposal");
    assert_eq!(
        check_reply(&no),
        Err(ViciError::Failed("invalid proposal".into()))
    );
    assert_eq!(
        check_reply(&Message::new()),
        Err(ViciError::Failed(String::new()))
    );
    let ok = Packet::CmdResponse(Message::new().with_str("success", "yes"));
    assert!(response(&ok).is_ok());
    assert_eq!(
        response(&Packet::CmdUnknown),
        Err(ViciError::UnknownCommand)
    );
    assert_eq!(
        response(&Packet::EventConfirm),
        Err(ViciError::UnexpectedPacket)
    );
}
