//! Authenticator-role machine (server side of PAP / CHAP / MS-CHAP).

use super::packet::{self, Packet};
use super::{msg, AuthOutput, AuthRequest, AuthVerdict, Method, MAX_TRANSMITS, RETRANSMIT_SECS};
use crate::frame::{PROTO_CHAP, PROTO_PAP};
use rand::rngs::StdRng;

use crate::seed_rng::SeedRng;
use rand::{Rng, RngCore};
use std::time::{Duration, Instant};

/// How long we wait for the peer's retry after an MS-CHAP Failure with R=1 (the user is
/// expected to type new credentials).
const RETRY_WAIT: Duration = Duration::from_secs(60);
const SUCCESS_TEXT: &str = "Access granted";

#[derive(Debug)]
enum State {
    /// `start` not called yet (a PAP request is still accepted).
    Initial,
    /// Challenge sent (CHAP) or waiting for the Authenticate-Request (PAP).
    Waiting { transmits: u32, deadline: Instant },
    /// The backend judges the attempt with identifier `id`.
    Pending { id: u8 },
    /// MS-CHAP Failure with R=1 sent; a new Response is expected.
    RetryWait { deadline: Instant },
    /// Success or final failure sent.
    Done,
}

/// Authenticator-role machine (server). Outputs are pushed into `out`.
pub struct Authenticator {
    method: Method,
    our_name: String,
    max_attempts: u32,
    rng: SeedRng,
    state: State,
    /// Identifier of the current challenge.
    id: u8,
    /// Current challenge value (MS-CHAPv1 uses the first 8 octets).
    challenge: [u8; 16],
    attempts: u32,
    /// User of the attempt being judged / last judged.
    user: String,
    /// Identifier and body of the last attempt handed to the backend, to spot duplicates.
    last_attempt: Option<(u8, Vec<u8>)>,
    /// Our last Success/Failure/Ack/Nak and the identifier it answered, resent on duplicates.
    last_reply: Option<(u8, Vec<u8>)>,
}

impl Authenticator {
    /// New machine; `max_attempts` (at least 1) bounds MS-CHAP retries. Draws its own RNG seed
    /// from `rng`.
    pub fn new(method: Method, our_name: &str, max_attempts: u32, rng: &mut StdRng) -> Self {
        Authenticator {
            method,
            our_name: our_name.to_string(),
            max_attempts: max_attempts.max(1),
            rng: SeedRng::from_rng(rng),
            state: State::Initial,
            id: 0,
            challenge: [0; 16],
            attempts: 0,
            user: String::new(),
            last_attempt: None,
            last_reply: None,
        }
    }

    /// Begins authentication: CHAP methods send the challenge; PAP waits for the request.
    pub fn start(&mut self, now: Instant, out: &mut Vec<AuthOutput>) {
        if !matches!(self.state, State::Initial) {
            return;
        }
        if self.method.is_chap() {
            self.id = self.rng.draw(|r| r.gen());
            self.new_challenge();
            self.send_challenge(out);
            self.state = State::Waiting {
                transmits: 1,
                deadline: now + Duration::from_secs(RETRANSMIT_SECS),
            };
        } else {
            self.state = State::Waiting {
                transmits: MAX_TRANSMITS,
                deadline: now + Duration::from_secs(RETRANSMIT_SECS * u64::from(MAX_TRANSMITS)),
            };
        }
    }

    /// A PAP (PAP method) or CHAP (other methods) packet from the peer.
    pub fn handle_packet(&mut self, data: &[u8], out: &mut Vec<AuthOutput>) {
        let pkt = match packet::parse(data) {
            Ok(p) => p,
            Err(why) => {
                tracing::debug!(method = %self.method, why, "auth: dropping malformed packet");
                return;
            }
        };
        let expected = if self.method.is_chap() {
            packet::CHAP_RESPONSE
        } else {
            packet::PAP_REQUEST
        };
        if pkt.code != expected {
            tracing::debug!(method = %self.method, code = pkt.code, "auth: ignoring packet");
            return;
        }
        match self.state {
            State::Initial if !self.method.is_chap() => self.handle_attempt(&pkt, out),
            State::Waiting { .. } if pkt.id == self.id || !self.method.is_chap() => {
                self.handle_attempt(&pkt, out)
            }
            State::Pending { .. } => {
                tracing::debug!(id = pkt.id, "auth: attempt pending, ignoring duplicate");
            }
            State::RetryWait { .. } if !self.is_last_attempt(&pkt) => {
                self.handle_attempt(&pkt, out)
            }
            State::RetryWait { .. } | State::Done => self.repeat_reply(pkt.id, out),
            _ => tracing::debug!(id = pkt.id, "auth: unexpected identifier, ignoring"),
        }
    }

