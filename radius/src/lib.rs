//! Sans-IO RADIUS: the wire codec (RFC 2865, 2866, 5176), a dictionary held as data (RFC 2865,
//! 2866, 2868, 2869, 3162, 5176 and Microsoft's RFC 2548 attributes), the protocol's
//! cryptography, the Access-Request attributes for each PPP authentication protocol, and the
//! client core that the daemon's tokio driver feeds with datagrams and time. No sockets, no
//! clock, no tasks.

#![warn(missing_docs)]

pub mod attr;
pub mod client;
pub mod crypto;
pub mod dae;
pub mod dict;
pub mod login;
mod secret;
pub mod wire;

pub use client::{Client, Config, Event, Purpose, Request, RequestId, ServerConfig, Transmit};
pub use secret::Secret;
