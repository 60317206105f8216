//! Control messages (RFC 2661 §3.2, §6): types, parsing, emission and required AVPs.

mod accessors;
mod control;
mod error;
mod kind;
mod required;

pub use control::ControlMessage;
pub use error::{MessageError, Teardown, TeardownScope};
pub use kind::MessageType;
