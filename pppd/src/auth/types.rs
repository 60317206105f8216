//! Data exchanged between the authentication machines, the session and the backend.

use super::Method;
use crate::mschap;
use std::fmt;
use zeroize::Zeroize;

/// One authentication attempt for the backend (user name exactly as the peer sent it, DOMAIN\ kept).
/// `Debug` hides the PAP password.
#[derive(Clone)]
pub enum AuthRequest {
    /// PAP Authenticate-Request.
    Pap {
        /// Peer-ID.
        user: String,
        /// Clear-text password.
        password: Vec<u8>,
    },
    /// CHAP-MD5 Response: `response` = MD5(id, secret, challenge).
    ChapMd5 {
        /// Name field of the Response.
        user: String,
        /// Identifier of the exchange.
        id: u8,
        /// Our challenge value.
        challenge: Vec<u8>,
        /// The peer's hash.
        response: [u8; 16],
    },
    /// MS-CHAPv1 Response (NT response only).
    MsChapV1 {
        /// Name field of the Response.
        user: String,
        /// Our 8-octet challenge.
        challenge: [u8; 8],
        /// The 24-octet NT response.
        nt_response: [u8; 24],
    },
    /// MS-CHAPv2 Response.
    MsChapV2 {
        /// Name field of the Response (DOMAIN\ kept).
        user: String,
        /// Our 16-octet challenge.
        authenticator_challenge: [u8; 16],
        /// The peer's 16-octet challenge.
        peer_challenge: [u8; 16],
        /// The 24-octet NT-Response.
        nt_response: [u8; 24],
    },
}

impl fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRequest")
            .field("method", &self.method())
            .field("user", &self.user())
            .finish_non_exhaustive()
    }
}

impl AuthRequest {
    /// The user name as the peer sent it.
    pub fn user(&self) -> &str {
        match self {
            AuthRequest::Pap { user, .. }
            | AuthRequest::ChapMd5 { user, .. }
            | AuthRequest::MsChapV1 { user, .. }
            | AuthRequest::MsChapV2 { user, .. } => user,
        }
    }

    /// The method this attempt belongs to.
    pub fn method(&self) -> Method {
        match self {
            AuthRequest::Pap { .. } => Method::Pap,
            AuthRequest::ChapMd5 { .. } => Method::ChapMd5,
            AuthRequest::MsChapV1 { .. } => Method::MsChapV1,
            AuthRequest::MsChapV2 { .. } => Method::MsChapV2,
        }
    }
}

/// MPPE start keys (RFC 3079 master session keys, 16 bytes; 40-bit uses the first 8), as
/// "my send / my receive" for whoever holds them. Zeroized on drop.
#[derive(Clone)]
pub struct MppeKeys {
    /// Key for what the holder sends.
    pub send: [u8; 16],
    /// Key for what the holder receives.
    pub recv: [u8; 16],
}

impl MppeKeys {
    /// Keys from an MS-CHAPv2 exchange (RFC 3079 §3.4), for the server or the client side.
    pub fn from_mschapv2(password_hash: &[u8; 16], nt_response: &[u8; 24], server: bool) -> Self {
        let mut hash_hash = mschap::hash_nt_password_hash(password_hash);
        let mut master = mschap::get_master_key(&hash_hash, nt_response);
        let keys = MppeKeys {
            send: mschap::get_asymmetric_start_key(&master, true, server),
            recv: mschap::get_asymmetric_start_key(&master, false, server),
        };
        hash_hash.zeroize();
        master.zeroize();
        keys
    }

    /// Keys from an MS-CHAPv1 exchange (RFC 3079 §2.4): one key for both directions.
    pub fn from_mschapv1(password_hash: &[u8; 16], challenge: &[u8; 8]) -> Self {
        let mut hash_hash = mschap::hash_nt_password_hash(password_hash);
        let key = mschap::v1_start_key(&hash_hash, challenge);
        hash_hash.zeroize();
        MppeKeys {
            send: key,
            recv: key,
        }
    }
}

impl Drop for MppeKeys {
    fn drop(&mut self) {
        self.send.zeroize();
        self.recv.zeroize();
    }
}

impl fmt::Debug for MppeKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MppeKeys(..)")
    }
}

/// A positive verdict of the backend.
#[derive(Clone, Debug)]
pub struct AuthSuccess {
    /// MS-CHAPv2 only: the 20-byte authenticator response (sent as "S=<40 hex>").
    pub authenticator_response: Option<[u8; 20]>,
    /// MPPE start keys in the server's view, when the method gives them.
    pub mppe_keys: Option<MppeKeys>,
}

/// The backend's answer to an [`AuthRequest`].
#[derive(Clone, Debug)]
pub enum AuthVerdict {
    /// Credentials are good.
    Accept(AuthSuccess),
    /// Credentials are bad; `message` goes to the peer (M= text for MS-CHAP).
    Reject {
        /// Human-readable reason.
        message: String,
    },
}

/// What the local users file holds for a user.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// Clear-text password (all methods).
    Password(String),
    /// NT password hash, MD4(UTF-16LE password): PAP and MS-CHAP only.
    NtHash([u8; 16]),
}

impl Credential {
    /// The NT password hash of this credential.
    pub fn nt_hash(&self) -> [u8; 16] {
        match self {
            Credential::Password(p) => mschap::nt_password_hash(p),
            Credential::NtHash(h) => *h,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Password(_) => f.write_str("Password(..)"),
            Credential::NtHash(_) => f.write_str("NtHash(..)"),
        }
    }
}

/// Output of the [`Authenticator`](super::Authenticator) and [`AuthPeer`](super::AuthPeer) machines.
#[derive(Debug)]
pub enum AuthOutput {
    /// A packet to send: `protocol` is PROTO_PAP or PROTO_CHAP, `data` is the PAP/CHAP packet (code,id,len,...).
    Send {
        /// PPP protocol number.
        protocol: u16,
        /// The PAP/CHAP packet.
        data: Vec<u8>,
    },
    /// Ask the backend; answer with `Authenticator::verdict`.
    Request(AuthRequest),
    /// Authenticated. `keys` are the MPPE start keys when the method gives them.
    Success {
        /// The authenticated user (server) or our own user name (client).
        user: String,
        /// MPPE start keys ("my send / my receive").
        keys: Option<MppeKeys>,
    },
    /// Final failure (after the configured number of attempts): the link must be terminated.
    Failure {
        /// The user of the last attempt (may be empty when the peer never answered).
        user: String,
        /// Reason.
        message: String,
    },
}
