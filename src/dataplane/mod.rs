//! The data plane: one shared TUN device for every session, and the map from a client's
//! address to its session.

pub mod host_route;
pub mod iproute;
mod routes;
mod session_map;
mod tun_device;

pub use session_map::SessionMap;
pub use tun_device::{SharedTun, TunWriter};
