//! Enhanced GRE (RFC 2637 §4): packet view and the per-call channel.

mod channel;
mod packet;
mod reorder;

pub use channel::{
    GreChannel, GreReceive, GreStats, ACK_BURST, ACK_DELAY, ACK_PACKET_LEN, ACK_TIMEOUT,
};
pub use packet::{
    gre_call_id, GreError, GrePacket, GreRepr, GRE_BASE_LEN, GRE_MAX_HEADER_LEN, GRE_PROTOCOL_PPP,
    GRE_VERSION,
};
pub use reorder::{MAX_BUFFERED_FRAME, REORDER_TIMEOUT, REORDER_WINDOW};
