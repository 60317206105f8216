use super::*;
use crate::control::message::Message;
use crate::control::msg_conn::EchoRequest;

#[test]
fn byte_by_byte() {
    let bytes = Message::EchoRequest(EchoRequest { identifier: 9 }).to_vec();
    let mut f = Framer::new();
    for (i, b) in bytes.iter().enumerate() {
        let (used, done) = f.push(std::slice::from_ref(b)).unwrap();
        assert_eq!(used, 1);
        assert_eq!(done, i == bytes.len() - 1);
    }
    assert_eq!(f.message(), &bytes[..]);
    f.clear();
    assert!(f.message().is_empty());
}

#[test]
fn two_messages_in_one_chunk() {
    let mut data = Message::EchoRequest(EchoRequest { identifier: 1 }).to_vec();
    data.extend(Message::EchoRequest(EchoRequest { identifier: 2 }).to_vec());
    let mut f = Framer::new();
    assert_eq!(f.push(&data).unwrap(), (16, true));
    f.clear();
    assert_eq!(f.push(&data[16..]).unwrap(), (16, true));
}

#[test]
fn early_rejection() {
    let mut f = Framer::new();
    assert_eq!(f.push(&[0xff, 0xff]), Err(Error::Oversized(0xffff)));
    let mut f = Framer::new();
    assert_eq!(f.push(&[0, 3]), Err(Error::TooShort(3)));
}
