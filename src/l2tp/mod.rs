//! L2TP transport: the UDP listener and demultiplexer, one task per tunnel, and the sessions'
//! carrier.

pub mod carrier;
pub mod server;
mod tunnel_task;
