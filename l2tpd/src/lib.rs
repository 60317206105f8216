//! Sans-IO L2TPv2 (RFC 2661): the header, AVPs (hidden ones included), control messages and
//! the reliable control channel. Knows nothing of PPP or of sockets.

pub mod avp;
pub mod data;
pub mod header;
pub mod message;
pub mod reliable;
