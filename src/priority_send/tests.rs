use std::os::fd::AsRawFd;

use super::*;

#[test]
fn control_and_data_datagrams_arrive_intact() {
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = SockAddr::from(rx.local_addr().unwrap());
    assert_eq!(
        send(tx.as_raw_fd(), &to, b"control", 0, Traffic::Control).unwrap(),
        7
    );
    assert_eq!(
        send(tx.as_raw_fd(), &to, b"data", 0, Traffic::Data).unwrap(),
        4
    );
    let mut buf = [0u8; 16];
    let n = rx.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"control");
    let n = rx.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"data");
}
