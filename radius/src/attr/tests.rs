use std::net::{Ipv4Addr, Ipv6Addr};

use super::*;
use crate::dict::{Dictionary, Encrypt, Kind};

#[test]
fn every_named_constant_is_in_the_dictionary_with_its_kind() {
    let dict = Dictionary::builtin();
    let cases = [
        (USER_NAME, "User-Name", Kind::String),
        (USER_PASSWORD, "User-Password", Kind::String),
        (FRAMED_IP_ADDRESS, "Framed-IP-Address", Kind::IpAddr),
        (ACCT_DELAY_TIME, "Acct-Delay-Time", Kind::Integer),
        (EVENT_TIMESTAMP, "Event-Timestamp", Kind::Date),
        (TUNNEL_TYPE, "Tunnel-Type", Kind::Integer),
        (NAS_IPV6_ADDRESS, "NAS-IPv6-Address", Kind::Ipv6Addr),
        (FRAMED_IPV6_PREFIX, "Framed-IPv6-Prefix", Kind::Ipv6Prefix),
        (ERROR_CAUSE, "Error-Cause", Kind::Integer),
        (MS_CHAP2_SUCCESS, "MS-CHAP2-Success", Kind::Octets),
        (MS_CHAP_ERROR, "MS-CHAP-Error", Kind::String),
        (MS_MPPE_RECV_KEY, "MS-MPPE-Recv-Key", Kind::Octets),
        (
            MS_SECONDARY_NBNS_SERVER,
            "MS-Secondary-NBNS-Server",
            Kind::IpAddr,
        ),
    ];
    for (typ, name, kind) in cases {
        let def = dict
            .attribute(typ)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!((def.name.as_str(), def.kind), (name, kind));
    }
    let all = [
        USER_NAME,
        USER_PASSWORD,
        CHAP_PASSWORD,
        NAS_IP_ADDRESS,
        NAS_PORT,
        SERVICE_TYPE,
        FRAMED_PROTOCOL,
        FRAMED_IP_ADDRESS,
        FRAMED_MTU,
        REPLY_MESSAGE,
        FRAMED_ROUTE,
        STATE,
        CLASS,
        SESSION_TIMEOUT,
        IDLE_TIMEOUT,
        CALLED_STATION_ID,
        CALLING_STATION_ID,
        NAS_IDENTIFIER,
        PROXY_STATE,
        ACCT_STATUS_TYPE,
        ACCT_DELAY_TIME,
        ACCT_INPUT_OCTETS,
        ACCT_OUTPUT_OCTETS,
        ACCT_SESSION_ID,
        ACCT_AUTHENTIC,
        ACCT_SESSION_TIME,
        ACCT_INPUT_PACKETS,
        ACCT_OUTPUT_PACKETS,
        ACCT_TERMINATE_CAUSE,
        ACCT_INPUT_GIGAWORDS,
        ACCT_OUTPUT_GIGAWORDS,
        EVENT_TIMESTAMP,
        CHAP_CHALLENGE,
        NAS_PORT_TYPE,
        TUNNEL_TYPE,
        TUNNEL_MEDIUM_TYPE,
        TUNNEL_CLIENT_ENDPOINT,
        TUNNEL_SERVER_ENDPOINT,
        MESSAGE_AUTHENTICATOR,
        ACCT_INTERIM_INTERVAL,
        NAS_PORT_ID,
        FRAMED_POOL,
        NAS_IPV6_ADDRESS,
        FRAMED_IPV6_PREFIX,
        ERROR_CAUSE,
        MS_CHAP_RESPONSE,
        MS_CHAP_ERROR,
        MS_MPPE_ENCRYPTION_POLICY,
        MS_MPPE_ENCRYPTION_TYPES,
        MS_CHAP_CHALLENGE,
        MS_CHAP_MPPE_KEYS,
        MS_MPPE_SEND_KEY,
        MS_MPPE_RECV_KEY,
        MS_CHAP2_RESPONSE,
        MS_CHAP2_SUCCESS,
        MS_PRIMARY_DNS_SERVER,
        MS_SECONDARY_DNS_SERVER,
        MS_PRIMARY_NBNS_SERVER,
        MS_SECONDARY_NBNS_SERVER,
    ];
    for typ in all {
        assert!(
            dict.attribute(typ).is_some(),
            "{typ:?} not in the dictionary"
        );
    }
    assert_eq!(
        dict.attribute(MS_MPPE_SEND_KEY).unwrap().encrypt,
        Encrypt::Salt
    );
    assert_eq!(
        dict.attribute(USER_PASSWORD).unwrap().encrypt,
        Encrypt::UserPassword
    );
    assert!(dict.attribute(TUNNEL_CLIENT_ENDPOINT).unwrap().tagged);
}

