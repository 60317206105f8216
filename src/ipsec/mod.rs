//! L2TP/IPsec (RFC 3193): strongSwan's charon does IKE and the kernel ESP; rasd loads its
//! connection and secrets into charon over VICI and follows the SAs it makes.

mod driver;
pub mod leak_guard;
mod sa_table;
pub mod status;
mod vici_stream;

pub use driver::{start, Ipsec, RECONNECT_INTERVAL};
pub use sa_table::{IpsecSa, SaTable};