    /// The backend's answer to the last `AuthOutput::Request`.
    pub fn verdict(&mut self, now: Instant, verdict: AuthVerdict, out: &mut Vec<AuthOutput>) {
        let State::Pending { id } = self.state else {
            tracing::warn!(state = ?self.state, "auth: verdict without a pending request");
            return;
        };
        let success = match verdict {
            AuthVerdict::Accept(s) => s,
            AuthVerdict::Reject { message } => return self.reject(now, id, &message, out),
        };
        let reply = match self.method {
            Method::Pap => packet::pap_reply(packet::PAP_ACK, id, SUCCESS_TEXT),
            Method::ChapMd5 | Method::MsChapV1 => {
                packet::chap_message(packet::CHAP_SUCCESS, id, SUCCESS_TEXT.as_bytes())
            }
            Method::MsChapV2 => match success.authenticator_response {
                Some(ar) => {
                    let text = msg::v2_success(&ar, SUCCESS_TEXT);
                    packet::chap_message(packet::CHAP_SUCCESS, id, text.as_bytes())
                }
                None => {
                    tracing::error!("auth: MS-CHAPv2 accept without authenticator response");
                    return self.reject(now, id, "Server error", out);
                }
            },
        };
        tracing::debug!(user = %self.user, method = %self.method, "auth: success");
        out.push(self.send(reply.clone()));
        self.last_reply = Some((id, reply));
        self.state = State::Done;
        // Done only repeats its reply: what judged attempts and sent challenges goes.
        self.last_attempt = None;
        self.our_name = String::new();
        out.push(AuthOutput::Success {
            user: std::mem::take(&mut self.user),
            keys: success.mppe_keys,
        });
    }

