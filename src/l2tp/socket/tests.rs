use super::*;

#[tokio::test]
async fn datagrams_lost_to_a_full_buffer_are_counted() {
    let small = 64 << 10;
    let rx = bind("127.0.0.1:0".parse().unwrap(), small).unwrap();
    let to = rx.local_addr().unwrap();
    assert_eq!(kernel_drops(&rx), Some(0));
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let datagram = [0u8; 1000];
    // Never read: past a few hundred KiB the kernel must drop (bounded: 2,000 datagrams).
    for _ in 0..2000 {
        let _ = tx.send_to(&datagram, to);
    }
    let drops = kernel_drops(&rx).unwrap();
    assert!(drops > 0, "no drop counted after 2 MB into a 64 KiB buffer");
    assert!(drops < 2000);
}

#[tokio::test]
async fn buffers_are_at_least_what_was_asked_as_root() {
    if unsafe { libc::geteuid() } != 0 {
        return; // non-root gets the kernel's cap, which `bind` logs
    }
    let size = 4 << 20;
    let sock = bind("127.0.0.1:0".parse().unwrap(), size).unwrap();
    let sock = socket2::SockRef::from(&sock);
    assert!(sock.recv_buffer_size().unwrap() >= size);
    assert!(sock.send_buffer_size().unwrap() >= size);
}
