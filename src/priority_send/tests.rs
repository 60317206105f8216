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

/// The traffic class byte `rx` (with `IP_RECVTOS` or `IPV6_RECVTCLASS` on) got with its next
/// datagram, 0 when it came with none.
fn received_class(rx: &std::net::UdpSocket) -> u8 {
    let mut buf = [0u8; 64];
    let mut control = [0u64; 8];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: the header points at live buffers of the stated lengths; the control messages
    // read are within `control`, as CMSG_FIRSTHDR/CMSG_NXTHDR bound them.
    unsafe {
        let mut msg: libc::msghdr = zeroed();
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.as_mut_ptr().cast();
        msg.msg_controllen = std::mem::size_of_val(&control) as _;
        assert!(libc::recvmsg(rx.as_raw_fd(), &mut msg, 0) > 0);
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            let (level, kind) = ((*cmsg).cmsg_level, (*cmsg).cmsg_type);
            if (level, kind) == (libc::IPPROTO_IP, libc::IP_TOS) {
                return *libc::CMSG_DATA(cmsg);
            }
            if (level, kind) == (libc::IPPROTO_IPV6, libc::IPV6_TCLASS) {
                return std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast::<i32>()) as u8;
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    0
}

/// Turns on the reception of the traffic class on `rx`.
fn receive_classes(rx: &std::net::UdpSocket, v6: bool) {
    let on: libc::c_int = 1;
    let (level, option) = if v6 {
        (libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS)
    } else {
        (libc::IPPROTO_IP, libc::IP_RECVTOS)
    };
    // SAFETY: `on` is a c_int of the stated length.
    let rc = unsafe {
        libc::setsockopt(
            rx.as_raw_fd(),
            level,
            option,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of_val(&on) as _,
        )
    };
    assert_eq!(rc, 0);
}

#[test]
fn a_datagram_carries_the_traffic_class_it_is_given_over_ipv4_and_ipv6() {
    for local in ["127.0.0.1:0", "[::1]:0"] {
        let Ok(rx) = std::net::UdpSocket::bind(local) else {
            continue; // no IPv6 loopback on this machine
        };
        receive_classes(&rx, local.starts_with('['));
        let tx = std::net::UdpSocket::bind(local).unwrap();
        let to = SockAddr::from(rx.local_addr().unwrap());
        // CS6 (DSCP 48) as `[server] control_dscp = 48` gives, then none.
        for class in [48 << 2, 0] {
            let marks = Marks {
                mark: 0,
                priority: false,
                class,
            };
            assert_eq!(send_with(tx.as_raw_fd(), &to, b"x", marks).unwrap(), 1);
            assert_eq!(received_class(&rx), class, "{local}");
        }
    }
}

#[test]
fn set_control_dscp_keeps_six_bits() {
    set_control_dscp(48);
    assert_eq!(CONTROL_CLASS.load(Relaxed), 0xc0);
    set_control_dscp(0);
    assert_eq!(CONTROL_CLASS.load(Relaxed), 0);
}
