//! L2TP transport: the UDP listener and demultiplexer, one task per tunnel, and the sessions'
//! carrier.

pub mod carrier;
pub mod mark_io;
pub mod path;
pub mod peer_policy;
mod proxy;
pub mod sa_watch;
pub mod server;
pub mod setup_limit;
pub mod socket;
mod tunnel_task;
