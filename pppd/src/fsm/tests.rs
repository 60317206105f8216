//! Transition-table tests of the automaton with virtual time and a toy option set:
//! option 1 (one byte, 0 is Nak'ed with 1) and option 9 (always rejected).

use super::testing::Out;
use super::*;
use crate::frame::{build_packet, ControlPacket};

#[derive(Debug, Default)]
struct Toy {
    want: u8,
    resets: u32,
    naked: Vec<u8>,
    rejected: bool,
    acked: u32,
}

impl Negotiator for Toy {
    fn reset(&mut self) {
        self.resets += 1;
        self.want = 7;
        self.rejected = false;
    }
    fn build_request(&mut self, out: &mut Vec<u8>) {
        if !self.rejected {
            push_option(out, 1, &[self.want]);
        }
    }
    fn check_request(&mut self, options: Options<'_>, reply: &mut Reply) {
        for o in options {
            match (o.kind, o.data) {
                (1, [0]) => reply.nak(&o, &[1]),
                (1, [_]) => {}
                _ => reply.reject(&o),
            }
        }
    }
    fn acked(&mut self, _: Options<'_>) {
        self.acked += 1;
    }
    fn naked(&mut self, options: Options<'_>) {
        for o in options {
            if let (1, [v]) = (o.kind, o.data) {
                self.naked.push(*v);
                self.want = *v;
            }
        }
    }
    fn rejected(&mut self, _: Options<'_>) {
        self.rejected = true;
    }
}

struct Harness {
    fsm: Fsm<Toy>,
    now: Instant,
}

impl Harness {
    fn new() -> Self {
        Self {
            fsm: Fsm::new("TOY", Toy::default(), Timers::default()),
            now: Instant::now(),
        }
    }

    /// Open + Up: ReqSent with one Configure-Request out.
    fn started() -> Self {
        let mut h = Self::new();
        h.fsm.open(h.now);
        assert_eq!(h.actions(), vec![Out::Started]);
        h.fsm.up(h.now);
        assert_eq!(h.state(), State::ReqSent);
        let sent = h.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].0, code::CONFIGURE_REQUEST);
        h
    }

    /// Both sides acknowledged: Opened.
    fn opened() -> Self {
        let mut h = Self::started();
        h.ack_ours();
        h.peer(code::CONFIGURE_REQUEST, 50, &[1, 3, 4]);
        assert_eq!(
            h.actions(),
            vec![Out::Send(build_packet(2, 50, &[1, 3, 4])), Out::Up]
        );
        assert_eq!(h.state(), State::Opened);
        h
    }

    fn state(&self) -> State {
        self.fsm.state()
    }

    fn actions(&mut self) -> Vec<Out> {
        std::iter::from_fn(|| self.fsm.poll_out()).collect()
    }

    /// Sent packets as (code, id, data); other actions are dropped.
    fn sent(&mut self) -> Vec<(u8, u8, Vec<u8>)> {
        self.actions()
            .into_iter()
            .filter_map(|a| match a {
                Out::Send(p) => {
                    let v = ControlPacket::new_checked(&p[..]).unwrap();
                    Some((v.code(), v.id(), v.data().to_vec()))
                }
                _ => None,
            })
            .collect()
    }

    fn peer(&mut self, code: u8, id: u8, data: &[u8]) -> Input<'static> {
        let p = build_packet(code, id, data);
        match self.fsm.receive(self.now, &p) {
            Input::Consumed => Input::Consumed,
            Input::Invalid(r) => Input::Invalid(r),
            Input::Extension { .. } => Input::Invalid("extension"),
        }
    }

    fn ack_ours(&mut self) {
        let (id, req) = (self.fsm.req_id, self.fsm.last_request.clone());
        assert_eq!(self.peer(code::CONFIGURE_ACK, id, &req), Input::Consumed);
    }

    fn advance(&mut self, secs: u64) {
        self.now += Duration::from_secs(secs);
        self.fsm.handle_timeout(self.now);
    }
}

#[test]
fn up_before_open_and_open_from_closed() {
    let mut h = Harness::new();
    h.fsm.up(h.now);
    assert_eq!(h.state(), State::Closed);
    assert!(h.actions().is_empty());
    h.fsm.open(h.now);
    assert_eq!(h.state(), State::ReqSent);
    assert_eq!(h.sent(), vec![(1, 1, vec![1, 3, 7])]);
    assert!(h.fsm.deadline().is_some());
}

