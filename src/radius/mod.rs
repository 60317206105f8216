//! RADIUS in the daemon: the tokio driver of the `radius` crate's client core, logins through
//! it, and the dynamic authorization server (Disconnect-Request).

pub mod auth;
pub mod dae_listener;
pub mod driver;
pub mod reply;