#[test]
fn value_constants_match_the_dictionary() {
    let dict = Dictionary::builtin();
    let cases = [
        (SERVICE_TYPE, "Framed-User", value::SERVICE_TYPE_FRAMED),
        (FRAMED_PROTOCOL, "PPP", value::FRAMED_PROTOCOL_PPP),
        (NAS_PORT_TYPE, "Virtual", value::NAS_PORT_TYPE_VIRTUAL),
        (TUNNEL_TYPE, "PPTP", value::TUNNEL_TYPE_PPTP),
        (TUNNEL_TYPE, "L2TP", value::TUNNEL_TYPE_L2TP),
        (TUNNEL_MEDIUM_TYPE, "IPv4", value::TUNNEL_MEDIUM_IPV4),
        (TUNNEL_MEDIUM_TYPE, "IPv6", value::TUNNEL_MEDIUM_IPV6),
        (ACCT_STATUS_TYPE, "Start", value::ACCT_STATUS_START),
        (ACCT_STATUS_TYPE, "Stop", value::ACCT_STATUS_STOP),
        (
            ACCT_STATUS_TYPE,
            "Interim-Update",
            value::ACCT_STATUS_INTERIM_UPDATE,
        ),
        (
            ACCT_STATUS_TYPE,
            "Accounting-On",
            value::ACCT_STATUS_ACCOUNTING_ON,
        ),
        (
            ACCT_STATUS_TYPE,
            "Accounting-Off",
            value::ACCT_STATUS_ACCOUNTING_OFF,
        ),
        (ACCT_AUTHENTIC, "RADIUS", value::ACCT_AUTHENTIC_RADIUS),
        (ACCT_AUTHENTIC, "Local", value::ACCT_AUTHENTIC_LOCAL),
        (
            ERROR_CAUSE,
            "Unsupported-Attribute",
            value::ERROR_CAUSE_UNSUPPORTED_ATTRIBUTE,
        ),
        (
            ERROR_CAUSE,
            "Session-Context-Not-Found",
            value::ERROR_CAUSE_SESSION_CONTEXT_NOT_FOUND,
        ),
    ];
    for (typ, name, number) in cases {
        assert_eq!(dict.value(typ, name), Some(number), "{name}");
    }
    for cause in value::TerminateCause::ALL {
        assert!(
            dict.value_name(ACCT_TERMINATE_CAUSE, cause.number())
                .is_some(),
            "{cause:?}"
        );
    }
    assert_eq!(
        dict.value_name(ACCT_TERMINATE_CAUSE, 6),
        Some("Admin-Reset")
    );
}