#[test]
fn our_ack_first_then_theirs_opens() {
    let mut h = Harness::started();
    h.ack_ours();
    assert_eq!(h.state(), State::AckRcvd);
    assert!(
        h.fsm.deadline().is_some(),
        "timer keeps running in Ack-Rcvd"
    );
    h.peer(code::CONFIGURE_REQUEST, 9, &[1, 3, 2]);
    assert_eq!(
        h.actions(),
        vec![Out::Send(build_packet(2, 9, &[1, 3, 2])), Out::Up]
    );
    assert_eq!(h.state(), State::Opened);
    assert_eq!(h.fsm.deadline(), None);
    assert_eq!(h.fsm.handler.acked, 1);
}

#[test]
fn their_request_first_then_our_ack_opens() {
    let mut h = Harness::started();
    h.peer(code::CONFIGURE_REQUEST, 9, &[1, 3, 2]);
    assert_eq!(h.sent(), vec![(2, 9, vec![1, 3, 2])]);
    assert_eq!(h.state(), State::AckSent);
    h.ack_ours();
    assert_eq!(h.actions(), vec![Out::Up]);
    assert_eq!(h.state(), State::Opened);
}

#[test]
fn bad_request_is_naked_then_rejected_after_max_failure() {
    let mut h = Harness::started();
    for i in 0..5 {
        h.peer(code::CONFIGURE_REQUEST, i, &[1, 3, 0]);
        assert_eq!(h.sent(), vec![(code::CONFIGURE_NAK, i, vec![1, 3, 1])]);
        assert_eq!(h.state(), State::ReqSent);
    }
    h.peer(code::CONFIGURE_REQUEST, 5, &[1, 3, 0]);
    assert_eq!(h.sent(), vec![(code::CONFIGURE_REJECT, 5, vec![1, 3, 0])]);
    h.peer(code::CONFIGURE_REQUEST, 6, &[9, 2]);
    assert_eq!(h.sent(), vec![(code::CONFIGURE_REJECT, 6, vec![9, 2])]);
    h.peer(code::CONFIGURE_REQUEST, 7, &[]);
    assert_eq!(h.sent(), vec![(code::CONFIGURE_ACK, 7, vec![])]);
    assert_eq!(h.state(), State::AckSent);
    // An Ack resets the failure counter.
    assert_eq!(h.fsm.naks_sent, 0);
}

#[test]
fn nak_from_peer_changes_request_with_new_id() {
    let mut h = Harness::started();
    let id = h.fsm.req_id;
    assert_eq!(h.peer(code::CONFIGURE_NAK, id, &[1, 3, 4]), Input::Consumed);
    assert_eq!(h.fsm.handler.naked, vec![4]);
    let sent = h.sent();
    assert_eq!(sent, vec![(1, id.wrapping_add(1), vec![1, 3, 4])]);
    // The same Nak again is a duplicate.
    assert!(matches!(
        h.peer(code::CONFIGURE_NAK, id, &[1, 3, 5]),
        Input::Invalid(_)
    ));
    assert_eq!(h.fsm.handler.naked, vec![4]);
}

#[test]
fn endless_naks_are_treated_as_rejects() {
    let mut h = Harness::started();
    for _ in 0..5 {
        let id = h.fsm.req_id;
        h.peer(code::CONFIGURE_NAK, id, &[1, 3, 4]);
        assert!(!h.fsm.handler.rejected);
    }
    let id = h.fsm.req_id;
    h.peer(code::CONFIGURE_NAK, id, &[1, 3, 4]);
    assert!(h.fsm.handler.rejected);
}

#[test]
fn reject_from_peer_must_be_subset() {
    let mut h = Harness::started();
    let id = h.fsm.req_id;
    assert!(matches!(
        h.peer(code::CONFIGURE_REJECT, id, &[1, 3, 8]),
        Input::Invalid(_)
    ));
    assert!(!h.fsm.handler.rejected);
    assert_eq!(
        h.peer(code::CONFIGURE_REJECT, id, &[1, 3, 7]),
        Input::Consumed
    );
    assert!(h.fsm.handler.rejected);
    assert_eq!(h.sent(), vec![(1, id.wrapping_add(1), vec![])]);
}

