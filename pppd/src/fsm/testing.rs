//! Test support: the automaton's outputs with each packet in a buffer of its own, easy to
//! compare and to feed to another automaton.

use super::{Action, Fsm, Negotiator};

/// One output of [`Fsm::poll_action`], owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Out {
    /// A control packet.
    Send(Vec<u8>),
    /// This-Layer-Up.
    Up,
    /// This-Layer-Down.
    Down,
    /// This-Layer-Started.
    Started,
    /// This-Layer-Finished.
    Finished,
}

impl<N: Negotiator> Fsm<N> {
    /// The next output, owned.
    pub(crate) fn poll_out(&mut self) -> Option<Out> {
        let mut packet = Vec::new();
        Some(match self.poll_action(|p| packet.extend_from_slice(p))? {
            Action::Send => Out::Send(packet),
            Action::Up => Out::Up,
            Action::Down => Out::Down,
            Action::Started => Out::Started,
            Action::Finished => Out::Finished,
        })
    }
}
