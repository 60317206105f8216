//! The eight VICI packet types.

use super::Message;

pub(super) const CMD_REQUEST: u8 = 0;
pub(super) const CMD_RESPONSE: u8 = 1;
pub(super) const CMD_UNKNOWN: u8 = 2;
pub(super) const EVENT_REGISTER: u8 = 3;
pub(super) const EVENT_UNREGISTER: u8 = 4;
pub(super) const EVENT_CONFIRM: u8 = 5;
pub(super) const EVENT_UNKNOWN: u8 = 6;
pub(super) const EVENT: u8 = 7;

pub(super) const SECTION_START: u8 = 1;
pub(super) const SECTION_END: u8 = 2;
pub(super) const KEY_VALUE: u8 = 3;
pub(super) const LIST_START: u8 = 4;
pub(super) const LIST_ITEM: u8 = 5;
pub(super) const LIST_END: u8 = 6;

/// One VICI packet, without its length prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Packet {
    /// A named command from the client.
    CmdRequest {
        /// Command name, e.g. `load-conn`.
        name: String,
        /// Command arguments.
        msg: Message,
    },
    /// Charon's answer to a command.
    CmdResponse(Message),
    /// Charon does not know the command.
    CmdUnknown,
    /// The client asks for a named event.
    EventRegister(String),
    /// The client no longer wants a named event.
    EventUnregister(String),
    /// Charon confirms a (un)registration.
    EventConfirm,
    /// Charon does not know the event.
    EventUnknown,
    /// A named event from charon.
    Event {
        /// Event name, e.g. `child-updown`.
        name: String,
        /// Event details.
        msg: Message,
    },
}

impl Packet {
    /// A command request named `name`.
    pub fn request(name: &str, msg: Message) -> Self {
        Self::CmdRequest {
            name: name.to_owned(),
            msg,
        }
    }
}
