use super::*;

#[test]
fn header_checks() {
    assert!(parse(&[1, 2, 0]).is_err());
    assert!(parse(&[1, 2, 0, 3]).is_err());
    assert!(parse(&[1, 2, 0, 6, 0]).is_err());
    let p = parse(&[1, 2, 0, 5, 9, 0xee]).unwrap();
    assert_eq!(
        p,
        Packet {
            code: 1,
            id: 2,
            body: &[9]
        }
    );
}

#[test]
fn pap_round_trip() {
    let pkt = pap_request(7, b"alice", b"secret");
    let p = parse(&pkt).unwrap();
    assert_eq!((p.code, p.id), (PAP_REQUEST, 7));
    assert_eq!(
        pap_request_fields(p.body).unwrap(),
        (&b"alice"[..], &b"secret"[..])
    );
    assert!(pap_request_fields(&[5, b'a']).is_err());
    assert!(pap_request_fields(&[1, b'a']).is_err());
    let ack = pap_reply(PAP_ACK, 7, "ok");
    assert_eq!(ack, [2, 7, 0, 7, 2, b'o', b'k']);
    assert_eq!(pap_reply_message(parse(&ack).unwrap().body), b"ok");
    assert_eq!(pap_reply_message(&[]), b"");
    assert_eq!(pap_reply_message(&[9, b'x']), b"x");
}

#[test]
fn chap_round_trip() {
    let pkt = chap_value(CHAP_CHALLENGE, 1, &[0xaa; 16], b"rasd");
    assert_eq!(pkt.len(), 4 + 1 + 16 + 4);
    let p = parse(&pkt).unwrap();
    assert_eq!(
        chap_value_fields(p.body).unwrap(),
        (&[0xaa; 16][..], &b"rasd"[..])
    );
    assert!(chap_value_fields(&[0]).is_err());
    assert!(chap_value_fields(&[17, 1, 2]).is_err());
    assert!(chap_value_fields(&[]).is_err());
    let long = vec![b'x'; 5000];
    let f = chap_message(CHAP_FAILURE, 3, &long);
    assert_eq!(parse(&f).unwrap().body.len(), 1000);
    let big = pap_request(1, &long, &long);
    assert_eq!(
        pap_request_fields(parse(&big).unwrap().body)
            .unwrap()
            .0
            .len(),
        255
    );
}
