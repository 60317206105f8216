use super::*;

fn samples() -> Vec<Message> {
    vec![
        Message::Sccrq(Sccrq {
            protocol_version: 0x0100,
            framing_capabilities: 3,
            bearer_capabilities: 3,
            max_channels: 0,
            firmware_revision: 0x1234,
            hostname: "client.example".into(),
            vendor: "rasd".into(),
        }),
        Message::Sccrp(Sccrp {
            protocol_version: 0x0100,
            result_code: 1,
            error_code: 0,
            framing_capabilities: 1,
            bearer_capabilities: 2,
            max_channels: 4,
            firmware_revision: 1,
            hostname: "h".repeat(64),
            vendor: "v".into(),
        }),
        Message::StopCcrq(StopCcrq { reason: 3 }),
        Message::StopCcrp(StopCcrp {
            result_code: 1,
            error_code: 0,
        }),
        Message::EchoRequest(EchoRequest {
            identifier: 0xdead_beef,
        }),
        Message::EchoReply(EchoReply {
            identifier: 7,
            result_code: 1,
            error_code: 0,
        }),
        Message::Ocrq(Ocrq {
            call_id: 0x4242,
            call_serial: 9,
            min_bps: 300,
            max_bps: 100_000_000,
            bearer_type: 3,
            framing_type: 3,
            recv_window: 64,
            processing_delay: 0,
            phone_number: "5551234".into(),
            subaddress: "sub".into(),
        }),
        Message::Ocrp(Ocrp {
            call_id: 1,
            peer_call_id: 0x4242,
            result_code: 1,
            error_code: 0,
            cause_code: 0,
            connect_speed: 10_000_000,
            recv_window: 64,
            processing_delay: 0,
            physical_channel_id: 0x0102_0304,
        }),
        Message::Icrq(Icrq {
            call_id: 5,
            call_serial: 6,
            bearer_type: 1,
            physical_channel_id: 7,
            dialed_number: "123".into(),
            dialing_number: "456".into(),
            subaddress: String::new(),
        }),
        Message::Icrp(Icrp {
            call_id: 8,
            peer_call_id: 5,
            result_code: 1,
            error_code: 0,
            recv_window: 16,
            processing_delay: 2,
        }),
        Message::Iccn(Iccn {
            peer_call_id: 8,
            connect_speed: 64_000,
            recv_window: 32,
            processing_delay: 1,
            framing_type: 1,
        }),
        Message::Ccrq(Ccrq { call_id: 0x4242 }),
        Message::Cdn(Cdn {
            call_id: 1,
            result_code: 4,
            error_code: 0,
            cause_code: 0,
            call_statistics: "bye".into(),
        }),
        Message::Wen(Wen {
            peer_call_id: 1,
            crc_errors: 1,
            framing_errors: 2,
            hardware_overruns: 3,
            buffer_overruns: 4,
            timeout_errors: 5,
            alignment_errors: 6,
        }),
        Message::Sli(Sli {
            peer_call_id: 1,
            send_accm: 0xffff_ffff,
            recv_accm: 0,
        }),
    ]
}

#[test]
fn round_trip_every_message() {
    let all = samples();
    assert_eq!(all.len(), 15);
    for msg in all {
        let bytes = msg.to_vec();
        assert_eq!(bytes.len(), msg.kind().fixed_len(), "{:?}", msg.kind());
        assert_eq!(&bytes[..2], &(bytes.len() as u16).to_be_bytes());
        assert_eq!(&bytes[4..8], &MAGIC_COOKIE.to_be_bytes());
        assert_eq!(Message::from_bytes(&bytes), Ok(msg.clone()));
        // Every strict prefix is truncated.
        assert_eq!(
            Message::from_bytes(&bytes[..bytes.len() - 1]),
            Err(Error::Truncated)
        );
    }
}

#[test]
fn bad_inputs() {
    let good = Message::EchoRequest(EchoRequest { identifier: 1 }).to_vec();
    assert_eq!(Message::from_bytes(&good[..3]), Err(Error::Truncated));

    let mut magic = good.clone();
    magic[4] ^= 0xff;
    assert!(matches!(
        Message::from_bytes(&magic),
        Err(Error::BadMagic(_))
    ));

    let mut kind = good.clone();
    kind[9] = 99;
    assert_eq!(Message::from_bytes(&kind), Err(Error::UnknownType(99)));

    let mut mgmt = good.clone();
    mgmt[3] = 2;
    assert_eq!(Message::from_bytes(&mgmt), Err(Error::NotControl(2)));

    let mut len = good.clone();
    len.extend_from_slice(&[0; 4]);
    len[1] = 20;
    assert_eq!(
        Message::from_bytes(&len),
        Err(Error::WrongLength(MessageType::EchoRequest, 20))
    );

    let mut big = good.clone();
    big[0] = 0x10;
    assert_eq!(Message::from_bytes(&big), Err(Error::Oversized(0x1010)));

    let mut small = good;
    small[1] = 4;
    assert_eq!(Message::from_bytes(&small), Err(Error::TooShort(4)));
}

#[test]
fn emit_into_small_buffer() {
    let msg = Message::Ccrq(Ccrq { call_id: 1 });
    assert_eq!(msg.emit(&mut [0; 15]), None);
    assert_eq!(msg.emit(&mut [0; 64]), Some(16));
}

#[test]
fn long_strings_are_truncated() {
    let msg = Message::Ocrq(Ocrq {
        phone_number: "9".repeat(100),
        ..Ocrq::default()
    });
    let Ok(Message::Ocrq(back)) = Message::from_bytes(&msg.to_vec()) else {
        panic!("not an OCRQ")
    };
    assert_eq!(back.phone_number.len(), 64);
}
