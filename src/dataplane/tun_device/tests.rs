use std::time::{Duration, Instant};

use super::*;

/// The Internet checksum of `bytes`.
fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)])))
        .sum();
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A UDP datagram (no checksum, as IPv4 allows) from `src` to `dst`.
fn udp(src: (Ipv4Addr, u16), dst: (Ipv4Addr, u16), payload: &[u8]) -> Vec<u8> {
    let udp_len = (8 + payload.len()) as u16;
    let mut ip = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0];
    ip[2..4].copy_from_slice(&(20 + udp_len).to_be_bytes());
    ip.extend_from_slice(&src.0.octets());
    ip.extend_from_slice(&dst.0.octets());
    let sum = checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    ip.extend_from_slice(&src.1.to_be_bytes());
    ip.extend_from_slice(&dst.1.to_be_bytes());
    ip.extend_from_slice(&udp_len.to_be_bytes());
    ip.extend_from_slice(&[0, 0]);
    ip.extend_from_slice(payload);
    ip
}

#[test]
#[ignore = "needs root: network namespaces, TUN and raw sockets"]
fn replies_to_a_session_come_back_on_the_queue_it_writes_through() {
    // In a network namespace of this thread's own (the `ip` commands inherit it).
    std::thread::spawn(|| {
        assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let local = Ipv4Addr::new(192, 0, 2, 1);
            let range = (Ipv4Addr::new(192, 0, 2, 10), Ipv4Addr::new(192, 0, 2, 20));
            let queues = 3;
            let tun = SharedTun::with_queues("rasdmq0", local, 1400, &[range], queues).unwrap();
            assert_eq!(tun.queue_count(), queues);
            for dev in &tun.queues {
                dev.writable().await.unwrap(); // try_send needs tokio to have seen it writable
            }
            // Six sessions, each sending a datagram to a socket at our end through the queue
            // its number picks; the socket's answers must come back on that queue.
            let echo = std::net::UdpSocket::bind((local, 7000)).unwrap();
            let sessions: u8 = 6;
            for s in 0..sessions {
                let client = (Ipv4Addr::new(192, 0, 2, 10 + s), 5000 + u16::from(s));
                tun.write_packet(
                    u64::from(s),
                    &udp(client, (local, 7000), b"rasd queue test"),
                );
            }
            echo.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let mut buf = vec![0u8; 2048];
            for _ in 0..sessions {
                let (n, from) = echo
                    .recv_from(&mut buf)
                    .expect("the datagrams reach our end");
                echo.send_to(&buf[..n], from).unwrap();
            }
            let mut replies = Vec::new();
            let until = Instant::now() + Duration::from_secs(3);
            while replies.len() < usize::from(sessions) && Instant::now() < until {
                for (q, dev) in tun.queues.iter().enumerate() {
                    if let Ok(n) = dev.try_recv(&mut buf) {
                        if let Some(ip) = Ipv4Packet::new_checked(&buf[..n]) {
                            if buf[9] == 17 {
                                replies.push((ip.dst_addr(), q));
                            }
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            replies.sort();
            let expected: Vec<(Ipv4Addr, usize)> = (0..sessions)
                .map(|s| (Ipv4Addr::new(192, 0, 2, 10 + s), usize::from(s) % queues))
                .collect();
            assert_eq!(replies, expected, "(client, queue its answer came on)");
        });
    })
    .join()
    .unwrap();
}
