//! Typed reads: generic ones by kind, and the reply attributes rasd applies.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::types::*;
use super::{AttrType, Attributes};

/// Framed-IP-Address as RFC 2865 §5.8 defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FramedIp {
    /// This address.
    Address(Ipv4Addr),
    /// 255.255.255.254: the NAS picks one (from its pool).
    NasAssigns,
    /// 255.255.255.255: the user may pick one.
    UserChooses,
}

/// MS-CHAP2-Success or MS-CHAP-Error (RFC 2548 §2.3.3, §2.1.5): the PPP identifier and the
/// message to relay to the peer (`S=...` or `E=... R=... C=... V=...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MsChapReply<'a> {
    /// The MS-CHAP identifier the message answers.
    pub ident: u8,
    /// The message octets.
    pub message: &'a [u8],
}

impl Attributes {
    /// The values of every attribute of type `typ`, in order.
    pub fn all(&self, typ: AttrType) -> impl Iterator<Item = &[u8]> {
        self.0
            .iter()
            .filter(move |a| a.typ == typ)
            .map(|a| a.value.as_slice())
    }

    /// The first value of type `typ`.
    pub fn bytes(&self, typ: AttrType) -> Option<&[u8]> {
        self.all(typ).next()
    }

    /// The first value of type `typ` as text (invalid UTF-8 replaced).
    pub fn text(&self, typ: AttrType) -> Option<String> {
        self.bytes(typ)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// The first value of type `typ` as a 32-bit integer; `None` unless it is 4 octets.
    pub fn integer(&self, typ: AttrType) -> Option<u32> {
        let v: [u8; 4] = self.bytes(typ)?.try_into().ok()?;
        Some(u32::from_be_bytes(v))
    }

    /// The first value of type `typ` as an IPv4 address.
    pub fn ipv4(&self, typ: AttrType) -> Option<Ipv4Addr> {
        let v: [u8; 4] = self.bytes(typ)?.try_into().ok()?;
        Some(Ipv4Addr::from(v))
    }

    /// The first value of type `typ` as an IPv6 address.
    pub fn ipv6(&self, typ: AttrType) -> Option<Ipv6Addr> {
        let v: [u8; 16] = self.bytes(typ)?.try_into().ok()?;
        Some(Ipv6Addr::from(v))
    }

    /// The first value of type `typ` as an IPv6 prefix and its length (RFC 3162 §2.3).
    pub fn ipv6_prefix(&self, typ: AttrType) -> Option<(Ipv6Addr, u8)> {
        let v = self.bytes(typ)?;
        let (&len, prefix) = v.get(1..)?.split_first()?;
        if len > 128 || prefix.len() > 16 || prefix.len() < usize::from(len).div_ceil(8) {
            return None;
        }
        let mut octets = [0u8; 16];
        octets[..prefix.len()].copy_from_slice(prefix);
        Some((Ipv6Addr::from(octets), len))
    }

    /// Framed-IP-Address.
    pub fn framed_ip_address(&self) -> Option<FramedIp> {
        Some(match self.ipv4(FRAMED_IP_ADDRESS)? {
            Ipv4Addr::BROADCAST => FramedIp::UserChooses,
            a if a == Ipv4Addr::new(255, 255, 255, 254) => FramedIp::NasAssigns,
            a => FramedIp::Address(a),
        })
    }

    /// Framed-Pool: the name of the pool to take the address from.
    pub fn framed_pool(&self) -> Option<String> {
        self.text(FRAMED_POOL)
    }

    /// Every Framed-Route, as text (`"10.1.0.0/24 0.0.0.0 1"`).
    pub fn framed_routes(&self) -> Vec<String> {
        self.all(FRAMED_ROUTE)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect()
    }

    /// Session-Timeout, seconds.
    pub fn session_timeout(&self) -> Option<u32> {
        self.integer(SESSION_TIMEOUT)
    }

    /// Idle-Timeout, seconds.
    pub fn idle_timeout(&self) -> Option<u32> {
        self.integer(IDLE_TIMEOUT)
    }

    /// Acct-Interim-Interval, seconds.
    pub fn acct_interim_interval(&self) -> Option<u32> {
        self.integer(ACCT_INTERIM_INTERVAL)
    }

    /// Framed-MTU.
    pub fn framed_mtu(&self) -> Option<u32> {
        self.integer(FRAMED_MTU)
    }

    /// Every Class, to echo in each accounting record.
    pub fn classes(&self) -> impl Iterator<Item = &[u8]> {
        self.all(CLASS)
    }

    /// Every Reply-Message joined with newlines, if any.
    pub fn reply_message(&self) -> Option<String> {
        let parts: Vec<String> = self
            .all(REPLY_MESSAGE)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n"))
    }

    /// Error-Cause (RFC 5176 §3.5).
    pub fn error_cause(&self) -> Option<u32> {
        self.integer(ERROR_CAUSE)
    }

    fn ms_chap_reply(&self, typ: AttrType) -> Option<MsChapReply<'_>> {
        let (&ident, message) = self.bytes(typ)?.split_first()?;
        Some(MsChapReply { ident, message })
    }

