//! AVP wire format and typed values.

use l2tpd::avp::{
    attr, attribute_name, parse_all, Avp, AvpError, AvpIter, AvpPacket, AvpValue, CallErrors,
    ResultCode,
};

fn samples() -> Vec<AvpValue> {
    use AvpValue as A;
    vec![
        A::MessageType(1),
        A::ResultCode(ResultCode {
            result: 1,
            error: None,
            message: vec![],
        }),
        A::ResultCode(ResultCode {
            result: 2,
            error: Some(8),
            message: vec![],
        }),
        A::ResultCode(ResultCode {
            result: 2,
            error: Some(6),
            message: b"bye".to_vec(),
        }),
        A::ProtocolVersion {
            version: 1,
            revision: 0,
        },
        A::FramingCapabilities(3),
        A::BearerCapabilities(2),
        A::TieBreaker([1, 2, 3, 4, 5, 6, 7, 8]),
        A::FirmwareRevision(0x0690),
        A::HostName(b"lac".to_vec()),
        A::VendorName(b"xelerance.com".to_vec()),
        A::VendorName(vec![]),
        A::AssignedTunnelId(0xbeef),
        A::ReceiveWindowSize(8),
        A::Challenge(vec![9; 16]),
        A::Q931CauseCode {
            cause: 16,
            message: 2,
            advisory: b"normal".to_vec(),
        },
        A::Q931CauseCode {
            cause: 16,
            message: 2,
            advisory: vec![],
        },
        A::ChallengeResponse([7; 16]),
        A::AssignedSessionId(42),
        A::CallSerialNumber(0xdead_beef),
        A::MinimumBps(9600),
        A::MaximumBps(100_000_000),
        A::BearerType(1),
        A::FramingType(1),
        A::CalledNumber(b"123".to_vec()),
        A::CallingNumber(b"456".to_vec()),
        A::SubAddress(b"7".to_vec()),
        A::TxConnectSpeed(1_000_000),
        A::PhysicalChannelId(4),
        A::InitialReceivedLcpConfreq(vec![1, 4, 5, 0xdc]),
        A::LastSentLcpConfreq(vec![1, 4, 5, 0xdc]),
        A::LastReceivedLcpConfreq(vec![3, 6]),
        A::ProxyAuthenType(2),
        A::ProxyAuthenName(b"alice".to_vec()),
        A::ProxyAuthenChallenge(vec![1; 16]),
        A::ProxyAuthenId(0x17),
        A::ProxyAuthenResponse(vec![2; 16]),
        A::CallErrors(CallErrors {
            crc: 1,
            framing: 2,
            hardware_overruns: 3,
            buffer_overruns: 4,
            timeouts: 5,
            alignment: 6,
        }),
        A::Accm {
            send: 0xffff_ffff,
            receive: 0,
        },
        A::RandomVector(vec![0x55; 16]),
        A::PrivateGroupId(b"group".to_vec()),
        A::RxConnectSpeed(2_000_000),
        A::SequencingRequired,
        A::Unknown {
            vendor_id: 311,
            attribute: 1,
            value: vec![1, 2],
        },
        A::Unknown {
            vendor_id: 0,
            attribute: 99,
            value: vec![],
        },
    ]
}

#[test]
fn every_avp_round_trips() {
    for value in samples() {
        for mandatory in [false, true] {
            let avp = Avp::new(value.clone()).with_mandatory(mandatory);
            let bytes = avp.to_vec_clear().unwrap();
            assert_eq!(bytes.len(), 6 + value.value_bytes().len());
            let raw = AvpPacket::new_checked(&bytes[..]).unwrap();
            assert_eq!(raw.mandatory(), mandatory);
            assert!(!raw.hidden());
            assert_eq!(usize::from(raw.length()), bytes.len());
            assert_eq!(Avp::decode(&raw, None, None).unwrap(), avp, "{value:?}");
        }
    }
}

#[test]
fn fixed_sizes_on_the_wire() {
    let len = |v: AvpValue| Avp::new(v).to_vec_clear().unwrap().len();
    assert_eq!(len(AvpValue::CallErrors(CallErrors::default())), 32);
    assert_eq!(
        len(AvpValue::Accm {
            send: 0,
            receive: 0
        }),
        16
    );
    assert_eq!(len(AvpValue::SequencingRequired), 6);
    assert_eq!(len(AvpValue::ProxyAuthenId(1)), 8);
    assert_eq!(len(AvpValue::TieBreaker([0; 8])), 14);
}

#[test]
fn default_mandatory_bits() {
    assert!(Avp::new(AvpValue::HostName(b"h".to_vec())).mandatory);
    assert!(Avp::new(AvpValue::AssignedTunnelId(1)).mandatory);
    assert!(!Avp::new(AvpValue::VendorName(vec![])).mandatory);
    assert!(!Avp::new(AvpValue::FirmwareRevision(1)).mandatory);
    assert!(!Avp::new(AvpValue::TieBreaker([0; 8])).mandatory);
    assert!(!Avp::new(AvpValue::ProxyAuthenName(vec![])).mandatory);
}

