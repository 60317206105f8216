//! Control messages: a hand-built xl2tpd SCCRQ, required AVPs, ZLB and the M-bit rule.

use l2tpd::avp::{attr, Avp, AvpError, AvpValue, CallErrors, ResultCode};
use l2tpd::header::Header;
use l2tpd::message::{ControlMessage, MessageError, MessageType, Teardown, TeardownScope};

/// SCCRQ the way xl2tpd sends it: tunnel 0, Ns 0, Nr 0.
fn xl2tpd_sccrq() -> Vec<u8> {
    let avps: &[&[u8]] = &[
        &[0x80, 8, 0, 0, 0, 0, 0, 1],                  // Message Type: SCCRQ
        &[0x80, 8, 0, 0, 0, 2, 1, 0],                  // Protocol Version 1.0
        &[0x80, 10, 0, 0, 0, 3, 0, 0, 0, 3],           // Framing Capabilities: sync + async
        &[0x80, 10, 0, 0, 0, 4, 0, 0, 0, 3],           // Bearer Capabilities: digital + analog
        &[0x00, 8, 0, 0, 0, 6, 0x06, 0x90],            // Firmware Revision (M=0)
        &[0x80, 9, 0, 0, 0, 7, b'l', b'a', b'c'],      // Host Name "lac"
        &[0x00, 19, 0, 0, 0, 8],                       // Vendor Name (M=0) ...
        b"xelerance.com",                              // ... its value
        &[0x80, 8, 0, 0, 0, 9, 0x5a, 0x17],            // Assigned Tunnel ID
        &[0x80, 8, 0, 0, 0, 10, 0, 4],                 // Receive Window Size
        &[0x80, 22, 0, 0, 0, 11, 1, 2, 3, 4, 5, 6, 7], // Challenge ...
        &[8, 9, 10, 11, 12, 13, 14, 15, 16],           // ... 16 bytes
    ];
    let body = avps.concat();
    let mut out = vec![0xc8, 0x02];
    out.extend_from_slice(&(12 + body.len() as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&body);
    out
}

#[test]
fn parses_an_xl2tpd_sccrq_and_re_emits_it_identically() {
    let datagram = xl2tpd_sccrq();
    let (header, payload) = Header::parse(&datagram).unwrap();
    assert!(header.control);
    assert_eq!((header.tunnel_id, header.session_id), (0, 0));
    let msg = ControlMessage::parse(payload, None).unwrap();
    assert_eq!(msg.kind, MessageType::Sccrq);
    assert_eq!(msg.protocol_version(), Some((1, 0)));
    assert_eq!(msg.framing_capabilities(), Some(3));
    assert_eq!(msg.host_name(), Some(&b"lac"[..]));
    assert_eq!(msg.vendor_name(), Some(&b"xelerance.com"[..]));
    assert_eq!(msg.assigned_tunnel_id(), Some(0x5a17));
    assert_eq!(msg.receive_window(), Some(4));
    assert_eq!(msg.challenge().map(<[u8]>::len), Some(16));
    assert_eq!(msg.missing_required(), None);
    assert_eq!(msg.to_datagram(&header, None, &[]).unwrap(), datagram);
}

#[test]
fn builder_matches_the_hand_built_sccrq() {
    let msg = ControlMessage::new(MessageType::Sccrq)
        .with(AvpValue::ProtocolVersion {
            version: 1,
            revision: 0,
        })
        .with(AvpValue::FramingCapabilities(3))
        .with(AvpValue::BearerCapabilities(3))
        .with(AvpValue::FirmwareRevision(0x0690))
        .with(AvpValue::HostName(b"lac".to_vec()))
        .with(AvpValue::VendorName(b"xelerance.com".to_vec()))
        .with(AvpValue::AssignedTunnelId(0x5a17))
        .with(AvpValue::ReceiveWindowSize(4))
        .with(AvpValue::Challenge((1..=16).collect()));
    let datagram = msg
        .to_datagram(&Header::control(0, 0, 0, 0), None, &[])
        .unwrap();
    assert_eq!(datagram, xl2tpd_sccrq());
}

#[test]
fn missing_required_avps() {
    let sccrq = ControlMessage::new(MessageType::Sccrq)
        .with(AvpValue::ProtocolVersion {
            version: 1,
            revision: 0,
        })
        .with(AvpValue::FramingCapabilities(3))
        .with(AvpValue::AssignedTunnelId(1));
    assert_eq!(sccrq.missing_required(), Some(attr::HOST_NAME));

    let icrq = ControlMessage::new(MessageType::Icrq).with(AvpValue::AssignedSessionId(1));
    assert_eq!(icrq.missing_required(), Some(attr::CALL_SERIAL_NUMBER));

    let stop = ControlMessage::new(MessageType::StopCcn).with(AvpValue::AssignedTunnelId(1));
    assert_eq!(stop.missing_required(), Some(attr::RESULT_CODE));

    let rc = AvpValue::ResultCode(ResultCode {
        result: 1,
        error: None,
        message: vec![],
    });
    let complete = [
        ControlMessage::new(MessageType::Hello),
        ControlMessage::new(MessageType::Scccn),
        ControlMessage::new(MessageType::Icrp).with(AvpValue::AssignedSessionId(2)),
        ControlMessage::new(MessageType::Iccn)
            .with(AvpValue::TxConnectSpeed(1))
            .with(AvpValue::FramingType(1)),
        ControlMessage::new(MessageType::Cdn)
            .with(rc.clone())
            .with(AvpValue::AssignedSessionId(2)),
        ControlMessage::new(MessageType::StopCcn)
            .with(rc)
            .with(AvpValue::AssignedTunnelId(2)),
        ControlMessage::new(MessageType::Wen).with(AvpValue::CallErrors(CallErrors::default())),
        ControlMessage::new(MessageType::Sli).with(AvpValue::Accm {
            send: 0,
            receive: 0,
        }),
    ];
    for msg in complete {
        assert_eq!(msg.missing_required(), None, "{:?}", msg.kind);
    }
    assert_eq!(
        ControlMessage::new(MessageType::Ocrq).missing_required(),
        Some(attr::ASSIGNED_SESSION_ID)
    );
}

#[test]
fn zlb_is_not_a_message() {
    let zlb = Header::control(7, 0, 3, 4);
    let mut buf = [0u8; 12];
    zlb.emit(0, &mut buf).unwrap();
    let (_, payload) = Header::parse(&buf).unwrap();
    assert!(payload.is_empty());
    assert_eq!(
        ControlMessage::parse(payload, None),
        Err(MessageError::Empty)
    );
}

fn body(kind: u16, extra: &[u8]) -> Vec<u8> {
    let mut out = vec![0x80, 8, 0, 0, 0, 0];
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(extra);
    out
}

#[test]
fn unknown_mandatory_avp_tears_down_tunnel_or_session() {
    let unknown = [0x80, 7, 0x01, 0x37, 0, 5, 0xaa];
    let err = ControlMessage::parse(&body(1, &unknown), None).unwrap_err();
    assert_eq!(
        err,
        MessageError::UnknownMandatoryAvp {
            kind: MessageType::Sccrq,
            vendor_id: 311,
            attribute: 5
        }
    );
    assert_eq!(
        err.teardown(),
        Some(Teardown {
            scope: TeardownScope::Tunnel,
            result: 2,
            error: 8
        })
    );
    let err = ControlMessage::parse(&body(10, &unknown), None).unwrap_err();
    assert_eq!(
        err.teardown(),
        Some(Teardown {
            scope: TeardownScope::Session,
            result: 2,
            error: 8
        })
    );
}

#[test]
fn unknown_optional_avp_is_kept() {
    let msg = ControlMessage::parse(&body(6, &[0x00, 7, 0, 0, 0, 99, 1]), None).unwrap();
    assert_eq!(msg.kind, MessageType::Hello);
    assert_eq!(
        msg.avps,
        vec![Avp {
            mandatory: false,
            hidden: false,
            value: AvpValue::Unknown {
                vendor_id: 0,
                attribute: 99,
                value: vec![1]
            }
        }]
    );
}

#[test]
fn message_type_errors() {
    let host = [0x80, 7, 0, 0, 0, 7, b'h'];
    assert_eq!(
        ControlMessage::parse(&host, None),
        Err(MessageError::FirstNotMessageType)
    );
    let err = ControlMessage::parse(&body(5, &[]), None).unwrap_err();
    assert_eq!(
        err,
        MessageError::UnknownMessageType {
            value: 5,
            mandatory: true
        }
    );
    assert_eq!(err.teardown().map(|t| t.scope), Some(TeardownScope::Tunnel));
    let mut optional = body(99, &[]);
    optional[0] = 0;
    let err = ControlMessage::parse(&optional, None).unwrap_err();
    assert_eq!(err.teardown(), None);
    assert_eq!(
        ControlMessage::parse(&body(1, &[0x80, 7, 0, 0, 0, 9, 1]), None),
        Err(MessageError::Avp(AvpError::WrongLength {
            attribute: attr::ASSIGNED_TUNNEL_ID,
            len: 1
        }))
    );
}

#[test]
fn message_types_map_both_ways() {
    for value in 0..=20 {
        if let Some(kind) = MessageType::from_u16(value) {
            assert_eq!(kind.to_u16(), value);
        }
    }
    assert_eq!(MessageType::from_u16(5), None);
    assert_eq!(MessageType::from_u16(13), None);
    assert!(MessageType::Icrq.is_session_level());
    assert!(!MessageType::Hello.is_session_level());
}

#[test]
fn hidden_avps_in_a_message_round_trip() {
    let secret = b"s3cret";
    let msg = ControlMessage::new(MessageType::Sccrp)
        .with(AvpValue::RandomVector(vec![0x42; 16]))
        .with_avp(Avp::new(AvpValue::ChallengeResponse([1; 16])).hide())
        .with_avp(Avp::new(AvpValue::AssignedTunnelId(77)).hide());
    let bytes = msg.to_vec(Some(secret), &[0; 5]).unwrap();
    assert_eq!(ControlMessage::parse(&bytes, Some(secret)).unwrap(), msg);
    assert_eq!(
        ControlMessage::parse(&bytes, None),
        Err(MessageError::Avp(AvpError::HiddenWithoutSecret(
            attr::CHALLENGE_RESPONSE
        )))
    );
    assert_eq!(msg.challenge_response(), Some([1; 16]));
}
