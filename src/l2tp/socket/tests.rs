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
async fn a_groups_drops_are_the_sum_of_its_sockets() {
    let small = 64 << 10;
    let group: Vec<_> = bind_group("127.0.0.1:0".parse().unwrap(), small, 2)
        .unwrap()
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    let to = group[0].local_addr().unwrap();
    assert_eq!(group_drops(&group), Some(0));
    // Never read; 32 peers so that both sockets get some (bounded: 3,200 datagrams).
    let datagram = [0u8; 1000];
    for _ in 0..32 {
        let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        for _ in 0..100 {
            let _ = tx.send_to(&datagram, to);
        }
    }
    let each: Vec<u32> = group.iter().map(|s| kernel_drops(s).unwrap()).collect();
    assert!(
        each.iter().all(|&d| d > 0),
        "each socket overflowed: {each:?}"
    );
    assert_eq!(group_drops(&group), Some(each[0] + each[1]));
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

#[tokio::test]
async fn a_group_shares_its_port_keeps_each_peer_on_one_socket_and_spreads_peers() {
    let group = bind_group("127.0.0.1:0".parse().unwrap(), 1 << 20, 2).unwrap();
    let addr = group[0].local_addr().unwrap();
    assert_eq!(group[1].local_addr().unwrap(), addr);
    // 64 peers (source ports), 4 datagrams each; bounded: 256 datagrams on loopback.
    let peers: Vec<_> = (0..64)
        .map(|_| std::net::UdpSocket::bind("127.0.0.1:0").unwrap())
        .collect();
    for round in 0..4u8 {
        for peer in &peers {
            peer.send_to(&[round], addr).unwrap();
        }
    }
    let mut socket_of = std::collections::HashMap::new();
    let mut per_socket = [0usize; 2];
    let (mut buf0, mut buf1) = ([0u8; 16], [0u8; 16]);
    for _ in 0..256 {
        let got = tokio::time::timeout(Duration::from_secs(5), async {
            tokio::select! {
                r = group[0].recv_from(&mut buf0) => (0, r.unwrap()),
                r = group[1].recv_from(&mut buf1) => (1, r.unwrap()),
            }
        })
        .await
        .expect("every datagram arrives on one of the group's sockets");
        let (socket, (_, from)) = got;
        per_socket[socket] += 1;
        let first = *socket_of.entry(from).or_insert(socket);
        assert_eq!(first, socket, "peer {from} reached both sockets");
    }
    assert_eq!(socket_of.len(), 64);
    assert!(
        per_socket.iter().all(|&n| n > 0),
        "64 peers all went to one socket: {per_socket:?}"
    );
}

#[tokio::test]
async fn a_port_another_socket_holds_is_refused_even_with_a_group() {
    let other = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let taken = other.local_addr().unwrap();
    assert!(bind_group(taken, 1 << 20, 2).is_err());
    // And a group's own port is not open to a second group (a second daemon).
    let group = bind_group("127.0.0.1:0".parse().unwrap(), 1 << 20, 2).unwrap();
    let ours = group[0].local_addr().unwrap();
    assert!(bind_group(ours, 1 << 20, 2).is_err());
}
