//! The calls of one control connection, found by our call id, the peer's call id or a token.

/// Where a call stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallState {
    /// Server: the peer asked; waiting for `accept_call` / `refuse_call`.
    Requested {
        token: u32,
        incoming: bool,
        connect_speed: u32,
    },
    /// Server: incoming call accepted (ICRP sent), waiting for Incoming-Call-Connected.
    WaitConnected,
    /// Client: placed before the control connection was up; OCRQ not sent yet.
    Queued,
    /// Client: OCRQ sent, waiting for OCRP.
    Dialing,
    /// GRE may flow.
    Established,
    /// Client: Call-Clear-Request sent, waiting for Call-Disconnect-Notify.
    Clearing,
}

/// One call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Call {
    /// Our call id (None while a server-side request is unanswered).
    pub call_id: Option<u16>,
    /// The peer's call id (None while a client-side call is dialing).
    pub peer_call_id: Option<u16>,
    /// The peer's GRE receive window.
    pub peer_window: u16,
    pub state: CallState,
}

/// The call table, bounded by `max` active calls (calls being cleared do not count, and the
/// oldest of them is forgotten when room is needed).
pub(crate) struct Calls {
    list: Vec<Call>,
    max: usize,
}

impl Calls {
    pub(crate) fn new(max: u16) -> Self {
        Calls {
            list: Vec::new(),
            max: usize::from(max),
        }
    }

    fn active(&self) -> usize {
        self.list
            .iter()
            .filter(|c| c.state != CallState::Clearing)
            .count()
    }

    /// True when no further call may be added.
    pub(crate) fn is_full(&self) -> bool {
        self.active() >= self.max
    }

    /// Adds a call (the caller checked `is_full`).
    pub(crate) fn push(&mut self, call: Call) {
        if self.list.len() >= self.max {
            if let Some(i) = self
                .list
                .iter()
                .position(|c| c.state == CallState::Clearing)
            {
                self.list.remove(i);
            }
        }
        self.list.push(call);
    }

    /// Index of the call with our call id.
    pub(crate) fn by_id(&self, call_id: u16) -> Option<usize> {
        self.list.iter().position(|c| c.call_id == Some(call_id))
    }

    /// Index of the call with the peer's call id.
    pub(crate) fn by_peer_id(&self, peer_call_id: u16) -> Option<usize> {
        self.list
            .iter()
            .position(|c| c.peer_call_id == Some(peer_call_id))
    }

    /// Index of the unanswered request with this token.
    pub(crate) fn by_token(&self, token: u32) -> Option<usize> {
        self.list
            .iter()
            .position(|c| matches!(c.state, CallState::Requested { token: t, .. } if t == token))
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut Call> {
        self.list.get_mut(index)
    }

    pub(crate) fn remove(&mut self, index: usize) -> Option<Call> {
        (index < self.list.len()).then(|| self.list.remove(index))
    }

    /// Our ids of the calls still waiting for the control connection to come up.
    pub(crate) fn queued(&self) -> Vec<u16> {
        self.list
            .iter()
            .filter(|c| c.state == CallState::Queued)
            .filter_map(|c| c.call_id)
            .collect()
    }

    pub(crate) fn clear(&mut self) {
        self.list.clear();
    }
}

#[cfg(test)]
mod tests;
