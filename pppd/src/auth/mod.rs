//! PPP authentication: PAP (RFC 1334), CHAP-MD5 (RFC 1994), MS-CHAPv1 (RFC 2433) and
//! MS-CHAPv2 (RFC 2759), in the authenticator (server) and the peer (client) role, plus the
//! local verification of one attempt against a stored credential.

mod authenticator;
mod method;
mod msg;
mod packet;
mod peer;
mod types;
mod verify;

pub use authenticator::Authenticator;
pub use method::{Method, UnknownMethod};
pub use peer::AuthPeer;
pub use types::{AuthOutput, AuthRequest, AuthSuccess, AuthVerdict, Credential, MppeKeys};
pub use verify::verify_local;

/// Seconds between challenge (or PAP request) retransmissions.
const RETRANSMIT_SECS: u64 = 3;
/// Transmissions of a challenge or PAP request before giving up.
const MAX_TRANSMITS: u32 = 5;
