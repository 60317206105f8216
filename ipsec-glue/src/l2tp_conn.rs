//! rasd's L2TP/IPsec responder as charon connections: IKEv1 Main Mode, ESP in transport mode
//! protecting L2TP (UDP 1701), RFC 3193. One connection per client authentication method.

use crate::commands::{
    load_cert, load_conn, load_key, load_shared_ike, unload_conn, unload_shared, CertFlag,
};
use crate::vici::{Message, Packet};

/// Connection for clients authenticating with the pre-shared key.
pub const PSK_CONN: &str = "rasd-l2tp-psk";
/// Connection for clients authenticating with certificates.
pub const CERT_CONN: &str = "rasd-l2tp-cert";
/// The CHILD_SA of both connections.
pub const CHILD: &str = "l2tp";
/// The `id` the pre-shared key is loaded under.
pub const PSK_ID: &str = "rasd-l2tp-psk";

/// The server side of certificate authentication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertAuth {
    /// The server's certificate (PEM), sent to clients.
    pub server_cert: Vec<u8>,
    /// The server certificate's private key (PEM).
    pub server_key: Vec<u8>,
    /// The CA (PEM) client certificates must chain to.
    pub ca_cert: Vec<u8>,
}

/// rasd's L2TP/IPsec responder settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2tpIpsec {
    /// IKE (ISAKMP) proposals, e.g. `aes256-sha1-modp1024`.
    pub ike_proposals: Vec<String>,
    /// ESP proposals, e.g. `aes256-sha1`.
    pub esp_proposals: Vec<String>,
    /// Dead peer detection interval in seconds, 0 = off.
    pub dpd_delay: u32,
    /// Seconds without an answer to DPD before the peer is declared dead (IKEv1).
    pub dpd_timeout: u32,
    /// Seconds before the ISAKMP SA is renewed; IKEv1 does this by reauthentication, so it is
    /// sent as `reauth_time`. 0 = never (clients rekey on their own schedule).
    pub ike_rekey_time: u32,
    /// Seconds before a CHILD_SA is rekeyed.
    pub child_rekey_time: u32,
    /// Hard CHILD_SA lifetime in seconds, greater than `child_rekey_time`.
    pub child_life_time: u32,
    /// The pre-shared key: `Some` enables [`PSK_CONN`].
    pub psk: Option<Vec<u8>>,
    /// Server certificate and client CA: `Some` enables [`CERT_CONN`].
    pub certificate: Option<CertAuth>,
}

impl L2tpIpsec {
    /// Every request that brings the enabled connections up, in order: credentials first.
    ///
    /// The CA is also loaded as an authority of its own, not only as the connection's
    /// `cacerts`: an IKEv1 responder sends its certificate requests (Main Mode message 4)
    /// before it knows which connection the client is for, naming the CAs charon holds as
    /// such, and clients that send their certificate only when asked (strongSwan's default)
    /// would otherwise send none.
    pub fn load_requests(&self) -> Vec<Packet> {
        let mut out = Vec::new();
        if let Some(psk) = &self.psk {
            out.push(load_shared_ike(PSK_ID, psk));
            out.push(load_conn(PSK_CONN, self.psk_conn()));
        }
        if let Some(cert) = &self.certificate {
            out.push(load_key(&cert.server_key));
            out.push(load_cert(CertFlag::Ca, &cert.ca_cert));
            out.push(load_conn(CERT_CONN, self.cert_conn(cert)));
        }
        out
    }

    /// Every request that removes what [`Self::load_requests`] loaded (the private key and the
    /// CA stay: VICI can unload neither by content).
    pub fn unload_requests(&self) -> Vec<Packet> {
        let mut out = Vec::new();
        if self.psk.is_some() {
            out.push(unload_conn(PSK_CONN));
            out.push(unload_shared(PSK_ID));
        }
        if self.certificate.is_some() {
            out.push(unload_conn(CERT_CONN));
        }
        out
    }

    /// The `load-conn` body of [`PSK_CONN`].
    pub fn psk_conn(&self) -> Message {
        let auth = Message::new().with_str("auth", "psk");
        self.conn_common()
            .with_section("local", auth.clone())
            .with_section("remote", auth)
            .with_section("children", self.children())
    }

    /// The `load-conn` body of [`CERT_CONN`]: certificates travel as data, not paths.
    pub fn cert_conn(&self, cert: &CertAuth) -> Message {
        let local = Message::new()
            .with_str("auth", "pubkey")
            .with_list("certs", [cert.server_cert.clone()]);
        let remote = Message::new()
            .with_str("auth", "pubkey")
            .with_list("cacerts", [cert.ca_cert.clone()]);
        self.conn_common()
            .with_section("local", local)
            .with_section("remote", remote)
            .with_section("children", self.children())
    }

    /// Settings both connections share. No `local_addrs`/`remote_addrs`: any address. `encap`
    /// stays `no` since NAT-T is detected anyway. `unique = never`: several clients may share
    /// an identity (PSK clients behind NATs often all send the same private address as their
    /// ID), and with `no` one client's INITIAL_CONTACT would tear down the others' SAs.
    /// `send_certreq = yes` on both: an IKEv1 responder takes it from the first connection
    /// whose addresses match (both match any), before it knows the client's method; it asks
    /// only when the client proposed certificate authentication.
    fn conn_common(&self) -> Message {
        Message::new()
            .with_str("version", "1")
            .with_str("aggressive", "no")
            .with_list("proposals", self.ike_proposals.iter().map(String::as_str))
            .with_str("encap", "no")
            .with_str("dpd_delay", secs(self.dpd_delay))
            .with_str("dpd_timeout", secs(self.dpd_timeout))
            .with_str("reauth_time", secs(self.ike_rekey_time))
            .with_str("rekey_time", "0s")
            .with_str("unique", "never")
            .with_str("send_certreq", "yes")
    }

    /// The one CHILD_SA: transport mode, L2TP from any client port. Each SA gets its own mark
    /// (`mark_in`/`mark_out = %unique`) so clients behind one NAT keep separate SAs, and
    /// `set_mark_in = %same` stamps every packet an SA decrypted with that mark: the daemon
    /// reads it (`SO_RCVMARK`) and answers with `SO_MARK` set to it so the kernel picks that
    /// client's outbound policy and SA.
    fn children(&self) -> Message {
        let child = Message::new()
            .with_str("mode", "transport")
            .with_list("local_ts", ["dynamic[udp/1701]"])
            .with_list("remote_ts", ["dynamic[udp]"])
            .with_list(
                "esp_proposals",
                self.esp_proposals.iter().map(String::as_str),
            )
            .with_str("rekey_time", secs(self.child_rekey_time))
            .with_str("life_time", secs(self.child_life_time))
            .with_str("dpd_action", "clear")
            .with_str("start_action", "none")
            .with_str("close_action", "none")
            .with_str("mark_in", "%unique")
            .with_str("mark_out", "%unique")
            .with_str("set_mark_in", "%same");
        Message::new().with_section(CHILD, child)
    }
}

fn secs(n: u32) -> String {
    format!("{n}s")
}

#[cfg(test)]
mod tests;
