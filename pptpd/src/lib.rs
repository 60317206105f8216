//! Sans-IO PPTP (RFC 2637): the control connection over TCP and enhanced GRE for the data.
//!
//! Nothing here touches sockets or clocks: time comes in as `now: Instant` arguments and
//! outputs are polled (`poll_transmit`, `poll_event`, `poll_timeout`).

#![warn(missing_docs)]

pub mod control;
pub mod gre;
mod wire;

pub use control::{
    BadControlInput, CallRequest, ControlConfig, ControlConnection, ControlEvent, ControlStats,
    MessageType, Role, MAX_MESSAGE_LEN,
};
pub use gre::{gre_call_id, GreChannel, GreDrop, GrePacket, GreReceive};
