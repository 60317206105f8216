//! Typed view of the IKE_SA/CHILD_SA trees charon sends in `list-sa`, `child-updown` and
//! `child-rekey`: one [`ChildSa`] per CHILD_SA, carrying what the daemon needs of its IKE_SA.

use crate::vici::Message;
use std::net::{IpAddr, Ipv4Addr};

/// One CHILD_SA with the facts of its IKE_SA the daemon needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildSa {
    /// IKE_SA (connection) name, e.g. `rasd-l2tp-psk`.
    pub ike_name: String,
    /// IKE_SA unique id.
    pub ike_id: u32,
    /// CHILD_SA config name, e.g. `l2tp`.
    pub name: String,
    /// CHILD_SA unique id.
    pub child_id: u32,
    /// CHILD_SA state, e.g. `INSTALLED`.
    pub state: String,
    /// Inbound mark (the value `set_mark_in = %same` stamps on decrypted packets); 0 if none.
    pub mark_in: u32,
    /// Outbound mark (the `SO_MARK` replies must carry); 0 if none.
    pub mark_out: u32,
    /// The client's IKE address (unspecified when charon gave none).
    pub remote_host: IpAddr,
    /// The client's IKE port (4500 after NAT-T floating), 0 when absent.
    pub remote_port: u16,
    /// The local IKE address (unspecified when charon gave none).
    pub local_host: IpAddr,
    /// The client's IKE identity.
    pub remote_id: String,
    /// NAT on the path (detected or faked) or UDP-encapsulated ESP.
    pub nat: bool,
    /// IKE algorithms, e.g. `AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`.
    pub ike_proposal: String,
    /// ESP algorithms, e.g. `AES_CBC-256/HMAC_SHA1_96`.
    pub esp_proposal: String,
    /// Bytes decrypted.
    pub bytes_in: u64,
    /// Bytes encrypted.
    pub bytes_out: u64,
    /// Packets decrypted.
    pub packets_in: u64,
    /// Packets encrypted.
    pub packets_out: u64,
    /// Seconds until rekeying, when scheduled.
    pub rekey_in: Option<u32>,
    /// Seconds until the hard lifetime ends, when set.
    pub life_in: Option<u32>,
    /// Seconds since the SA was installed, once installed.
    pub installed_for: Option<u32>,
}

/// Every CHILD_SA of a `list-sa` (or `child-updown`) message: its top-level sections are IKE_SAs
/// with a `child-sas` section. Entries without a numeric `uniqueid` are skipped.
pub fn parse_sas(msg: &Message) -> Vec<ChildSa> {
    let mut out = Vec::new();
    for (ike_name, ike) in msg.sections() {
        let Some(children) = ike.section("child-sas") else {
            continue;
        };
        for (_, child) in children.sections() {
            out.extend(child_sa(ike_name, ike, child));
        }
    }
    out
}

/// The CHILD_SA `child` of IKE_SA `ike` named `ike_name`; `None` without numeric unique ids.
pub fn child_sa(ike_name: &str, ike: &Message, child: &Message) -> Option<ChildSa> {
    let yes = |m: &Message, k: &str| m.get_str(k) == Some("yes");
    let nat = ["nat-local", "nat-remote", "nat-fake", "nat-any"]
        .iter()
        .any(|k| yes(ike, k))
        || yes(child, "encap");
    Some(ChildSa {
        ike_name: ike_name.to_owned(),
        ike_id: num(ike, "uniqueid")?,
        name: text(child, "name"),
        child_id: num(child, "uniqueid")?,
        state: text(child, "state"),
        mark_in: hex(child, "mark-in"),
        mark_out: hex(child, "mark-out"),
        remote_host: addr(ike, "remote-host"),
        remote_port: num(ike, "remote-port").unwrap_or(0),
        local_host: addr(ike, "local-host"),
        remote_id: text(ike, "remote-id"),
        nat,
        ike_proposal: proposal(ike, &["integ-alg", "prf-alg", "dh-group"]),
        esp_proposal: proposal(child, &["integ-alg", "dh-group"]),
        bytes_in: num(child, "bytes-in").unwrap_or(0),
        bytes_out: num(child, "bytes-out").unwrap_or(0),
        packets_in: num(child, "packets-in").unwrap_or(0),
        packets_out: num(child, "packets-out").unwrap_or(0),
        rekey_in: num(child, "rekey-time"),
        life_in: num(child, "life-time"),
        installed_for: num(child, "install-time"),
    })
}

/// `ENCR-KEYSIZE/OTHER/...` from the algorithm keys present, in charon's naming.
fn proposal(m: &Message, others: &[&str]) -> String {
    let mut parts = Vec::new();
    if let Some(encr) = m.get_str("encr-alg") {
        match m.get_str("encr-keysize") {
            Some(ks) => parts.push(format!("{encr}-{ks}")),
            None => parts.push(encr.to_owned()),
        }
    }
    parts.extend(
        others
            .iter()
            .filter_map(|k| m.get_str(k))
            .map(str::to_owned),
    );
    parts.join("/")
}

fn text(m: &Message, key: &str) -> String {
    m.get_str(key).unwrap_or_default().to_owned()
}

fn num<T: std::str::FromStr>(m: &Message, key: &str) -> Option<T> {
    m.get_str(key)?.parse().ok()
}

fn hex(m: &Message, key: &str) -> u32 {
    m.get_str(key)
        .and_then(|s| u32::from_str_radix(s, 16).ok())
        .unwrap_or(0)
}

fn addr(m: &Message, key: &str) -> IpAddr {
    m.get_str(key)
        .and_then(|s| s.parse().ok())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[cfg(test)]
pub(crate) mod tests;
