use super::*;
use crate::priority_send::Traffic;

async fn pair() -> (UdpSocket, UdpSocket) {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.writable().await.unwrap(); // try_send needs tokio to have seen the socket writable
    (a, b)
}

/// Reads one datagram through a batch.
async fn one(rx: &UdpSocket) -> (Vec<u8>, PeerPath) {
    let mut batch = RecvBatch::default();
    assert_eq!(recv_batch(rx, &mut batch).await.unwrap(), 1);
    let (datagram, from) = batch.datagrams().next().unwrap();
    (datagram.unwrap().to_vec(), from)
}

#[tokio::test]
async fn many_datagrams_are_read_at_once_in_order_and_a_long_one_is_said_to_be_cut() {
    let (tx, rx) = pair().await;
    let to = PeerPath::cleartext(rx.local_addr().unwrap());
    let sent: Vec<Vec<u8>> = (0..BATCH + 3).map(|i| vec![i as u8; 10 + i]).collect();
    for d in &sent {
        try_send(&tx, d, to, Traffic::Data).unwrap();
    }
    let long = vec![7u8; SLOT + 100];
    try_send(&tx, &long, to, Traffic::Data).unwrap();
    let mut batch = RecvBatch::default();
    let mut owned = Vec::new();
    while owned.len() < sent.len() + 1 {
        recv_batch(&rx, &mut batch).await.unwrap();
        for (d, from) in batch.datagrams() {
            assert_eq!(from.addr, tx.local_addr().unwrap());
            owned.push(d.map(<[u8]>::to_vec));
        }
    }
    assert_eq!(owned.len(), sent.len() + 1);
    for (i, d) in sent.iter().enumerate() {
        assert_eq!(owned[i].as_ref().unwrap(), d, "datagram {i}");
    }
    assert_eq!(owned[sent.len()], Err(SLOT), "cut at its slot");
}

#[tokio::test]
async fn a_datagram_sent_with_a_mark_is_received_with_it() {
    if unsafe { libc::geteuid() } != 0 {
        return; // setting a mark needs CAP_NET_ADMIN
    }
    let (tx, rx) = pair().await;
    enable_receive_marks(&rx).unwrap();
    let to = PeerPath {
        addr: rx.local_addr().unwrap(),
        mark: 0x2a,
    };
    assert_eq!(try_send(&tx, b"hello", to, Traffic::Control).unwrap(), 5);
    let (datagram, from) = one(&rx).await;
    assert_eq!(datagram, b"hello");
    assert_eq!(from.addr, tx.local_addr().unwrap());
    assert_eq!(
        from.mark, 0x2a,
        "the mark set by SO_MARK came back through SO_RCVMARK"
    );
}

#[tokio::test]
async fn an_unmarked_datagram_has_mark_zero() {
    let (tx, rx) = pair().await;
    enable_receive_marks(&rx).unwrap();
    let to = PeerPath::cleartext(rx.local_addr().unwrap());
    try_send(&tx, b"plain", to, Traffic::Data).unwrap();
    let (datagram, from) = one(&rx).await;
    assert_eq!((&datagram[..], from.mark), (&b"plain"[..], 0));
    assert_eq!(from.addr, tx.local_addr().unwrap());
}
