//! rasd: remote-access concentrator daemon (PPTP/L2TP with PPP). The library holds the
//! pieces the `rasd` binary wires together: configuration, users, address pool,
//! session history and the data-plane helpers.

#![warn(missing_docs)]

pub mod accounting;
pub mod addresses;
pub mod bad_input;
pub mod bench;
pub mod check_config;
pub mod cli_user;
pub mod client_choice;
pub mod config;
pub mod daemon;
pub mod dataplane;
pub mod dial;
pub mod fd_limit;
pub mod grant;
pub mod history;
pub mod ip_packet;
pub mod ipsec;
pub mod l2tp;
pub mod link;
pub mod login;
pub mod memory_trim;
pub mod mss;
pub mod per_core;
pub mod pool;
pub mod pptp;
pub mod priority_send;
pub mod radius;
pub mod scratch;
pub mod session_limits;
pub mod session_summary;
pub mod session_task;
pub mod settings;
pub mod shared;
pub mod users;
