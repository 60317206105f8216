//! Every reply is checked before it is believed: source, identifier, Response Authenticator,
//! Message-Authenticator and code; refused ones are dropped, counted, and leave the request
//! waiting for the real answer.

mod common;

use common::*;
use radius::attr::{self, AttrType, Attribute};
use radius::client::{DropReason, Event, Purpose};
use radius::crypto::{hide_password, salt_encrypt, unhide_password, verify_request};
use radius::wire::Code;

fn dropped(h: &mut Harness) -> Vec<DropReason> {
    h.events()
        .into_iter()
        .map(|e| match e {
            Event::Dropped { reason, .. } => reason,
            other => panic!("expected a drop, got {other:?}"),
        })
        .collect()
}

#[test]
fn forged_and_broken_replies_are_dropped_and_counted() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    let id = h.login("alice");
    let sent = h.transmit().pop().unwrap();
    let good = accept(&sent);

    h.client
        .handle_datagram(h.now, 0, addr("192.0.2.66:1812"), &good);
    h.client
        .handle_datagram(h.now, 0, addr("192.0.2.1:1999"), &good);
    h.deliver(&sent, &good[..19]);
    let mut wrong_id = good.clone();
    wrong_id[1] ^= 0x55;
    h.deliver(&sent, &wrong_id);
    h.client.handle_datagram(h.now, 1, sent.to, &good);
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                secret: b"wrong",
                ..Reply::default()
            },
        ),
    );
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                message_authenticator: false,
                ..Reply::default()
            },
        ),
    );
    let mut bad_mac = good.clone();
    bad_mac[25] ^= 1;
    resign(&sent, &mut bad_mac);
    h.deliver(&sent, &bad_mac);
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                code: Code::AccountingResponse,
                ..Reply::default()
            },
        ),
    );

    use DropReason::*;
    assert_eq!(
        dropped(&mut h),
        [
            WrongSource,
            WrongSource,
            Malformed,
            UnknownIdentifier,
            UnknownIdentifier,
            BadResponseAuthenticator,
            MissingMessageAuthenticator,
            BadMessageAuthenticator,
            UnexpectedCode
        ]
    );
    let s = h.client.stats();
    assert_eq!(
        (
            s.dropped_wrong_source,
            s.dropped_malformed,
            s.dropped_unknown_identifier,
            s.dropped_bad_authenticator,
            s.dropped_missing_message_authenticator,
            s.dropped_bad_message_authenticator,
            s.dropped_unexpected_code
        ),
        (2, 1, 2, 1, 1, 1, 1)
    );
    assert_eq!((s.dropped(), s.replies), (9, 0));
    assert_eq!(
        h.client.in_flight(),
        1,
        "the request still waits for its real answer"
    );

    h.deliver(&sent, &good);
    assert_eq!(replies(&h.events()), [(id, Code::AccessAccept)]);
    h.deliver(&sent, &good);
    assert_eq!(
        dropped(&mut h),
        [UnknownIdentifier],
        "a duplicate answer is not believed twice"
    );
}

#[test]
fn old_servers_may_omit_message_authenticator_when_allowed() {
    let mut cfg = config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]);
    cfg.require_message_authenticator = false;
    let mut h = Harness::new(cfg);
    let id = h.login("alice");
    let sent = h.transmit().pop().unwrap();
    let reply = answer(
        &sent,
        Reply {
            code: Code::AccessReject,
            message_authenticator: false,
            ..Reply::default()
        },
    );
    h.deliver(&sent, &reply);
    assert_eq!(replies(&h.events()), [(id, Code::AccessReject)]);
}

#[test]
fn access_request_is_signed_and_hides_the_password() {
    let mut h = Harness::new(config(vec![server("[2001:db8::1]:1812", Purpose::Auth, 1)]));
    h.request(
        Purpose::Auth,
        Code::AccessRequest,
        radius::login::pap("alice", b"s3cr3t"),
    );
    let sent = h.transmit().pop().unwrap();
    assert_eq!(sent.to, addr("[2001:db8::1]:1812"));
    let packet = sent.packet();
    assert_eq!(
        packet.attributes().next().unwrap().typ,
        80,
        "Message-Authenticator first"
    );
    assert_eq!(verify_request(&packet, SECRET, true), Ok(()));
    let attrs = sent.attributes();
    let hidden = attrs.bytes(attr::USER_PASSWORD).unwrap();
    assert_ne!(hidden, b"s3cr3t");
    assert_eq!(
        unhide_password(hidden, SECRET, &sent.authenticator()).unwrap(),
        b"s3cr3t"
    );
    assert_eq!(attrs.text(attr::USER_NAME).as_deref(), Some("alice"));
}