#[test]
fn ack_with_wrong_id_or_content_is_dropped() {
    let mut h = Harness::started();
    let id = h.fsm.req_id;
    assert!(matches!(
        h.peer(code::CONFIGURE_ACK, id.wrapping_add(3), &[1, 3, 7]),
        Input::Invalid(_)
    ));
    assert!(matches!(
        h.peer(code::CONFIGURE_ACK, id, &[1, 3, 6]),
        Input::Invalid(_)
    ));
    assert_eq!(h.state(), State::ReqSent);
    h.ack_ours();
    assert_eq!(h.state(), State::AckRcvd);
    // Duplicate Ack in Ack-Rcvd is ignored, not a crossed connection.
    assert!(matches!(
        h.peer(code::CONFIGURE_ACK, id, &[1, 3, 7]),
        Input::Invalid(_)
    ));
    assert_eq!(h.state(), State::AckRcvd);
}

#[test]
fn max_configure_gives_up() {
    let mut h = Harness::started();
    let first = h.fsm.deadline().unwrap();
    assert_eq!(first, h.now + Duration::from_secs(3));
    h.now += Duration::from_secs(2);
    h.fsm.handle_timeout(h.now);
    assert!(h.actions().is_empty(), "not due yet");
    h.now -= Duration::from_secs(2);
    let mut sent = 1;
    for _ in 0..9 {
        h.advance(3);
        let s = h.sent();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, code::CONFIGURE_REQUEST);
        sent += 1;
    }
    assert_eq!(sent, 10);
    h.advance(3);
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Stopped);
    assert_eq!(h.fsm.deadline(), None);
    assert!(h.fsm.take_cause().unwrap().contains("timed out"));
}

#[test]
fn retransmission_keeps_id_and_ack_rcvd_falls_back() {
    let mut h = Harness::started();
    let id = h.fsm.req_id;
    h.ack_ours();
    h.advance(3);
    assert_eq!(h.sent(), vec![(1, id, vec![1, 3, 7])]);
    assert_eq!(h.state(), State::ReqSent);
    h.ack_ours();
    assert_eq!(h.state(), State::AckRcvd);
}

#[test]
fn stopped_restarts_on_peer_request() {
    let mut h = Harness::started();
    for _ in 0..10 {
        h.advance(3);
    }
    assert_eq!(h.state(), State::Stopped);
    h.actions();
    h.peer(code::CONFIGURE_REQUEST, 3, &[1, 3, 9]);
    let s = h.sent();
    assert_eq!(s[0].0, code::CONFIGURE_REQUEST);
    assert_eq!(s[1], (code::CONFIGURE_ACK, 3, vec![1, 3, 9]));
    assert_eq!(h.state(), State::AckSent);
    assert_eq!(h.fsm.handler.resets, 2);
}

#[test]
fn close_from_opened_sends_terminate_and_finishes_on_ack() {
    let mut h = Harness::opened();
    h.fsm.close(h.now, "admin");
    let a = h.actions();
    assert_eq!(a[0], Out::Down);
    let Out::Send(p) = &a[1] else { panic!() };
    let p = ControlPacket::new_checked(&p[..]).unwrap();
    assert_eq!(
        (p.code(), p.data()),
        (code::TERMINATE_REQUEST, &b"admin"[..])
    );
    assert_eq!(h.state(), State::Closing);
    h.peer(code::TERMINATE_ACK, p.id(), &[]);
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Closed);
    assert_eq!(h.fsm.take_cause().as_deref(), Some("admin"));
}

#[test]
fn close_without_answer_times_out_after_max_terminate() {
    let mut h = Harness::opened();
    h.fsm.close(h.now, "bye");
    assert_eq!(h.sent().len(), 1);
    h.advance(3);
    assert_eq!(h.sent()[0].0, code::TERMINATE_REQUEST);
    h.advance(3);
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Closed);
}

#[test]
fn close_while_negotiating_and_in_closed_states() {
    let mut h = Harness::started();
    h.fsm.close(h.now, "x");
    assert_eq!(h.sent()[0].0, code::TERMINATE_REQUEST);
    assert_eq!(h.state(), State::Closing);
    // Configure-Request while Closing: ignored.
    h.peer(code::CONFIGURE_REQUEST, 1, &[]);
    assert!(h.actions().is_empty());
    // Open while Closing → Stopping; Down → Starting.
    h.fsm.open(h.now);
    assert_eq!(h.state(), State::Stopping);
    h.fsm.down();
    assert_eq!(h.state(), State::Starting);
    h.fsm.close(h.now, "y");
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Initial);
}

#[test]
fn peer_terminate_in_opened() {
    let mut h = Harness::opened();
    h.peer(code::TERMINATE_REQUEST, 77, b"bye");
    assert_eq!(
        h.actions(),
        vec![Out::Down, Out::Send(build_packet(6, 77, &[]))]
    );
    assert_eq!(h.state(), State::Stopping);
    assert!(h.fsm.take_cause().unwrap().contains("bye"));
    h.advance(3);
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Stopped);
}

