//! Sans-IO PPTP (RFC 2637): the control connection over TCP and enhanced GRE for the data.
//!
//! Nothing here touches sockets or clocks: time comes in as `now: Instant` arguments and
//! outputs are polled. Both cores have the same surface: inputs `handle_*(now, ..)`
//! (`ControlConnection::handle_bytes`, `GreChannel::handle_packet`, `GreChannel::send_frame`),
//! `poll_transmit(now, buf)` writing the next message or packet into a caller-owned buffer,
//! `poll_event` (control) / `poll_frame` (GRE: received frames the reorder buffer released),
//! `poll_timeout` and `handle_timeout(now)`.

#![warn(missing_docs)]

pub mod control;
pub mod gre;
mod wire;

pub use control::{
    BadControlInput, CallRequest, ControlConfig, ControlConnection, ControlEvent, ControlStats,
    MessageType, Role, MAX_MESSAGE_LEN,
};
pub use gre::{carries_control, gre_call_id, GreChannel, GreDrop, GrePacket, GreReceive};
