//! The VICI wire format: message trees, packets, the encoder and a bounded streaming decoder.

mod decode;
mod encode;
mod error;
mod message;
mod packet;

pub use decode::{decode_payload, Decoder};
pub use encode::encode;
pub use error::ViciError;
pub use message::{Message, Value};
pub use packet::Packet;

/// Largest packet payload accepted or produced (the 32-bit length prefix excluded).
pub const MAX_PACKET: usize = 512 * 1024;
/// Deepest section nesting accepted or produced (the message itself is depth 0).
pub const MAX_DEPTH: usize = 16;
