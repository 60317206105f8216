//! Call messages (OCRQ/OCRP, ICRQ/ICRP/ICCN, CCRQ, CDN, SLI, WEN) and the answers to call
//! requests.

use std::time::Instant;

use tracing::{debug, info, warn};

use super::calls::{Call, CallState};
use super::codes::*;
use super::config::{CallRequest, ControlEvent};
use super::connection::{ControlConnection, State};
use super::message::Message;
use super::msg_call::{Ccrq, Cdn, Iccn, Icrp, Icrq, Ocrp, Ocrq, Sli, Wen};

/// Connect speed reported when the peer's OCRQ gives no maximum.
const DEFAULT_CONNECT_SPEED: u32 = 100_000_000;

/// What OCRQ and ICRQ have in common.
pub(crate) struct PeerCallRequest {
    peer_call_id: u16,
    peer_window: u16,
    incoming: bool,
    connect_speed: u32,
}

impl From<Ocrq> for PeerCallRequest {
    fn from(m: Ocrq) -> Self {
        PeerCallRequest {
            peer_call_id: m.call_id,
            peer_window: m.recv_window,
            incoming: false,
            connect_speed: if m.max_bps == 0 {
                DEFAULT_CONNECT_SPEED
            } else {
                m.max_bps
            },
        }
    }
}

impl From<Icrq> for PeerCallRequest {
    fn from(m: Icrq) -> Self {
        PeerCallRequest {
            peer_call_id: m.call_id,
            peer_window: 0,
            incoming: true,
            connect_speed: DEFAULT_CONNECT_SPEED,
        }
    }
}

impl ControlConnection {
    /// Server: OCRQ/ICRQ → CallRequested, or an immediate refusal.
    pub(crate) fn on_call_request(&mut self, req: PeerCallRequest) {
        let refusal = if self.calls.is_full() {
            self.stats.calls_refused += 1;
            Some((
                ERROR_NO_RESOURCE,
                "too many calls on this control connection",
            ))
        } else if self.calls.by_peer_id(req.peer_call_id).is_some() {
            self.stats.unexpected += 1;
            Some((ERROR_BAD_VALUE, "peer call id already in use"))
        } else {
            None
        };
        if let Some((error_code, reason)) = refusal {
            warn!(peer_call_id = req.peer_call_id, reason, "call refused");
            self.send_call_refusal(req.incoming, req.peer_call_id, error_code);
            return;
        }
        let token = self.new_token();
        self.calls.push(Call {
            call_id: None,
            peer_call_id: Some(req.peer_call_id),
            peer_window: req.peer_window,
            state: CallState::Requested {
                token,
                incoming: req.incoming,
                connect_speed: req.connect_speed,
            },
        });
        self.events
            .push_back(ControlEvent::CallRequested(CallRequest {
                token,
                peer_call_id: req.peer_call_id,
                peer_recv_window: req.peer_window,
                incoming: req.incoming,
            }));
    }

    fn send_call_refusal(&mut self, incoming: bool, peer_call_id: u16, error_code: u8) {
        let msg = if incoming {
            Message::Icrp(Icrp {
                call_id: 0,
                peer_call_id,
                result_code: ICRP_GENERAL_ERROR,
                error_code,
                recv_window: self.cfg.recv_window,
                processing_delay: 0,
            })
        } else {
            Message::Ocrp(Ocrp {
                call_id: 0,
                peer_call_id,
                result_code: OCRP_GENERAL_ERROR,
                error_code,
                recv_window: self.cfg.recv_window,
                ..Ocrp::default()
            })
        };
        self.send(msg);
    }

