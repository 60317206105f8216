use super::*;

async fn pair() -> (UdpSocket, UdpSocket) {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.writable().await.unwrap(); // try_send needs tokio to have seen the socket writable
    (a, b)
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
    assert_eq!(try_send(&tx, b"hello", to).unwrap(), 5);
    let mut buf = [0u8; 64];
    let (n, from) = recv(&rx, &mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"hello");
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
    try_send(&tx, b"plain", to).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = recv(&rx, &mut buf).await.unwrap();
    assert_eq!((&buf[..n], from.mark), (&b"plain"[..], 0));
    assert_eq!(from.addr, tx.local_addr().unwrap());
}
