//! Sans-IO L2TPv2 (RFC 2661): the header, AVPs (hidden ones included), control messages, the
//! reliable control channel, the tunnel and session state machines (LNS and LAC roles) and the
//! data channel. Knows nothing of PPP or of sockets.

#![warn(missing_docs)]

pub mod avp;
pub mod data;
pub mod header;
pub mod message;
pub mod reliable;
pub mod tunnel;
mod wire;