    /// Client: a call request from the server side is not something we take.
    pub(crate) fn refuse_unsolicited(&mut self, msg: Message) {
        self.stats.unexpected += 1;
        warn!(
            kind = msg.kind().name(),
            "call request refused in client role"
        );
        let reply = match msg {
            Message::Icrq(req) => Message::Icrp(Icrp {
                peer_call_id: req.call_id,
                result_code: ICRP_DO_NOT_ACCEPT,
                ..Icrp::default()
            }),
            Message::Ocrq(req) => Message::Ocrp(Ocrp {
                peer_call_id: req.call_id,
                result_code: OCRP_DO_NOT_ACCEPT,
                ..Ocrp::default()
            }),
            _ => return,
        };
        self.send(reply);
    }

    /// Server: the driver's answer to `CallRequested`.
    pub(crate) fn answer_call(&mut self, _now: Instant, token: u32, answer: Result<u16, &str>) {
        if self.state != State::Established {
            debug!(token, "call answer after the control connection ended");
            return;
        }
        let Some(index) = self.calls.by_token(token) else {
            if let Ok(call_id) = answer {
                self.events.push_back(ControlEvent::CallCleared {
                    call_id,
                    reason: "call request withdrawn by the peer".into(),
                });
            }
            return;
        };
        let Some(call) = self.calls.get_mut(index).copied() else {
            return;
        };
        let (
            CallState::Requested {
                incoming,
                connect_speed,
                ..
            },
            Some(peer_call_id),
        ) = (call.state, call.peer_call_id)
        else {
            return;
        };
        let call_id = match answer {
            Ok(call_id) if self.calls.by_id(call_id).is_none() => call_id,
            Ok(call_id) => {
                // A driver bug; the call that owns the id stays untouched.
                warn!(
                    call_id,
                    "accept_call with a call id already in use: refused"
                );
                self.calls.remove(index);
                self.send_call_refusal(incoming, peer_call_id, ERROR_BAD_CALL_ID);
                return;
            }
            Err(reason) => {
                info!(peer_call_id, reason, "call refused");
                self.calls.remove(index);
                self.send_call_refusal(incoming, peer_call_id, ERROR_NO_RESOURCE);
                return;
            }
        };
        let recv_window = self.cfg.recv_window;
        let msg = if incoming {
            Message::Icrp(Icrp {
                call_id,
                peer_call_id,
                result_code: ICRP_CONNECT,
                error_code: ERROR_NONE,
                recv_window,
                processing_delay: 0,
            })
        } else {
            Message::Ocrp(Ocrp {
                call_id,
                peer_call_id,
                result_code: OCRP_CONNECTED,
                error_code: ERROR_NONE,
                cause_code: 0,
                connect_speed,
                recv_window,
                processing_delay: 0,
                physical_channel_id: 0,
            })
        };
        if let Some(call) = self.calls.get_mut(index) {
            call.call_id = Some(call_id);
            call.state = if incoming {
                CallState::WaitConnected
            } else {
                CallState::Established
            };
        }
        info!(call_id, peer_call_id, incoming, "call accepted");
        self.send(msg);
    }

    /// Server: the incoming call is connected.
    pub(crate) fn on_iccn(&mut self, msg: Iccn) {
        let index = self.calls.by_id(msg.peer_call_id);
        let Some(call) = index.and_then(|i| self.calls.get_mut(i)) else {
            self.stats.unknown_call += 1;
            debug!(call_id = msg.peer_call_id, "ICCN for an unknown call");
            return;
        };
        if call.state != CallState::WaitConnected {
            self.stats.unexpected += 1;
            return;
        }
        call.state = CallState::Established;
        call.peer_window = msg.recv_window;
        let event = ControlEvent::CallEstablished {
            call_id: msg.peer_call_id,
            peer_call_id: call.peer_call_id.unwrap_or(0),
            peer_recv_window: msg.recv_window,
        };
        self.events.push_back(event);
    }

