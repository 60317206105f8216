//! Reception of the common codes: Configure-Request/Ack/Nak/Reject and Terminate-Request/Ack
//! (events RCR+, RCR-, RCA, RCN, RTR, RTA of RFC 1661 §4.1).

use std::time::Instant;

use super::{code, push_option, Fsm, Input, Negotiator, Options, Reply, State};

impl<N: Negotiator> Fsm<N> {
    pub(super) fn rcv_configure_request(
        &mut self,
        now: Instant,
        id: u8,
        data: &[u8],
    ) -> Input<'static> {
        match self.state {
            State::Closed => {
                self.sta(id);
                return Input::Consumed;
            }
            State::Closing | State::Stopping => return Input::Consumed,
            _ => {}
        }
        let Some(opts) = Options::new_checked(data) else {
            return Input::Invalid("malformed options in Configure-Request");
        };
        let mut reply = Reply::new(self.naks_sent >= self.timers.max_failure);
        self.handler.check_request(opts, &mut reply);
        let (reply_code, body) = reply.finish(data);
        let good = reply_code == code::CONFIGURE_ACK;
        let next = match (self.state, good) {
            (State::Stopped, _) => {
                self.irc(false);
                self.scr(now);
                if good {
                    State::AckSent
                } else {
                    State::ReqSent
                }
            }
            (State::ReqSent, true) | (State::AckSent, true) => State::AckSent,
            (State::ReqSent, false) | (State::AckSent, false) => State::ReqSent,
            (State::AckRcvd, true) => State::Opened,
            (State::AckRcvd, false) => State::AckRcvd,
            (State::Opened, _) => {
                self.tld();
                self.scr(now);
                if good {
                    State::AckSent
                } else {
                    State::ReqSent
                }
            }
            _ => return Input::Consumed,
        };
        self.send(reply_code, id, &body);
        if good {
            self.naks_sent = 0;
        } else if reply_code == code::CONFIGURE_NAK {
            self.naks_sent += 1;
        }
        if next == State::Opened {
            self.tlu();
        }
        self.set_state(next);
        Input::Consumed
    }

    pub(super) fn rcv_configure_ack(
        &mut self,
        now: Instant,
        id: u8,
        data: &[u8],
    ) -> Input<'static> {
        match self.state {
            State::Closed | State::Stopped => {
                self.sta(id);
                return Input::Consumed;
            }
            State::Closing | State::Stopping => return Input::Consumed,
            _ => {}
        }
        if id != self.req_id || self.answered {
            return Input::Invalid("Configure-Ack with unexpected identifier");
        }
        if data != self.last_request.as_slice() {
            return Input::Invalid("Configure-Ack options differ from our request");
        }
        self.answered = true;
        // Equal to our own request, which we built well-formed.
        if let Some(opts) = Options::new_checked(data) {
            self.handler.acked(opts);
        }
        match self.state {
            State::ReqSent => {
                self.irc(false);
                self.set_state(State::AckRcvd);
            }
            State::AckRcvd => {
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            State::AckSent => {
                self.irc(false);
                self.tlu();
                self.set_state(State::Opened);
            }
            State::Opened => {
                self.tld();
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            _ => {}
        }
        Input::Consumed
    }

    pub(super) fn rcv_configure_nak_rej(
        &mut self,
        now: Instant,
        reply_code: u8,
        id: u8,
        data: &[u8],
    ) -> Input<'static> {
        match self.state {
            State::Closed | State::Stopped => {
                self.sta(id);
                return Input::Consumed;
            }
            State::Closing | State::Stopping => return Input::Consumed,
            _ => {}
        }
        if id != self.req_id || self.answered {
            return Input::Invalid("Configure-Nak/Reject with unexpected identifier");
        }
        let Some(opts) = Options::new_checked(data) else {
            return Input::Invalid("malformed options in Configure-Nak/Reject");
        };
        let ours = Options::new_checked(&self.last_request).unwrap_or(Options::EMPTY);
        if reply_code == code::CONFIGURE_REJECT {
            if !opts.iter().all(|o| ours.contains(&o)) {
                return Input::Invalid("Configure-Reject lists options we did not send");
            }
            self.handler.rejected(opts);
        } else {
            self.naks_received += 1;
            if self.naks_received > self.timers.max_failure {
                tracing::info!(fsm = self.name, "peer keeps Nak'ing: treating as Reject");
                let mut rejected = Vec::new();
                for o in ours
                    .iter()
                    .filter(|o| opts.iter().any(|n| n.kind == o.kind))
                {
                    push_option(&mut rejected, o.kind, o.data);
                }
                let rejected = Options::new_checked(&rejected).unwrap_or(Options::EMPTY);
                self.handler.rejected(rejected);
            } else {
                self.handler.naked(opts);
            }
        }
        self.answered = true;
        match self.state {
            State::ReqSent => {
                self.irc(false);
                self.scr(now);
            }
            State::AckRcvd => {
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            State::AckSent => {
                self.irc(false);
                self.scr(now);
            }
            State::Opened => {
                self.tld();
                self.scr(now);
                self.set_state(State::ReqSent);
            }
            _ => {}
        }
        Input::Consumed
    }

    pub(super) fn rcv_terminate_request(&mut self, now: Instant, id: u8, data: &[u8]) {
        let text = String::from_utf8_lossy(&data[..data.len().min(64)]);
        tracing::debug!(fsm = self.name, reason = %text, "peer sent Terminate-Request");
        match self.state {
            State::ReqSent | State::AckRcvd | State::AckSent => {
                self.sta(id);
                self.set_state(State::ReqSent);
            }
            State::Opened => {
                self.cause = Some(if text.is_empty() {
                    "peer terminated the link".to_string()
                } else {
                    format!("peer terminated the link: {text}")
                });
                self.tld();
                self.restart_count = 0;
                self.deadline = Some(now + self.timers.restart);
                self.sta(id);
                self.set_state(State::Stopping);
            }
            _ => self.sta(id),
        }
    }

    pub(super) fn rcv_terminate_ack(&mut self, now: Instant) {
        let next = match self.state {
            State::Closing => State::Closed,
            State::Stopping => State::Stopped,
            State::AckRcvd => {
                self.set_state(State::ReqSent);
                return;
            }
            State::Opened => {
                self.tld();
                self.scr(now);
                self.set_state(State::ReqSent);
                return;
            }
            _ => return,
        };
        self.tlf();
        self.set_state(next);
    }
}
