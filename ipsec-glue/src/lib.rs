//! Sans-IO client side of strongSwan charon's VICI protocol: the packet codec, typed requests
//! that load rasd's L2TP/IPsec responder (IKEv1 Main Mode, ESP transport mode protecting
//! UDP 1701, RFC 3193) and typed parsing of the SA listings and events charon sends back.
//! Knows nothing of sockets: the daemon drives a Unix stream and feeds bytes in.

#![warn(missing_docs)]

pub mod commands;
pub mod event;
pub mod ike_log;
pub mod l2tp_conn;
pub mod sa;
pub mod vici;
