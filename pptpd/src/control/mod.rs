//! PPTP control connection (RFC 2637 §2–3): message codec and the connection state machine.

mod call_handling;
mod calls;
mod codec;
pub mod codes;
mod config;
mod connection;
mod dispatch;
mod framer;
pub mod header;
pub mod message;
pub mod msg_call;
pub mod msg_conn;
mod stats;
#[cfg(test)]
mod testutil;

pub use config::{CallRequest, ControlConfig, ControlEvent, Role};
pub use connection::{ControlConnection, STOP_REPLY_TIMEOUT};
pub use header::{ControlPacket, Error, MessageType, MAX_MESSAGE_LEN};
pub use message::Message;
pub use stats::{BadControlInput, ControlStats};
