//! Where a tunnel's datagrams come from and go to: the peer's address and port, and the mark
//! of the IPsec SA they travel in.
//!
//! Two clients behind one NAT both reach us from the NAT's address and port 1701 once their
//! ESP is removed; only their SAs tell them apart. strongSwan gives each client's CHILD_SA its
//! own mark (`mark_in`/`mark_out = %unique`, `set_mark_in = %same`): every datagram its SA
//! decrypted carries it (read with `SO_RCVMARK`), and a reply sent with it (`SO_MARK`) leaves
//! through that SA's policy. Cleartext L2TP has mark 0.

use std::fmt;
use std::net::SocketAddr;

/// A peer as L2TP sees it: address, port and IPsec SA mark (0 = not through IPsec).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PeerPath {
    /// The peer's UDP address and port.
    pub addr: SocketAddr,
    /// The mark of the SA its datagrams came through; 0 for cleartext.
    pub mark: u32,
}

impl PeerPath {
    /// A peer reached without IPsec.
    pub fn cleartext(addr: SocketAddr) -> Self {
        PeerPath { addr, mark: 0 }
    }

    /// Whether its datagrams come through an IPsec SA.
    pub fn is_ipsec(&self) -> bool {
        self.mark != 0
    }
}

impl fmt::Display for PeerPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mark == 0 {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{} (SA mark {:#x})", self.addr, self.mark)
        }
    }
}

#[cfg(test)]
mod tests;
