//! RADIUS in the daemon: the tokio driver of the `radius` crate's client core, and logins
//! through it.

pub mod auth;
pub mod driver;
pub mod reply;
