//! `rasd dial`: PPTP and L2TP clients made of the project's own peer-role engines, with its own TUN
//! device. Used by the end-to-end tests and as a load generator.

mod client_tun;
mod l2tp_client;
mod l2tp_sessions;
mod lac_proxy;
mod ppp_client;
mod pptp_client;

pub use l2tp_client::dial_l2tp;
pub use ppp_client::DialOptions;
pub use pptp_client::dial_pptp;
