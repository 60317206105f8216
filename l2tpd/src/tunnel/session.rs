//! Incoming-call sessions (§5.4, §6.10–§6.16): ICRQ/ICRP/ICCN, CDN, WEN/SLI, OCRQ refusal.

use rand::Rng;

use super::{CallNumbers, IncomingCall, ProxyInfo, Role, State, Tunnel, TunnelEvent};
use crate::avp::{error_code, result, Avp, AvpValue};
use crate::message::{ControlMessage, MessageType};

/// Where one session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// LAC: ICRQ sent, waiting for ICRP.
    WaitIcrp,
    /// LNS: ICRP sent, waiting for ICCN.
    WaitIccn,
    /// `SessionUp` reported.
    Up,
}

/// One session of the tunnel, keyed by our session ID.
#[derive(Debug, Clone)]
pub(super) struct Session {
    /// The peer's session ID (0 until its ICRP, for a LAC).
    pub(super) peer_id: u16,
    pub(super) phase: Phase,
    /// LAC: proxy LCP/authentication AVPs for our ICCN (boxed: an LNS's sessions, the many,
    /// never have them).
    pub(super) proxy: Option<Box<ProxyInfo>>,
    /// LNS: the ICRQ's Calling and Called Number, for `SessionUp`.
    pub(super) numbers: CallNumbers,
}

/// Framing Type we announce in ICCN: synchronous.
const FRAMING_SYNC: u32 = 1;
/// (Tx) Connect Speed we announce in ICCN, bits per second.
const CONNECT_SPEED: u32 = 100_000_000;

impl Tunnel {
    /// LAC: allocates a session and sends ICRQ.
    pub(super) fn start_incoming_call(&mut self, call: IncomingCall) -> Option<u16> {
        if self.cfg.role != Role::Lac
            || self.state != State::Established
            || self.sessions.len() >= usize::from(self.cfg.max_sessions)
        {
            return None;
        }
        let id = self.alloc_session_id()?;
        self.call_serial = self.call_serial.wrapping_add(1);
        let mut msg = ControlMessage::new(MessageType::Icrq)
            .with(AvpValue::AssignedSessionId(id))
            .with(AvpValue::CallSerialNumber(self.call_serial));
        if let Some(n) = &call.numbers.calling {
            msg = msg.with(AvpValue::CallingNumber(n.as_bytes().to_vec()));
        }
        if let Some(n) = &call.numbers.called {
            msg = msg.with(AvpValue::CalledNumber(n.as_bytes().to_vec()));
        }
        self.send(0, msg)?;
        let session = Session {
            peer_id: 0,
            phase: Phase::WaitIcrp,
            proxy: call.proxy.map(Box::new),
            numbers: call.numbers,
        };
        self.sessions.insert(id, session);
        Some(id)
    }

    /// LNS: ICRQ → ICRP with a fresh session ID, or CDN when out of room.
    pub(super) fn on_icrq(&mut self, msg: &ControlMessage) {
        let peer_sid = msg.assigned_session_id().unwrap_or(0);
        if self.cfg.role != Role::Lns || self.state != State::Established || peer_sid == 0 {
            self.stats.unexpected += 1;
            return;
        }
        if self.sessions.values().any(|s| s.peer_id == peer_sid) {
            self.stats.unexpected += 1;
            return;
        }
        let id = if self.sessions.len() < usize::from(self.cfg.max_sessions) {
            self.alloc_session_id()
        } else {
            None
        };
        let Some(id) = id else {
            let (code, error) = (result::CDN_GENERAL_ERROR, Some(error_code::NO_RESOURCES));
            return self.send_cdn(peer_sid, 0, code, error, "no room for another session");
        };
        let reply = ControlMessage::new(MessageType::Icrp).with(AvpValue::AssignedSessionId(id));
        self.send(peer_sid, reply);
        let session = Session {
            peer_id: peer_sid,
            phase: Phase::WaitIccn,
            proxy: None,
            numbers: call_numbers(msg),
        };
        self.sessions.insert(id, session);
    }

