//! The RADIUS datagram (RFC 2865 §3): codes, a zero-copy checked view with an attribute
//! iterator (Vendor-Specific sub-attributes included), a builder that emits into a caller
//! buffer, and the big-endian field helpers they share.
//!
//! ```text
//! |     Code      |  Identifier   |            Length             |
//! |                     Authenticator (16 octets)                 |
//! |  Attributes ...  (Type, Length, Value; Length counts all three)
//! ```

mod attrs;
pub(crate) mod be;
mod builder;
mod code;
mod packet;

pub use attrs::{AttrIter, RawAttr};
pub use builder::{BuildError, Builder};
pub use code::Code;
pub use packet::{Packet, PacketError};

/// Length of the fixed header: code, identifier, length, authenticator.
pub const HEADER_LEN: usize = 20;
/// Smallest datagram RFC 2865 allows.
pub const MIN_LEN: usize = HEADER_LEN;
/// Largest datagram RFC 2865 allows; a buffer this long holds any packet.
pub const MAX_LEN: usize = 4096;
/// Length of an authenticator (Request or Response).
pub const AUTH_LEN: usize = 16;
/// Longest value one attribute can carry (255 minus type and length).
pub const MAX_VALUE_LEN: usize = 253;
/// Attribute type of Vendor-Specific (RFC 2865 §5.26).
pub const VENDOR_SPECIFIC: u8 = 26;
