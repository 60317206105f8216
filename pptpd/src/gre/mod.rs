//! Enhanced GRE (RFC 2637 §4): packet view and the per-call channel.

mod channel;
mod packet;
mod reorder;
mod types;

pub use channel::{
    carries_control, GreChannel, ACK_BURST, ACK_DELAY, ACK_PACKET_LEN, ACK_TIMEOUT, MAX_FRAME,
    MAX_PACKET_LEN, MAX_WAITING,
};
pub use packet::{
    gre_call_id, GreError, GrePacket, GreRepr, GRE_BASE_LEN, GRE_MAX_HEADER_LEN, GRE_PROTOCOL_PPP,
    GRE_VERSION,
};
pub use reorder::{MAX_BUFFERED_FRAME, MAX_SKIP, REORDER_TIMEOUT, REORDER_WINDOW, RESYNC_RUN};
pub use types::{GreDrop, GreReceive, GreStats, SendError};
