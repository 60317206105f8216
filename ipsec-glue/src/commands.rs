//! Typed VICI requests (generic ones; rasd's connections are in [`crate::l2tp_conn`]) and
//! checking of charon's answers.

use crate::vici::{Message, Packet, ViciError};

/// Event streamed by `list-sas`, one per IKE_SA.
pub const LIST_SA: &str = "list-sa";
/// Event streamed by `list-conns`, one per connection.
pub const LIST_CONN: &str = "list-conn";
/// Event raised when a CHILD_SA is installed or deleted.
pub const CHILD_UPDOWN: &str = "child-updown";
/// Event raised when a CHILD_SA is rekeyed.
pub const CHILD_REKEY: &str = "child-rekey";
/// Event raised when an IKE_SA is established or deleted.
pub const IKE_UPDOWN: &str = "ike-updown";

/// Whether a certificate loaded with [`load_cert`] is a trust anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertFlag {
    /// An end-entity certificate (`flag = NONE`).
    EndEntity,
    /// A CA certificate (`flag = CA`).
    Ca,
}

/// `load-conn` with `conn` as the section named `name`.
pub fn load_conn(name: &str, conn: Message) -> Packet {
    Packet::request("load-conn", Message::new().with_section(name, conn))
}

/// `unload-conn` of connection `name`.
pub fn unload_conn(name: &str) -> Packet {
    Packet::request("unload-conn", Message::new().with_str("name", name))
}

/// `load-shared` of an IKE pre-shared key for any peer (no `owners`), under a unique `id` so
/// that [`unload_shared`] can remove it again.
pub fn load_shared_ike(id: &str, secret: &[u8]) -> Packet {
    let msg = Message::new()
        .with_str("id", id)
        .with_str("type", "IKE")
        .with_str("data", secret);
    Packet::request("load-shared", msg)
}

/// `unload-shared` of the secret loaded under `id`.
pub fn unload_shared(id: &str) -> Packet {
    Packet::request("unload-shared", Message::new().with_str("id", id))
}

/// `get-shared`, answered by `keys = [<id>...]`: the ids of the loaded shared secrets.
pub fn get_shared() -> Packet {
    Packet::request("get-shared", Message::new())
}

/// `load-cert` of an X.509 certificate (PEM or DER bytes).
pub fn load_cert(flag: CertFlag, data: &[u8]) -> Packet {
    let flag = match flag {
        CertFlag::EndEntity => "NONE",
        CertFlag::Ca => "CA",
    };
    let msg = Message::new()
        .with_str("type", "X509")
        .with_str("flag", flag)
        .with_str("data", data);
    Packet::request("load-cert", msg)
}

/// `load-key` of a private key of any type (PEM or DER bytes).
pub fn load_key(data: &[u8]) -> Packet {
    let msg = Message::new()
        .with_str("type", "any")
        .with_str("data", data);
    Packet::request("load-key", msg)
}

/// `list-sas`, answered by one [`LIST_SA`] event per IKE_SA (when registered) before the
/// response. `noblock` skips IKE_SAs that are busy instead of waiting for them.
pub fn list_sas(noblock: bool) -> Packet {
    let msg = if noblock {
        Message::new().with_str("noblock", "yes")
    } else {
        Message::new()
    };
    Packet::request("list-sas", msg)
}

/// `list-conns`, answered by one [`LIST_CONN`] event per connection (when registered).
pub fn list_conns() -> Packet {
    Packet::request("list-conns", Message::new())
}

/// Registers for event `name`; charon answers `EVENT_CONFIRM` (see [`confirmed`]).
pub fn register(name: &str) -> Packet {
    Packet::EventRegister(name.to_owned())
}

/// Unregisters from event `name`; charon answers `EVENT_CONFIRM` (see [`confirmed`]).
pub fn unregister(name: &str) -> Packet {
    Packet::EventUnregister(name.to_owned())
}

/// `Ok` when a command's response says `success = yes`, else its `errmsg`.
pub fn check_reply(reply: &Message) -> Result<(), ViciError> {
    if reply.get_str("success") == Some("yes") {
        return Ok(());
    }
    let errmsg = reply.get_str("errmsg").unwrap_or_default();
    Err(ViciError::Failed(errmsg.to_owned()))
}

/// The message of the packet that answers a command (events must be routed away first).
pub fn response(packet: &Packet) -> Result<&Message, ViciError> {
    match packet {
        Packet::CmdResponse(msg) => Ok(msg),
        Packet::CmdUnknown => Err(ViciError::UnknownCommand),
        _ => Err(ViciError::UnexpectedPacket),
    }
}

/// `Ok` when the packet that answers a (un)registration is `EVENT_CONFIRM`.
pub fn confirmed(packet: &Packet) -> Result<(), ViciError> {
    match packet {
        Packet::EventConfirm => Ok(()),
        Packet::EventUnknown => Err(ViciError::UnknownEvent),
        _ => Err(ViciError::UnexpectedPacket),
    }
}

#[cfg(test)]
mod tests;