#[test]
fn typed_reads_of_reply_attributes() {
    let attrs = Attributes::new()
        .with(Attribute::ipv4(
            FRAMED_IP_ADDRESS,
            Ipv4Addr::new(10, 0, 0, 7),
        ))
        .with(Attribute::integer(SESSION_TIMEOUT, 3600))
        .with(Attribute::integer(IDLE_TIMEOUT, 600))
        .with(Attribute::integer(ACCT_INTERIM_INTERVAL, 300))
        .with(Attribute::integer(FRAMED_MTU, 1400))
        .with(Attribute::string(FRAMED_POOL, "gold"))
        .with(Attribute::string(FRAMED_ROUTE, "192.168.5.0/24 0.0.0.0 1"))
        .with(Attribute::string(FRAMED_ROUTE, "192.168.6.0/24"))
        .with(Attribute::octets(CLASS, b"c1"))
        .with(Attribute::octets(CLASS, b"c2"))
        .with(Attribute::string(REPLY_MESSAGE, "hello"))
        .with(Attribute::string(REPLY_MESSAGE, "world"))
        .with(Attribute::octets(MS_CHAP2_SUCCESS, b"\x05S=0123"))
        .with(Attribute::ipv4(
            MS_PRIMARY_DNS_SERVER,
            Ipv4Addr::new(10, 0, 0, 53),
        ))
        .with(Attribute::ipv4(
            MS_SECONDARY_NBNS_SERVER,
            Ipv4Addr::new(10, 0, 0, 137),
        ))
        .with(Attribute::octets(MS_CHAP_MPPE_KEYS, &[1; 24]))
        .with(Attribute::ipv6_prefix(
            FRAMED_IPV6_PREFIX,
            "2001:db8:1::".parse().unwrap(),
            48,
        ));
    assert_eq!(
        attrs.framed_ip_address(),
        Some(FramedIp::Address(Ipv4Addr::new(10, 0, 0, 7)))
    );
    assert_eq!(attrs.session_timeout(), Some(3600));
    assert_eq!(attrs.idle_timeout(), Some(600));
    assert_eq!(attrs.acct_interim_interval(), Some(300));
    assert_eq!(attrs.framed_mtu(), Some(1400));
    assert_eq!(attrs.framed_pool().as_deref(), Some("gold"));
    assert_eq!(
        attrs.framed_routes(),
        ["192.168.5.0/24 0.0.0.0 1", "192.168.6.0/24"]
    );
    assert_eq!(attrs.classes().collect::<Vec<_>>(), [b"c1", b"c2"]);
    assert_eq!(attrs.reply_message().as_deref(), Some("hello\nworld"));
    let success = attrs.ms_chap2_success().unwrap();
    assert_eq!((success.ident, success.message), (5, &b"S=0123"[..]));
    assert_eq!(attrs.ms_chap_error(), None);
    assert_eq!(
        attrs.dns_servers(),
        [Some(Ipv4Addr::new(10, 0, 0, 53)), None]
    );
    assert_eq!(
        attrs.nbns_servers(),
        [None, Some(Ipv4Addr::new(10, 0, 0, 137))]
    );
    assert_eq!(attrs.ms_chap_mppe_keys(), Some(([1; 8], [1; 16])));
    let prefix: Ipv6Addr = "2001:db8:1::".parse().unwrap();
    assert_eq!(attrs.ipv6_prefix(FRAMED_IPV6_PREFIX), Some((prefix, 48)));
    assert_eq!(attrs.bytes(FRAMED_IPV6_PREFIX).unwrap().len(), 2 + 6);
}

#[test]
fn framed_ip_special_values_follow_rfc2865() {
    let with = |a| Attributes::new().with(Attribute::ipv4(FRAMED_IP_ADDRESS, a));
    assert_eq!(
        with(Ipv4Addr::new(255, 255, 255, 254)).framed_ip_address(),
        Some(FramedIp::NasAssigns)
    );
    assert_eq!(
        with(Ipv4Addr::BROADCAST).framed_ip_address(),
        Some(FramedIp::UserChooses)
    );
    let short = Attributes::new().with(Attribute::octets(FRAMED_IP_ADDRESS, &[1, 2, 3]));
    assert_eq!(short.framed_ip_address(), None);
    assert_eq!(short.integer(SESSION_TIMEOUT), None);
}

#[test]
fn printing_uses_the_dictionary_and_hides_secrets() {
    let attrs = Attributes::new()
        .with(Attribute::string(USER_NAME, "bob"))
        .with(Attribute::string(USER_PASSWORD, "hunter2"))
        .with(Attribute::integer(ACCT_TERMINATE_CAUSE, 6))
        .with(Attribute::tagged_integer(
            TUNNEL_TYPE,
            1,
            value::TUNNEL_TYPE_L2TP,
        ))
        .with(Attribute::tagged_string(
            TUNNEL_CLIENT_ENDPOINT,
            0,
            "192.0.2.1",
        ))
        .with(Attribute::ipv4(
            FRAMED_IP_ADDRESS,
            Ipv4Addr::new(10, 1, 2, 3),
        ))
        .with(Attribute::octets(MS_MPPE_SEND_KEY, &[0x42; 16]))
        .with(Attribute::octets(AttrType::standard(200), &[0xde, 0xad]))
        .with(Attribute::octets(AttrType::vendor(9, 1), b"x"));
    let text = attrs.to_string();
    assert_eq!(
        text,
        "User-Name = \"bob\", User-Password = <hidden>, Acct-Terminate-Cause = Admin-Reset, \
         Tunnel-Type = :1 L2TP, Tunnel-Client-Endpoint = \"192.0.2.1\", \
         Framed-IP-Address = 10.1.2.3, MS-MPPE-Send-Key = <hidden>, Attr-200 = 0xdead, \
         Vendor-9-Attr-1 = 0x78"
    );
    let debug = format!("{attrs:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("4242"),
        "{debug}"
    );
}