fn raw_avp(flags: u16, vendor: u16, attribute: u16, value: &[u8]) -> Vec<u8> {
    let len = 6 + value.len() as u16;
    let mut out = (flags | len).to_be_bytes().to_vec();
    out.extend_from_slice(&vendor.to_be_bytes());
    out.extend_from_slice(&attribute.to_be_bytes());
    out.extend_from_slice(value);
    out
}

#[test]
fn wrong_lengths_name_the_avp() {
    let cases: &[(u16, usize)] = &[
        (attr::MESSAGE_TYPE, 3),
        (attr::RESULT_CODE, 1),
        (attr::RESULT_CODE, 3),
        (attr::PROTOCOL_VERSION, 1),
        (attr::FRAMING_CAPABILITIES, 2),
        (attr::BEARER_CAPABILITIES, 5),
        (attr::TIE_BREAKER, 7),
        (attr::FIRMWARE_REVISION, 0),
        (attr::HOST_NAME, 0),
        (attr::ASSIGNED_TUNNEL_ID, 4),
        (attr::RECEIVE_WINDOW_SIZE, 1),
        (attr::CHALLENGE, 0),
        (attr::Q931_CAUSE_CODE, 2),
        (attr::CHALLENGE_RESPONSE, 15),
        (attr::ASSIGNED_SESSION_ID, 3),
        (attr::CALL_SERIAL_NUMBER, 2),
        (attr::MINIMUM_BPS, 3),
        (attr::MAXIMUM_BPS, 5),
        (attr::BEARER_TYPE, 0),
        (attr::FRAMING_TYPE, 8),
        (attr::TX_CONNECT_SPEED, 2),
        (attr::PHYSICAL_CHANNEL_ID, 3),
        (attr::PROXY_AUTHEN_TYPE, 1),
        (attr::PROXY_AUTHEN_CHALLENGE, 0),
        (attr::PROXY_AUTHEN_ID, 1),
        (attr::CALL_ERRORS, 24),
        (attr::ACCM, 8),
        (attr::RANDOM_VECTOR, 0),
        (attr::RX_CONNECT_SPEED, 2),
        (attr::SEQUENCING_REQUIRED, 1),
    ];
    for &(attribute, len) in cases {
        let bytes = raw_avp(0x8000, 0, attribute, &vec![0; len]);
        let err = parse_all(&bytes, None).unwrap_err();
        assert_eq!(err, AvpError::WrongLength { attribute, len });
        let name = attribute_name(0, attribute).unwrap();
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn unknown_avps_are_kept_with_their_m_bit() {
    let mut bytes = raw_avp(0x8000, 0, 77, &[1, 2, 3]);
    bytes.extend(raw_avp(0, 9, 1, &[4]));
    let avps = parse_all(&bytes, None).unwrap();
    assert_eq!(
        avps,
        vec![
            Avp {
                mandatory: true,
                hidden: false,
                value: AvpValue::Unknown {
                    vendor_id: 0,
                    attribute: 77,
                    value: vec![1, 2, 3]
                }
            },
            Avp {
                mandatory: false,
                hidden: false,
                value: AvpValue::Unknown {
                    vendor_id: 9,
                    attribute: 1,
                    value: vec![4]
                }
            },
        ]
    );
}

#[test]
fn reserved_bits_make_the_avp_invalid() {
    for bit in [0x0400, 0x0800, 0x1000, 0x2000] {
        let bytes = raw_avp(0x8000 | bit, 0, attr::HOST_NAME, b"h");
        assert_eq!(
            parse_all(&bytes, None),
            Err(AvpError::ReservedBits {
                vendor_id: 0,
                attribute: attr::HOST_NAME
            })
        );
    }
}

#[test]
fn avp_length_errors() {
    let mut bytes = raw_avp(0x8000, 0, attr::HOST_NAME, b"host");
    bytes[1] = 11;
    assert_eq!(parse_all(&bytes, None), Err(AvpError::BadLength(11)));
    bytes[1] = 5;
    assert_eq!(parse_all(&bytes, None), Err(AvpError::BadLength(5)));
    assert_eq!(parse_all(&bytes[..5], None), Err(AvpError::Truncated));
    let good = raw_avp(0x8000, 0, attr::HOST_NAME, b"host");
    let mut two = good.clone();
    two.extend_from_slice(&good[..8]);
    assert_eq!(parse_all(&two, None), Err(AvpError::BadLength(10)));
}

#[test]
fn iterator_stops_after_an_error() {
    let mut bytes = raw_avp(0x8000, 0, attr::ASSIGNED_TUNNEL_ID, &[0, 1]);
    bytes.extend_from_slice(&[0xff; 7]);
    let items: Vec<_> = AvpIter::new(&bytes).collect();
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(items[1].is_err());
}

#[test]
fn over_long_values_are_not_encoded() {
    assert!(Avp::new(AvpValue::HostName(vec![b'a'; 1017]))
        .to_vec_clear()
        .is_some());
    assert!(Avp::new(AvpValue::HostName(vec![b'a'; 1018]))
        .to_vec_clear()
        .is_none());
}