    /// LAC: ICRP → ICCN; the session is up.
    pub(super) fn on_icrp(&mut self, sid: u16, msg: &ControlMessage) {
        let peer_sid = msg.assigned_session_id().unwrap_or(0);
        let Some(session) = self.session_in(sid, Phase::WaitIcrp) else {
            return;
        };
        session.peer_id = peer_sid;
        session.phase = Phase::Up;
        let mut reply = ControlMessage::new(MessageType::Iccn)
            .with(AvpValue::TxConnectSpeed(CONNECT_SPEED))
            .with(AvpValue::FramingType(FRAMING_SYNC));
        if let Some(proxy) = session.proxy.take() {
            reply
                .avps
                .extend(proxy_avps(*proxy).into_iter().map(Avp::new));
        }
        let numbers = session.numbers.clone();
        let up = TunnelEvent::SessionUp {
            session_id: sid,
            peer_session_id: peer_sid,
            sequencing: false,
            proxy: None,
            numbers,
        };
        match self.send(peer_sid, reply) {
            // Reported once the ICCN is on the wire (see `release_sessions_up`).
            Some(ns) => self.held_up.push_back((ns, up)),
            None => {
                self.sessions.remove(&sid);
                self.events.push_back(TunnelEvent::SessionDown {
                    session_id: sid,
                    reason: "our ICCN could not be queued (control queue full)".into(),
                });
            }
        }
    }

    /// LNS: ICCN; the session is up.
    pub(super) fn on_iccn(&mut self, sid: u16, msg: &ControlMessage) {
        let Some(session) = self.session_in(sid, Phase::WaitIccn) else {
            return;
        };
        session.phase = Phase::Up;
        let peer_session_id = session.peer_id;
        let numbers = std::mem::take(&mut session.numbers);
        self.events.push_back(TunnelEvent::SessionUp {
            session_id: sid,
            peer_session_id,
            sequencing: msg.sequencing_required(),
            proxy: proxy_info(msg),
            numbers,
        });
    }

    /// The peer's CDN: the session is gone.
    pub(super) fn on_cdn(&mut self, sid: u16, msg: &ControlMessage) {
        let peer_sid = msg.assigned_session_id().unwrap_or(0);
        let id = if self.sessions.contains_key(&sid) {
            Some(sid)
        } else {
            let mut by_peer = self.sessions.iter().filter(|(_, s)| s.peer_id == peer_sid);
            by_peer.next().map(|(&id, _)| id).filter(|_| peer_sid != 0)
        };
        let Some(id) = id else {
            self.stats.unexpected += 1;
            return;
        };
        self.sessions.remove(&id);
        let reason = match msg.result_code() {
            Some(rc) => format!(
                "peer CDN: result {} error {} {}",
                rc.result,
                rc.error.unwrap_or(0),
                String::from_utf8_lossy(&rc.message)
            ),
            None => "peer CDN".to_owned(),
        };
        self.events.push_back(TunnelEvent::SessionDown {
            session_id: id,
            reason,
        });
    }

    /// OCRQ: rasd places no outgoing calls; CDN Result 5 (no facilities, permanent).
    pub(super) fn on_ocrq(&mut self, msg: &ControlMessage) {
        if self.state != State::Established {
            self.stats.unexpected += 1;
            return;
        }
        let peer_sid = msg.assigned_session_id().unwrap_or(0);
        let why = "outgoing calls not supported";
        self.send_cdn(peer_sid, 0, result::CDN_NO_FACILITIES_PERMANENT, None, why);
    }

    /// WEN / SLI: logged (the ACCM of an SLI does not apply to our framing).
    pub(super) fn on_link_info(&mut self, sid: u16, msg: &ControlMessage) {
        if !self.sessions.contains_key(&sid) {
            self.stats.unexpected += 1;
            return;
        }
        tracing::debug!(tunnel = self.our_id, session = sid, kind = msg.kind.name(), avps = ?msg.avps, "link info");
    }

