//! `rasd dial`: a PPTP client made of the project's own peer-role engines, with its own TUN
//! device. Used by the end-to-end tests and as a load generator.

mod client_tun;
mod pptp_client;

pub use pptp_client::{dial_pptp, DialOptions};
