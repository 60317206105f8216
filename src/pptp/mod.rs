//! PPTP transport: the control-connection driver, the GRE socket and the calls' carrier.

pub mod carrier;
pub mod control_task;
pub mod gre_input;
mod gre_share;
pub mod gre_socket;
pub mod server;