    /// Tears a session down with CDN; `our_sid` may be unknown to us (no SessionDown then).
    pub(super) fn refuse_session(
        &mut self,
        our_sid: u16,
        peer_sid: u16,
        result: u16,
        error: u16,
        why: &str,
    ) {
        let known = self.sessions.remove(&our_sid).is_some();
        self.send_cdn(
            peer_sid,
            if known { our_sid } else { 0 },
            result,
            Some(error),
            why,
        );
        if known {
            self.events.push_back(TunnelEvent::SessionDown {
                session_id: our_sid,
                reason: why.to_owned(),
            });
        }
    }

    /// Our session `sid` if it is in `phase`; counts the message as unexpected otherwise.
    fn session_in(&mut self, sid: u16, phase: Phase) -> Option<&mut Session> {
        match self.sessions.get_mut(&sid) {
            Some(s) if s.phase == phase => Some(s),
            _ => {
                self.stats.unexpected += 1;
                None
            }
        }
    }

    /// A random non-zero session ID not in use.
    fn alloc_session_id(&mut self) -> Option<u16> {
        let (rng, sessions) = (&mut self.rng, &self.sessions);
        (0..64)
            .map(|_| rng.gen::<u16>())
            .find(|&id| id != 0 && !sessions.contains_key(&id))
    }
}

/// The AVPs that carry `info` in an ICCN.
fn proxy_avps(info: ProxyInfo) -> Vec<AvpValue> {
    let ProxyInfo {
        initial_received_lcp,
        last_sent_lcp,
        last_received_lcp,
        authen_type,
        authen_name,
        authen_challenge,
        authen_id,
        authen_response,
    } = info;
    [
        initial_received_lcp.map(AvpValue::InitialReceivedLcpConfreq),
        last_sent_lcp.map(AvpValue::LastSentLcpConfreq),
        last_received_lcp.map(AvpValue::LastReceivedLcpConfreq),
        authen_type.map(AvpValue::ProxyAuthenType),
        authen_name.map(|n| AvpValue::ProxyAuthenName(n.into_bytes())),
        authen_challenge.map(AvpValue::ProxyAuthenChallenge),
        authen_id.map(|id| AvpValue::ProxyAuthenId(id as u8)),
        authen_response.map(AvpValue::ProxyAuthenResponse),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The Calling and Called Number AVPs of an ICRQ.
fn call_numbers(msg: &ControlMessage) -> CallNumbers {
    let text = |v: &[u8]| String::from_utf8_lossy(v).into_owned();
    let mut numbers = CallNumbers::default();
    for avp in &msg.avps {
        match &avp.value {
            AvpValue::CallingNumber(v) => numbers.calling = Some(text(v)),
            AvpValue::CalledNumber(v) => numbers.called = Some(text(v)),
            _ => {}
        }
    }
    numbers
}

/// The proxy LCP / authentication AVPs of an ICCN, if it has any.
fn proxy_info(msg: &ControlMessage) -> Option<ProxyInfo> {
    let mut info = ProxyInfo::default();
    for avp in &msg.avps {
        match &avp.value {
            AvpValue::InitialReceivedLcpConfreq(v) => info.initial_received_lcp = Some(v.clone()),
            AvpValue::LastSentLcpConfreq(v) => info.last_sent_lcp = Some(v.clone()),
            AvpValue::LastReceivedLcpConfreq(v) => info.last_received_lcp = Some(v.clone()),
            AvpValue::ProxyAuthenType(v) => info.authen_type = Some(*v),
            AvpValue::ProxyAuthenName(v) => {
                info.authen_name = Some(String::from_utf8_lossy(v).into_owned())
            }
            AvpValue::ProxyAuthenChallenge(v) => info.authen_challenge = Some(v.clone()),
            AvpValue::ProxyAuthenId(v) => info.authen_id = Some(u16::from(*v)),
            AvpValue::ProxyAuthenResponse(v) => info.authen_response = Some(v.clone()),
            _ => {}
        }
    }
    (info != ProxyInfo::default()).then_some(info)
}