    /// Client: the answer to our OCRQ.
    pub(crate) fn on_ocrp(&mut self, msg: Ocrp) {
        let Some(index) = self.calls.by_id(msg.peer_call_id) else {
            self.stats.unknown_call += 1;
            debug!(call_id = msg.peer_call_id, "OCRP for an unknown call");
            return;
        };
        let Some(call) = self.calls.get_mut(index) else {
            return;
        };
        let call_id = msg.peer_call_id;
        match call.state {
            CallState::Dialing if msg.result_code == OCRP_CONNECTED => {
                call.state = CallState::Established;
                call.peer_call_id = Some(msg.call_id);
                call.peer_window = msg.recv_window;
                info!(call_id, peer_call_id = msg.call_id, "call established");
                self.events.push_back(ControlEvent::CallEstablished {
                    call_id,
                    peer_call_id: msg.call_id,
                    peer_recv_window: msg.recv_window,
                });
            }
            CallState::Dialing => {
                self.calls.remove(index);
                self.events.push_back(ControlEvent::CallCleared {
                    call_id,
                    reason: format!(
                        "call refused: {} (error {})",
                        ocrp_result_text(msg.result_code),
                        msg.error_code
                    ),
                });
            }
            // Cleared while dialing: remember the peer's id so its CDN finds the call.
            CallState::Clearing if msg.result_code == OCRP_CONNECTED => {
                call.peer_call_id = Some(msg.call_id);
            }
            CallState::Clearing => {
                self.calls.remove(index);
            }
            _ => self.stats.unexpected += 1,
        }
    }

    /// Call-Clear-Request: the peer ends a call; answer with CDN.
    pub(crate) fn on_ccrq(&mut self, msg: Ccrq) {
        let Some(call) = self
            .calls
            .by_peer_id(msg.call_id)
            .and_then(|i| self.calls.remove(i))
        else {
            self.stats.unknown_call += 1;
            debug!(peer_call_id = msg.call_id, "CCRQ for an unknown call");
            return;
        };
        let Some(call_id) = call.call_id else {
            debug!(peer_call_id = msg.call_id, "call request withdrawn");
            return;
        };
        self.send(Message::Cdn(Cdn {
            call_id,
            result_code: CDN_REQUEST,
            error_code: ERROR_NONE,
            cause_code: 0,
            call_statistics: String::new(),
        }));
        if call.state != CallState::Clearing {
            self.events.push_back(ControlEvent::CallCleared {
                call_id,
                reason: "peer sent Call-Clear-Request".into(),
            });
        }
    }

    /// Call-Disconnect-Notify: the call is gone.
    pub(crate) fn on_cdn(&mut self, msg: Cdn) {
        let Some(call) = self
            .calls
            .by_peer_id(msg.call_id)
            .and_then(|i| self.calls.remove(i))
        else {
            self.stats.unknown_call += 1;
            debug!(peer_call_id = msg.call_id, "CDN for an unknown call");
            return;
        };
        let Some(call_id) = call.call_id else {
            return;
        };
        if call.state != CallState::Clearing {
            let mut reason = format!(
                "peer disconnected the call: {}",
                cdn_result_text(msg.result_code)
            );
            if !msg.call_statistics.is_empty() {
                reason.push_str(&format!(" ({})", msg.call_statistics));
            }
            self.events
                .push_back(ControlEvent::CallCleared { call_id, reason });
        }
    }

    /// Set-Link-Info: ACCMs are irrelevant for PPTP's synchronous framing; accepted, ignored.
    pub(crate) fn on_sli(&mut self, msg: Sli) {
        if self.calls.by_id(msg.peer_call_id).is_none() {
            self.stats.unknown_call += 1;
        }
        debug!(
            call_id = msg.peer_call_id,
            send_accm = msg.send_accm,
            recv_accm = msg.recv_accm,
            "Set-Link-Info ignored"
        );
    }

