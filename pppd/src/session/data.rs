//! Frame dispatch and the data path: MPPE decryption of received 0x00fd frames into the
//! caller's buffer, and framing/encryption of outgoing IP packets without allocation.

use std::time::Instant;

use super::{Received, Session};
use crate::config::MppePolicy;
use crate::frame::{
    self, FramePacket, PROTO_CCP, PROTO_CHAP, PROTO_COMPRESSED, PROTO_IPCP, PROTO_IPV4, PROTO_IPV6,
    PROTO_IPV6CP, PROTO_LCP, PROTO_PAP,
};
use crate::mppe::MppeError;

impl Session {
    /// One PPP frame as carried by PPTP/L2TP: optional `FF 03`, then the protocol (1 or 2
    /// bytes), then the information field. IP packets (decrypted when MPPE is on) are written
    /// to `out` (at least mru + 64 bytes) and reported; control packets are consumed. Never
    /// panics: garbage is counted in [`Session::stats`] and dropped.
    pub fn handle_frame(&mut self, now: Instant, frame: &[u8], out: &mut [u8]) -> Received {
        if self.down {
            return Received::Nothing;
        }
        let f = match FramePacket::new_checked(frame) {
            Ok(f) => f,
            Err(e) => {
                self.stats.bad_frames += 1;
                tracing::debug!(error = ?e, len = frame.len(), "bad PPP frame dropped");
                return Received::Nothing;
            }
        };
        let (protocol, info) = (f.protocol(), f.info());
        let received = match protocol {
            PROTO_COMPRESSED => self.receive_encrypted(now, info, out),
            PROTO_IPV4 => self.receive_clear(Received::Ipv4, info, out),
            PROTO_IPV6 if self.cfg.ipv6 => self.receive_clear(Received::Ipv6, info, out),
            PROTO_LCP => {
                self.receive_lcp(now, info);
                Received::Nothing
            }
            PROTO_PAP | PROTO_CHAP => {
                self.receive_auth(now, protocol, info);
                Received::Nothing
            }
            PROTO_CCP => {
                self.receive_ccp(now, info);
                Received::Nothing
            }
            PROTO_IPCP => {
                self.receive_ipcp(now, info);
                Received::Nothing
            }
            PROTO_IPV6CP => {
                self.receive_ipv6cp(now, info);
                Received::Nothing
            }
            other => {
                self.unknown_protocol(other, info);
                Received::Nothing
            }
        };
        if received != Received::Nothing {
            self.lcp.traffic_received();
        }
        self.pump(now);
        received
    }

    /// Frames an IPv4/IPv6 packet (by its version nibble) into `out`: `FF 03 00 FD` + MPPE when
    /// encryption is on, else `FF 03` + protocol + packet. `out` must hold packet.len() + 8.
    /// None when the network layer is not open or the packet does not fit (the caller drops it).
    pub fn send_ip(&mut self, packet: &[u8], out: &mut [u8]) -> Option<usize> {
        if !self.up || self.down {
            return None;
        }
        let protocol = match packet.first()? >> 4 {
            4 => PROTO_IPV4,
            6 if self.ipv6_open() => PROTO_IPV6,
            _ => return None,
        };
        let Some(mppe) = self.mppe.as_mut() else {
            let n = frame::emit_header(protocol, out)?;
            out.get_mut(n..n + packet.len())?.copy_from_slice(packet);
            return Some(n + packet.len());
        };
        if out.len() < packet.len() + 8 {
            return None;
        }
        let n = frame::emit_header(PROTO_COMPRESSED, out)?;
        // MPPE header (2), protocol (2), packet: encrypted where it lies.
        let buf = out.get_mut(n..n + 4 + packet.len())?;
        buf[2..4].copy_from_slice(&protocol.to_be_bytes());
        buf[4..].copy_from_slice(packet);
        let written = mppe.encrypt_in_place(buf);
        (written > 0).then_some(n + written)
    }

    fn receive_encrypted(&mut self, now: Instant, info: &[u8], out: &mut [u8]) -> Received {
        let Some(mppe) = self.mppe.as_mut() else {
            self.stats.early_data += 1;
            tracing::debug!("encrypted frame without MPPE: dropped");
            return Received::Nothing;
        };
        if out.len() < info.len() {
            self.stats.oversize += 1;
            tracing::debug!(len = info.len(), room = out.len(), "frame too big: dropped");
            return Received::Nothing;
        }
        match mppe.decrypt(info, out) {
            Ok(n) => {
                if mppe.check_decrypted(&out[..n]) {
                    if let Some(ccp) = self.ccp.as_mut() {
                        ccp.request_reset(now);
                    }
                }
                self.deliver_decrypted(n, out)
            }
            Err(e) => {
                self.stats.mppe_errors += 1;
                tracing::trace!(error = ?e, "MPPE frame dropped");
                if let Some(ccp) = self.ccp.as_mut().filter(|_| e == MppeError::ResetNeeded) {
                    ccp.request_reset(now);
                }
                Received::Nothing
            }
        }
    }

    fn deliver_decrypted(&mut self, n: usize, out: &mut [u8]) -> Received {
        let Ok((protocol, rest)) = frame::parse_protocol(&out[..n]) else {
            self.stats.bad_inner += 1;
            return Received::Nothing;
        };
        let (start, len) = (n - rest.len(), rest.len());
        let kind = match protocol {
            PROTO_IPV4 => Received::Ipv4,
            PROTO_IPV6 if self.ipv6_open() => Received::Ipv6,
            _ => {
                self.stats.bad_inner += 1;
                tracing::debug!(protocol, "decrypted frame is not IP: dropped");
                return Received::Nothing;
            }
        };
        if !self.up {
            self.stats.early_data += 1;
            return Received::Nothing;
        }
        out.copy_within(start..n, 0);
        kind(len)
    }

    fn receive_clear(
        &mut self,
        kind: fn(usize) -> Received,
        info: &[u8],
        out: &mut [u8],
    ) -> Received {
        if self.mppe.is_some() || self.cfg.mppe == MppePolicy::Require {
            self.stats.unencrypted += 1;
            tracing::debug!("clear IP frame while MPPE is on or required: dropped");
            return Received::Nothing;
        }
        let ipv6 = kind(0) == Received::Ipv6(0);
        if !self.up || (ipv6 && !self.ipv6_open()) {
            self.stats.early_data += 1;
            return Received::Nothing;
        }
        let Some(dst) = out.get_mut(..info.len()) else {
            self.stats.oversize += 1;
            return Received::Nothing;
        };
        dst.copy_from_slice(info);
        kind(info.len())
    }
}
