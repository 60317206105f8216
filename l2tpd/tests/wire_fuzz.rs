//! Garbage and mutated datagrams never panic the header, AVP or message decoders.

use l2tpd::avp::{AvpValue, ResultCode};
use l2tpd::header::Header;
use l2tpd::message::{ControlMessage, MessageType};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn decode(datagram: &[u8]) {
    if let Ok((header, payload)) = Header::parse(datagram) {
        if header.control {
            for secret in [None, Some(&b"secret"[..])] {
                if let Ok(msg) = ControlMessage::parse(payload, secret) {
                    let _ = msg.missing_required();
                    let _ = msg.to_vec(secret, &[]);
                }
            }
        }
    }
}

fn seed_message() -> Vec<u8> {
    ControlMessage::new(MessageType::StopCcn)
        .with(AvpValue::AssignedTunnelId(9))
        .with(AvpValue::ResultCode(ResultCode {
            result: 2,
            error: Some(6),
            message: b"going away".to_vec(),
        }))
        .with(AvpValue::RandomVector(vec![3; 16]))
        .with_avp(l2tpd::avp::Avp::new(AvpValue::HostName(b"lns".to_vec())).hide())
        .to_datagram(&Header::control(1, 0, 2, 3), Some(b"secret"), &[1, 2])
        .unwrap()
}

#[test]
fn random_bytes_do_not_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let len = rng.below(80);
        let mut buf: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if len >= 2 && rng.below(2) == 0 {
            buf[0] = 0xc8;
            buf[1] = 0x02;
        }
        decode(&buf);
    }
}

#[test]
fn mutated_messages_do_not_panic() {
    let seed = seed_message();
    let (_, payload) = Header::parse(&seed).unwrap();
    let msg = ControlMessage::parse(payload, Some(b"secret")).unwrap();
    assert_eq!(msg.host_name(), Some(&b"lns"[..]));
    let mut rng = XorShift(42);
    for _ in 0..20_000 {
        let mut buf = seed.clone();
        for _ in 0..=rng.below(4) {
            let at = rng.below(buf.len());
            buf[at] ^= 1 << rng.below(8);
        }
        buf.truncate(rng.below(buf.len() + 1).max(buf.len() - rng.below(4)));
        decode(&buf);
    }
}