    /// WAN-Error-Notify: logged.
    pub(crate) fn on_wen(&mut self, msg: Wen) {
        if self.calls.by_id(msg.peer_call_id).is_none() {
            self.stats.unknown_call += 1;
        }
        warn!(
            call_id = msg.peer_call_id,
            crc = msg.crc_errors,
            framing = msg.framing_errors,
            hardware_overruns = msg.hardware_overruns,
            buffer_overruns = msg.buffer_overruns,
            timeouts = msg.timeout_errors,
            alignment = msg.alignment_errors,
            "WAN-Error-Notify"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::Role;
    use super::super::msg_conn::Sccrp;
    use super::super::testutil::*;
    use super::*;

    fn requested(conn: &mut ControlConnection) -> CallRequest {
        match &events(conn)[..] {
            [ControlEvent::CallRequested(req)] => req.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn outgoing_call_accepted() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        assert_eq!(
            (req.peer_call_id, req.peer_recv_window, req.incoming),
            (10, 32, false)
        );
        assert!(sent(&mut conn).is_empty());
        conn.accept_call(t, req.token, 500);
        let out = sent(&mut conn);
        let [Message::Ocrp(reply)] = &out[..] else {
            panic!("{out:?}")
        };
        assert_eq!(
            (reply.call_id, reply.peer_call_id, reply.result_code),
            (500, 10, OCRP_CONNECTED)
        );
        assert_eq!((reply.connect_speed, reply.recv_window), (1_000_000, 64));
        // Answering twice does nothing more than report the stale token.
        conn.accept_call(t, req.token, 501);
        assert!(sent(&mut conn).is_empty());
    }

    #[test]
    fn outgoing_call_refused() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        conn.refuse_call(t, req.token, "pool exhausted");
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
            if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_NO_RESOURCE
                && r.peer_call_id == 10));
        assert!(events(&mut conn).is_empty());
        // The slot is free again.
        feed(&mut conn, t, ocrq(10));
        requested(&mut conn);
    }