    /// MS-CHAP2-Success: the authenticator response to relay as the PPP success message.
    pub fn ms_chap2_success(&self) -> Option<MsChapReply<'_>> {
        self.ms_chap_reply(MS_CHAP2_SUCCESS)
    }

    /// MS-CHAP-Error: the failure message to relay (`E=691 R=1 ...`).
    pub fn ms_chap_error(&self) -> Option<MsChapReply<'_>> {
        self.ms_chap_reply(MS_CHAP_ERROR)
    }

    /// MS-MPPE-Send-Key in the clear (the client core decrypted it): the key the NAS encrypts
    /// with.
    pub fn mppe_send_key(&self) -> Option<&[u8]> {
        self.bytes(MS_MPPE_SEND_KEY)
    }

    /// MS-MPPE-Recv-Key in the clear: the key the NAS decrypts with.
    pub fn mppe_recv_key(&self) -> Option<&[u8]> {
        self.bytes(MS_MPPE_RECV_KEY)
    }

    /// MS-CHAP-MPPE-Keys in the clear (MS-CHAPv1): the 8-octet LM key and the 16-octet NT key.
    pub fn ms_chap_mppe_keys(&self) -> Option<([u8; 8], [u8; 16])> {
        let v = self.bytes(MS_CHAP_MPPE_KEYS)?;
        Some((v.get(..8)?.try_into().ok()?, v.get(8..24)?.try_into().ok()?))
    }

    /// MS-MPPE-Encryption-Policy: 1 allowed, 2 required.
    pub fn mppe_encryption_policy(&self) -> Option<u32> {
        self.integer(MS_MPPE_ENCRYPTION_POLICY)
    }

    /// MS-MPPE-Encryption-Types: bit 2 (0x2) 40-bit, 0x4 128-bit, 0x8 56-bit.
    pub fn mppe_encryption_types(&self) -> Option<u32> {
        self.integer(MS_MPPE_ENCRYPTION_TYPES)
    }

    /// MS-Primary-DNS-Server and MS-Secondary-DNS-Server.
    pub fn dns_servers(&self) -> [Option<Ipv4Addr>; 2] {
        [
            self.ipv4(MS_PRIMARY_DNS_SERVER),
            self.ipv4(MS_SECONDARY_DNS_SERVER),
        ]
    }

    /// MS-Primary-NBNS-Server and MS-Secondary-NBNS-Server.
    pub fn nbns_servers(&self) -> [Option<Ipv4Addr>; 2] {
        [
            self.ipv4(MS_PRIMARY_NBNS_SERVER),
            self.ipv4(MS_SECONDARY_NBNS_SERVER),
        ]
    }
}