#[test]
fn mppe_keys_and_ms_chap2_success_arrive_decrypted() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    let id = h.request(
        Purpose::Auth,
        Code::AccessRequest,
        radius::login::ms_chap_v2("alice", 1, &[2; 16], &[3; 16], &[4; 24]),
    );
    let sent = h.transmit().pop().unwrap();
    let auth = sent.authenticator();
    let send_key = salt_encrypt(&[0x5e; 16], SECRET, &auth, [0x80, 1]).unwrap();
    let recv_key = salt_encrypt(&[0x4e; 16], SECRET, &auth, [0x80, 2]).unwrap();
    let success = b"\x01S=407A5589115FD0D6209F510FE9C04566932CDA56";
    let reply_attrs = [
        Attribute::octets(attr::MS_CHAP2_SUCCESS, success),
        Attribute::octets(attr::MS_MPPE_SEND_KEY, &send_key),
        Attribute::octets(attr::MS_MPPE_RECV_KEY, &recv_key),
        Attribute::integer(attr::MS_MPPE_ENCRYPTION_POLICY, 2),
        Attribute::integer(attr::SESSION_TIMEOUT, 3600),
        Attribute::octets(attr::CLASS, b"billing-7"),
        Attribute::octets(AttrType::vendor(9, 1), b"cisco-avpair"),
        Attribute::octets(AttrType::standard(241), &[1, 2]),
    ];
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                attributes: &reply_attrs,
                ..Reply::default()
            },
        ),
    );
    let events = h.events();
    let Some(Event::Reply {
        id: got,
        code,
        attributes,
    }) = events.first()
    else {
        panic!("no reply: {events:?}");
    };
    assert_eq!((*got, *code), (id, Code::AccessAccept));
    assert_eq!(attributes.mppe_send_key(), Some(&[0x5e; 16][..]));
    assert_eq!(attributes.mppe_recv_key(), Some(&[0x4e; 16][..]));
    let s = attributes.ms_chap2_success().unwrap();
    assert_eq!((s.ident, s.message), (1, &success[1..]));
    assert_eq!(attributes.mppe_encryption_policy(), Some(2));
    assert_eq!(attributes.session_timeout(), Some(3600));
    assert_eq!(attributes.classes().collect::<Vec<_>>(), [b"billing-7"]);
    assert!(
        !format!("{attributes:?}").contains("5e5e"),
        "keys never print"
    );
}

#[test]
fn ipv4_mapped_sources_match_ipv4_servers() {
    let mut h = Harness::new(config(vec![server("127.0.0.1:1812", Purpose::Auth, 1)]));
    let id = h.login("alice");
    let sent = h.transmit().pop().unwrap();
    h.client
        .handle_datagram(h.now, 0, addr("[::ffff:127.0.0.1]:1812"), &accept(&sent));
    assert_eq!(replies(&h.events()), [(id, Code::AccessAccept)]);
}

#[test]
fn ms_chap_v1_keys_arrive_decrypted() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    h.request(
        Purpose::Auth,
        Code::AccessRequest,
        radius::login::ms_chap_v1("bob", 1, &[2; 8], &[3; 24]),
    );
    let sent = h.transmit().pop().unwrap();
    let mut keys = [0u8; 32];
    keys[..8].fill(0x11);
    keys[8..24].fill(0x22);
    keys[23] = 0;
    let hidden = hide_password(&keys, SECRET, &sent.authenticator());
    let reply_attrs = [Attribute::octets(attr::MS_CHAP_MPPE_KEYS, &hidden)];
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                attributes: &reply_attrs,
                ..Reply::default()
            },
        ),
    );
    let Some(Event::Reply { attributes, .. }) = h.events().pop() else {
        panic!("no reply");
    };
    let mut nt = [0x22; 16];
    nt[15] = 0;
    assert_eq!(attributes.ms_chap_mppe_keys(), Some(([0x11; 8], nt)));
}

#[test]
fn an_undecryptable_key_is_left_out_and_the_reply_still_delivered() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    h.login("alice");
    let sent = h.transmit().pop().unwrap();
    let reply_attrs = [
        Attribute::octets(attr::MS_MPPE_SEND_KEY, &[0x80, 1, 2, 3]),
        Attribute::integer(attr::SESSION_TIMEOUT, 60),
    ];
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                attributes: &reply_attrs,
                ..Reply::default()
            },
        ),
    );
    let Some(Event::Reply { attributes, .. }) = h.events().pop() else {
        panic!("no reply");
    };
    assert_eq!(attributes.mppe_send_key(), None);
    assert_eq!(attributes.session_timeout(), Some(60));
}

#[test]
fn tagged_tunnel_password_keeps_its_tag() {
    let mut h = Harness::new(config(vec![server("192.0.2.1:1812", Purpose::Auth, 1)]));
    h.login("lac");
    let sent = h.transmit().pop().unwrap();
    let mut value = vec![1];
    value.extend(salt_encrypt(b"tunnel-secret", SECRET, &sent.authenticator(), [0x81, 9]).unwrap());
    let tunnel_password = AttrType::standard(69);
    let reply_attrs = [Attribute::octets(tunnel_password, &value)];
    h.deliver(
        &sent,
        &answer(
            &sent,
            Reply {
                attributes: &reply_attrs,
                ..Reply::default()
            },
        ),
    );
    let Some(Event::Reply { attributes, .. }) = h.events().pop() else {
        panic!("no reply");
    };
    assert_eq!(
        attributes.bytes(tunnel_password),
        Some(&b"\x01tunnel-secret"[..])
    );
}