#[test]
fn terminate_request_while_negotiating_and_closed() {
    let mut h = Harness::started();
    h.ack_ours();
    h.peer(code::TERMINATE_REQUEST, 4, &[]);
    assert_eq!(h.sent(), vec![(code::TERMINATE_ACK, 4, vec![])]);
    assert_eq!(h.state(), State::ReqSent);
    let mut c = Harness::new();
    c.fsm.up(c.now);
    c.peer(code::CONFIGURE_REQUEST, 2, &[]);
    assert_eq!(c.sent(), vec![(code::TERMINATE_ACK, 2, vec![])]);
    c.peer(code::CONFIGURE_ACK, 3, &[]);
    assert_eq!(c.sent(), vec![(code::TERMINATE_ACK, 3, vec![])]);
    assert_eq!(c.state(), State::Closed);
}

#[test]
fn renegotiation_from_opened() {
    let mut h = Harness::opened();
    let resets = h.fsm.handler.resets;
    h.peer(code::CONFIGURE_REQUEST, 60, &[1, 3, 5]);
    let a = h.actions();
    assert_eq!(a[0], Out::Down);
    assert_eq!(a[2], Out::Send(build_packet(2, 60, &[1, 3, 5])));
    assert_eq!(h.state(), State::AckSent);
    assert_eq!(h.fsm.handler.resets, resets + 1);
    h.ack_ours();
    assert_eq!(h.actions(), vec![Out::Up]);
}

#[test]
fn terminate_ack_in_opened_renegotiates() {
    let mut h = Harness::opened();
    h.peer(code::TERMINATE_ACK, 1, &[]);
    let a = h.actions();
    assert_eq!(a[0], Out::Down);
    assert_eq!(h.state(), State::ReqSent);
}

#[test]
fn lower_down_and_up_again() {
    let mut h = Harness::opened();
    h.fsm.down();
    assert_eq!(h.actions(), vec![Out::Down]);
    assert_eq!(h.state(), State::Starting);
    assert!(matches!(
        h.peer(code::CONFIGURE_REQUEST, 1, &[]),
        Input::Invalid(_)
    ));
    h.fsm.up(h.now);
    assert_eq!(h.sent()[0].0, code::CONFIGURE_REQUEST);
    assert_eq!(h.state(), State::ReqSent);
}

#[test]
fn unknown_code_and_code_reject() {
    let mut h = Harness::opened();
    let p = build_packet(42, 5, &[1, 2]);
    assert_eq!(
        h.fsm.receive(h.now, &p),
        Input::Extension {
            code: 42,
            id: 5,
            data: &[1, 2]
        }
    );
    h.fsm.reject_code(&p);
    let s = h.sent();
    assert_eq!((s[0].0, &s[0].2), (code::CODE_REJECT, &p));
    // Code-Reject of an extension code: RXJ+, nothing changes.
    h.peer(code::CODE_REJECT, 1, &[9, 1, 0, 4]);
    assert_eq!(h.state(), State::Opened);
    assert!(h.actions().is_empty());
    // Code-Reject of Configure-Request: RXJ-, tld + Terminate-Request, Stopping.
    h.peer(code::CODE_REJECT, 2, &[1, 1, 0, 4]);
    let a = h.actions();
    assert_eq!(a[0], Out::Down);
    assert_eq!(h.state(), State::Stopping);
}

#[test]
fn catastrophic_reject_while_negotiating_finishes() {
    let mut h = Harness::started();
    h.fsm.receive_reject(h.now, true);
    assert_eq!(h.actions(), vec![Out::Finished]);
    assert_eq!(h.state(), State::Stopped);
    let mut h = Harness::started();
    h.ack_ours();
    h.fsm.receive_reject(h.now, false);
    assert_eq!(h.state(), State::ReqSent);
}

#[test]
fn garbage_is_invalid() {
    let mut h = Harness::started();
    assert!(matches!(
        h.fsm.receive(h.now, &[1, 2, 0]),
        Input::Invalid(_)
    ));
    assert!(matches!(
        h.fsm.receive(h.now, &[1, 2, 0, 8, 1, 1]),
        Input::Invalid(_)
    ));
    assert!(matches!(
        h.peer(code::CONFIGURE_REQUEST, 1, &[1, 9, 0]),
        Input::Invalid(_)
    ));
    assert!(h.actions().is_empty());
}