    #[test]
    fn max_calls_and_duplicates() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(1));
        let first = requested(&mut conn);
        feed(&mut conn, t, ocrq(1));
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
            if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_BAD_VALUE));
        feed(&mut conn, t, ocrq(2));
        requested(&mut conn);
        feed(&mut conn, t, ocrq(3));
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
            if r.result_code == OCRP_GENERAL_ERROR && r.error_code == ERROR_NO_RESOURCE
                && r.peer_call_id == 3));
        assert!(events(&mut conn).is_empty());
        assert_eq!(conn.stats().calls_refused, 1);
        // A call id the driver hands out twice on one connection is refused.
        conn.accept_call(t, first.token, 7);
        sent(&mut conn);
        feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 2 }));
        feed(&mut conn, t, ocrq(4));
        let fourth = requested(&mut conn);
        conn.accept_call(t, fourth.token, 7);
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
            if r.error_code == ERROR_BAD_CALL_ID));
        assert!(events(&mut conn).is_empty());
    }

    #[test]
    fn incoming_call() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(
            &mut conn,
            t,
            Message::Icrq(Icrq {
                call_id: 33,
                ..Icrq::default()
            }),
        );
        let req = requested(&mut conn);
        assert_eq!(
            (req.peer_call_id, req.peer_recv_window, req.incoming),
            (33, 0, true)
        );
        conn.accept_call(t, req.token, 900);
        assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
            if r.result_code == ICRP_CONNECT && r.call_id == 900 && r.peer_call_id == 33));
        let iccn = Iccn {
            peer_call_id: 900,
            recv_window: 16,
            ..Iccn::default()
        };
        feed(&mut conn, t, Message::Iccn(iccn.clone()));
        assert_eq!(
            events(&mut conn),
            vec![ControlEvent::CallEstablished {
                call_id: 900,
                peer_call_id: 33,
                peer_recv_window: 16
            }]
        );
        // Repeated or unknown ICCN is counted and ignored.
        feed(&mut conn, t, Message::Iccn(iccn));
        feed(
            &mut conn,
            t,
            Message::Iccn(Iccn {
                peer_call_id: 1,
                ..Iccn::default()
            }),
        );
        assert!(events(&mut conn).is_empty());
        assert_eq!((conn.stats().unexpected, conn.stats().unknown_call), (1, 1));
        // Refusing an incoming call answers ICRP.
        feed(
            &mut conn,
            t,
            Message::Icrq(Icrq {
                call_id: 34,
                ..Icrq::default()
            }),
        );
        let req = requested(&mut conn);
        conn.refuse_call(t, req.token, "no");
        assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
            if r.result_code == ICRP_GENERAL_ERROR));
    }

    #[test]
    fn peer_clears_calls() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        conn.accept_call(t, req.token, 500);
        sent(&mut conn);
        feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
        assert!(matches!(&sent(&mut conn)[..], [Message::Cdn(c)]
            if c.call_id == 500 && c.result_code == CDN_REQUEST));
        assert!(matches!(
            &events(&mut conn)[..],
            [ControlEvent::CallCleared { call_id: 500, .. }]
        ));
        feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
        assert_eq!(conn.stats().unknown_call, 1);

        // CDN from the peer.
        feed(&mut conn, t, ocrq(11));
        let req = requested(&mut conn);
        conn.accept_call(t, req.token, 501);
        sent(&mut conn);
        let cdn = Cdn {
            call_id: 11,
            result_code: CDN_LOST_CARRIER,
            call_statistics: "stats".into(),
            ..Cdn::default()
        };
        feed(&mut conn, t, Message::Cdn(cdn.clone()));
        assert!(sent(&mut conn).is_empty());
        assert_eq!(
            events(&mut conn),
            vec![ControlEvent::CallCleared {
                call_id: 501,
                reason: "peer disconnected the call: lost carrier (stats)".into()
            }]
        );
        feed(&mut conn, t, Message::Cdn(cdn));
        assert_eq!(conn.stats().unknown_call, 2);
    }

    #[test]
    fn request_withdrawn_before_answer() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        feed(&mut conn, t, Message::Ccrq(Ccrq { call_id: 10 }));
        assert!(sent(&mut conn).is_empty());
        conn.accept_call(t, req.token, 500);
        assert!(sent(&mut conn).is_empty());
        assert!(matches!(
            &events(&mut conn)[..],
            [ControlEvent::CallCleared { call_id: 500, .. }]
        ));
    }

    #[test]
    fn server_clears_call() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        conn.accept_call(t, req.token, 500);
        sent(&mut conn);
        conn.clear_call(t, 500, "idle timeout");
        assert!(matches!(&sent(&mut conn)[..], [Message::Cdn(c)]
            if c.call_id == 500 && c.result_code == CDN_ADMIN_SHUTDOWN
                && c.call_statistics == "idle timeout"));
        conn.clear_call(t, 500, "again");
        assert!(sent(&mut conn).is_empty());
        assert!(events(&mut conn).is_empty());
    }

    #[test]
    fn sli_and_wen() {
        let t = Instant::now();
        let mut conn = established_server(t);
        feed(&mut conn, t, ocrq(10));
        let req = requested(&mut conn);
        conn.accept_call(t, req.token, 500);
        sent(&mut conn);
        let sli = Sli {
            peer_call_id: 500,
            send_accm: u32::MAX,
            recv_accm: u32::MAX,
        };
        feed(&mut conn, t, Message::Sli(sli));
        feed(
            &mut conn,
            t,
            Message::Wen(Wen {
                peer_call_id: 500,
                crc_errors: 1,
                ..Wen::default()
            }),
        );
        assert_eq!(conn.stats(), &Default::default());
        feed(
            &mut conn,
            t,
            Message::Sli(Sli {
                peer_call_id: 1,
                ..Sli::default()
            }),
        );
        assert_eq!(conn.stats().unknown_call, 1);
        assert!(sent(&mut conn).is_empty() && events(&mut conn).is_empty());
        assert!(conn.is_established());
    }

    fn established_client(t: Instant) -> ControlConnection {
        let mut conn = ControlConnection::new(config(Role::Client), t);
        conn.start(t);
        sent(&mut conn);
        feed(
            &mut conn,
            t,
            Message::Sccrp(Sccrp {
                protocol_version: PROTOCOL_VERSION,
                result_code: SCCRP_SUCCESS,
                ..Sccrp::default()
            }),
        );
        conn
    }

    #[test]
    fn client_calls() {
        let t = Instant::now();
        let mut conn = ControlConnection::new(config(Role::Client), t);
        conn.start(t);
        sent(&mut conn);
        // Placed before SCCRP: sent once the connection is up.
        conn.place_call(t, 100);
        assert!(sent(&mut conn).is_empty());
        feed(
            &mut conn,
            t,
            Message::Sccrp(Sccrp {
                protocol_version: PROTOCOL_VERSION,
                result_code: SCCRP_SUCCESS,
                ..Sccrp::default()
            }),
        );
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrq(r)]
            if r.call_id == 100 && r.recv_window == 64));
        conn.place_call(t, 101);
        sent(&mut conn);
        conn.place_call(t, 102);
        assert!(matches!(
            &events(&mut conn)[..],
            [ControlEvent::CallCleared { call_id: 102, .. }]
        ));
        let ok = Ocrp {
            call_id: 7000,
            peer_call_id: 100,
            result_code: OCRP_CONNECTED,
            recv_window: 16,
            ..Ocrp::default()
        };
        feed(&mut conn, t, Message::Ocrp(ok));
        assert_eq!(
            events(&mut conn),
            vec![ControlEvent::CallEstablished {
                call_id: 100,
                peer_call_id: 7000,
                peer_recv_window: 16
            }]
        );
        let busy = Ocrp {
            peer_call_id: 101,
            result_code: OCRP_BUSY,
            ..Ocrp::default()
        };
        feed(&mut conn, t, Message::Ocrp(busy));
        assert_eq!(
            events(&mut conn),
            vec![ControlEvent::CallCleared {
                call_id: 101,
                reason: "call refused: busy (error 0)".into()
            }]
        );
        // We clear: CCRQ with our id; the CDN that follows is quiet.
        conn.clear_call(t, 100, "user hung up");
        assert!(matches!(&sent(&mut conn)[..], [Message::Ccrq(c)] if c.call_id == 100));
        feed(
            &mut conn,
            t,
            Message::Cdn(Cdn {
                call_id: 7000,
                result_code: CDN_REQUEST,
                ..Cdn::default()
            }),
        );
        assert!(events(&mut conn).is_empty());
        assert_eq!(conn.stats(), &Default::default());
    }

    #[test]
    fn client_refuses_call_requests() {
        let t = Instant::now();
        let mut conn = established_client(t);
        feed(&mut conn, t, ocrq(5));
        assert!(matches!(&sent(&mut conn)[..], [Message::Ocrp(r)]
            if r.result_code == OCRP_DO_NOT_ACCEPT && r.peer_call_id == 5));
        feed(
            &mut conn,
            t,
            Message::Icrq(Icrq {
                call_id: 6,
                ..Icrq::default()
            }),
        );
        assert!(matches!(&sent(&mut conn)[..], [Message::Icrp(r)]
            if r.result_code == ICRP_DO_NOT_ACCEPT));
        assert_eq!(conn.stats().unexpected, 2);
        assert!(events(&mut conn).is_empty());
    }

    #[test]
    fn place_call_refusals() {
        let t = Instant::now();
        let mut server = established_server(t);
        server.place_call(t, 1);
        assert!(matches!(
            &events(&mut server)[..],
            [ControlEvent::CallCleared { call_id: 1, .. }]
        ));
        let mut client = established_client(t);
        client.place_call(t, 1);
        client.place_call(t, 1);
        assert!(
            matches!(&events(&mut client)[..], [ControlEvent::CallCleared { call_id: 1, reason }]
            if reason.contains("in use"))
        );
        client.shutdown(t, "bye");
        client.place_call(t, 2);
        assert!(matches!(
            &events(&mut client)[..],
            [ControlEvent::CallCleared { call_id: 2, .. }]
        ));
    }
}