    /// When `handle_timeout` wants to be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::Waiting { deadline, .. } | State::RetryWait { deadline } => Some(deadline),
            _ => None,
        }
    }

    /// Retransmits the challenge, or gives up when the peer stays silent.
    pub fn handle_timeout(&mut self, now: Instant, out: &mut Vec<AuthOutput>) {
        match self.state {
            State::Waiting {
                transmits,
                deadline,
            } if now >= deadline => {
                if transmits < MAX_TRANSMITS {
                    self.send_challenge(out);
                    self.state = State::Waiting {
                        transmits: transmits + 1,
                        deadline: now + Duration::from_secs(RETRANSMIT_SECS),
                    };
                } else {
                    self.give_up("peer did not authenticate", out);
                }
            }
            State::RetryWait { deadline } if now >= deadline => {
                self.give_up("peer did not retry", out);
            }
            _ => {}
        }
    }

    /// True when `pkt` repeats the attempt we last judged (same identifier and contents).
    fn is_last_attempt(&self, pkt: &Packet<'_>) -> bool {
        matches!(&self.last_attempt, Some((id, body)) if *id == pkt.id && body == pkt.body)
    }

    /// Answers a repeated attempt with our last reply. PAP peers may change the identifier on
    /// every retransmission, so PAP replies are re-stamped with the request's identifier.
    fn repeat_reply(&self, id: u8, out: &mut Vec<AuthOutput>) {
        match &self.last_reply {
            Some((last_id, reply)) if *last_id == id || self.method == Method::Pap => {
                tracing::debug!(id, "auth: repeating our last reply");
                let mut reply = reply.clone();
                if let Some(b) = reply.get_mut(1) {
                    *b = id;
                }
                out.push(self.send(reply));
            }
            _ => tracing::debug!(id, "auth: finished, ignoring packet"),
        }
    }

    /// Parses one attempt and hands it to the backend.
    fn handle_attempt(&mut self, pkt: &Packet<'_>, out: &mut Vec<AuthOutput>) {
        match self.parse_attempt(pkt) {
            Ok(req) => {
                self.id = pkt.id;
                self.last_attempt = Some((pkt.id, pkt.body.to_vec()));
                self.user = req.user().to_string();
                tracing::debug!(user = %self.user, method = %self.method, "auth: attempt");
                self.state = State::Pending { id: pkt.id };
                out.push(AuthOutput::Request(req));
            }
            Err(why) => {
                tracing::debug!(method = %self.method, why, "auth: dropping malformed attempt");
            }
        }
    }

    fn parse_attempt(&self, pkt: &Packet<'_>) -> Result<AuthRequest, &'static str> {
        if self.method == Method::Pap {
            let (user, password) = packet::pap_request_fields(pkt.body)?;
            return Ok(AuthRequest::Pap {
                user: String::from_utf8_lossy(user).into_owned(),
                password: password.to_vec(),
            });
        }
        let (value, name) = packet::chap_value_fields(pkt.body)?;
        if name.len() > packet::MAX_FIELD {
            return Err("name too long");
        }
        let user = String::from_utf8_lossy(name).into_owned();
        match self.method {
            Method::ChapMd5 => Ok(AuthRequest::ChapMd5 {
                user,
                id: pkt.id,
                challenge: self.challenge.to_vec(),
                response: value.try_into().map_err(|_| "MD5 response not 16 octets")?,
            }),
            Method::MsChapV1 => {
                let v: &[u8; 49] = value
                    .try_into()
                    .map_err(|_| "MS-CHAP response not 49 octets")?;
                let mut challenge = [0u8; 8];
                challenge.copy_from_slice(&self.challenge[..8]);
                Ok(AuthRequest::MsChapV1 {
                    user,
                    challenge,
                    nt_response: sub(v, 24),
                })
            }
            Method::Pap => Err("not a CHAP method"),
            Method::MsChapV2 => {
                let v: &[u8; 49] = value
                    .try_into()
                    .map_err(|_| "MS-CHAP response not 49 octets")?;
                Ok(AuthRequest::MsChapV2 {
                    user,
                    authenticator_challenge: self.challenge,
                    peer_challenge: sub(v, 0),
                    nt_response: sub(v, 24),
                })
            }
        }
    }

    fn reject(&mut self, now: Instant, id: u8, message: &str, out: &mut Vec<AuthOutput>) {
        self.attempts += 1;
        let retry = matches!(self.method, Method::MsChapV1 | Method::MsChapV2)
            && self.attempts < self.max_attempts;
        tracing::info!(user = %self.user, method = %self.method, attempt = self.attempts, retry,
            message, "auth: rejected");
        let reply = match self.method {
            Method::Pap => packet::pap_reply(packet::PAP_NAK, id, message),
            Method::ChapMd5 => packet::chap_message(packet::CHAP_FAILURE, id, message.as_bytes()),
            Method::MsChapV1 => {
                self.new_challenge();
                let mut c = [0u8; 8];
                c.copy_from_slice(&self.challenge[..8]);
                let text = msg::v1_failure(retry, &c);
                packet::chap_message(packet::CHAP_FAILURE, id, text.as_bytes())
            }
            Method::MsChapV2 => {
                self.new_challenge();
                let text = msg::v2_failure(retry, &self.challenge, message);
                packet::chap_message(packet::CHAP_FAILURE, id, text.as_bytes())
            }
        };
        out.push(self.send(reply.clone()));
        self.last_reply = Some((id, reply));
        if retry {
            self.state = State::RetryWait {
                deadline: now + RETRY_WAIT,
            };
        } else {
            self.state = State::Done;
            out.push(AuthOutput::Failure {
                user: self.user.clone(),
                message: message.to_string(),
            });
        }
    }

    fn give_up(&mut self, message: &str, out: &mut Vec<AuthOutput>) {
        tracing::info!(method = %self.method, message, "auth: giving up");
        self.state = State::Done;
        out.push(AuthOutput::Failure {
            user: self.user.clone(),
            message: message.to_string(),
        });
    }

    fn new_challenge(&mut self) {
        let challenge = &mut self.challenge;
        self.rng.draw(|r| r.fill_bytes(challenge));
    }

    fn send_challenge(&self, out: &mut Vec<AuthOutput>) {
        let len = if self.method == Method::MsChapV1 {
            8
        } else {
            16
        };
        let pkt = packet::chap_value(
            packet::CHAP_CHALLENGE,
            self.id,
            &self.challenge[..len],
            self.our_name.as_bytes(),
        );
        out.push(self.send(pkt));
    }

    fn send(&self, data: Vec<u8>) -> AuthOutput {
        let protocol = if self.method.is_chap() {
            PROTO_CHAP
        } else {
            PROTO_PAP
        };
        AuthOutput::Send { protocol, data }
    }
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("method", &self.method)
            .field("state", &self.state)
            .field("attempts", &self.attempts)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Copies `N` octets of the response value starting at `at`.
fn sub<const N: usize>(value: &[u8; 49], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&value[at..at + N]);
    out
}
