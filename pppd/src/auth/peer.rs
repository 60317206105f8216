//! Peer-role machine (client side of PAP / CHAP / MS-CHAP).

use super::packet::{self, Packet};
use super::verify::chap_md5;
use super::{msg, AuthOutput, Method, MppeKeys, MAX_TRANSMITS, RETRANSMIT_SECS};
use crate::frame::{PROTO_CHAP, PROTO_PAP};
use crate::mschap;
use rand::rngs::StdRng;

use crate::seed_rng::SeedRng;
use rand::{Rng, RngCore};
use std::time::{Duration, Instant};
use zeroize::Zeroize;

#[derive(Debug)]
enum State {
    /// Before `start`, or CHAP waiting for a challenge / result.
    Running,
    /// PAP request sent.
    PapSent { transmits: u32, deadline: Instant },
    /// Success or failure reported.
    Done,
}

/// Our answer to one challenge, kept to resend it unchanged and to check the result.
struct Answer {
    id: u8,
    challenge: Vec<u8>,
    packet: Vec<u8>,
    /// MS-CHAPv2: peer challenge and NT-Response for the "S=" check and the keys.
    peer_challenge: [u8; 16],
    nt_response: [u8; 24],
}

/// Peer-role machine (client, used by tests and the dial client).
pub struct AuthPeer {
    method: Method,
    user: String,
    password: String,
    password_hash: [u8; 16],
    rng: SeedRng,
    state: State,
    pap_id: u8,
    answer: Option<Answer>,
}

impl AuthPeer {
    /// New machine for `user` / `password`. Draws its own RNG seed from `rng`.
    pub fn new(method: Method, user: &str, password: &str, rng: &mut StdRng) -> Self {
        AuthPeer {
            method,
            user: user.to_string(),
            password: password.to_string(),
            password_hash: mschap::nt_password_hash(password),
            rng: SeedRng::from_rng(rng),
            state: State::Running,
            pap_id: 0,
            answer: None,
        }
    }

    /// PAP sends the Authenticate-Request; CHAP methods wait for the challenge.
    pub fn start(&mut self, now: Instant, out: &mut Vec<AuthOutput>) {
        if self.method == Method::Pap && matches!(self.state, State::Running) {
            self.pap_id = self.rng.draw(|r| r.gen());
            self.send_pap(out);
            self.state = State::PapSent {
                transmits: 1,
                deadline: now + Duration::from_secs(RETRANSMIT_SECS),
            };
        }
    }

    /// A PAP or CHAP packet from the authenticator: emits Send / Success (client-side keys) / Failure.
    pub fn handle_packet(&mut self, data: &[u8], out: &mut Vec<AuthOutput>) {
        let pkt = match packet::parse(data) {
            Ok(p) => p,
            Err(why) => {
                tracing::debug!(method = %self.method, why, "auth peer: dropping malformed packet");
                return;
            }
        };
        if matches!(self.state, State::Done) && pkt.code != packet::CHAP_CHALLENGE {
            tracing::debug!(code = pkt.code, "auth peer: finished, ignoring packet");
            return;
        }
        match (self.method, pkt.code) {
            (Method::Pap, packet::PAP_ACK | packet::PAP_NAK) => self.pap_reply(&pkt, out),
            (Method::Pap, _) => tracing::debug!(code = pkt.code, "auth peer: unexpected PAP code"),
            (_, packet::CHAP_CHALLENGE) => self.challenge(&pkt, out),
            (_, packet::CHAP_SUCCESS | packet::CHAP_FAILURE) => self.chap_result(&pkt, out),
            _ => tracing::debug!(code = pkt.code, "auth peer: unexpected CHAP code"),
        }
    }

    /// When `handle_timeout` wants to be called (PAP retransmission).
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::PapSent { deadline, .. } => Some(deadline),
            _ => None,
        }
    }

    /// Retransmits the PAP request, or fails when the authenticator stays silent.
    pub fn handle_timeout(&mut self, now: Instant, out: &mut Vec<AuthOutput>) {
        if let State::PapSent {
            transmits,
            deadline,
        } = self.state
        {
            if now < deadline {
                return;
            }
            if transmits < MAX_TRANSMITS {
                self.send_pap(out);
                self.state = State::PapSent {
                    transmits: transmits + 1,
                    deadline: now + Duration::from_secs(RETRANSMIT_SECS),
                };
            } else {
                self.finish_failure("no answer from the authenticator".into(), out);
            }
        }
    }

    fn send_pap(&self, out: &mut Vec<AuthOutput>) {
        let data = packet::pap_request(self.pap_id, self.user.as_bytes(), self.password.as_bytes());
        out.push(AuthOutput::Send {
            protocol: PROTO_PAP,
            data,
        });
    }

    fn pap_reply(&mut self, pkt: &Packet<'_>, out: &mut Vec<AuthOutput>) {
        if pkt.id != self.pap_id || !matches!(self.state, State::PapSent { .. }) {
            tracing::debug!(
                id = pkt.id,
                "auth peer: PAP reply does not match our request"
            );
            return;
        }
        if pkt.code == packet::PAP_ACK {
            self.finish_success(None, out);
        } else {
            let text = String::from_utf8_lossy(packet::pap_reply_message(pkt.body)).into_owned();
            self.finish_failure(text, out);
        }
    }

    fn challenge(&mut self, pkt: &Packet<'_>, out: &mut Vec<AuthOutput>) {
        let value = match packet::chap_value_fields(pkt.body) {
            Ok((value, _name)) => value,
            Err(why) => {
                tracing::debug!(why, "auth peer: dropping malformed challenge");
                return;
            }
        };
        if let Some(a) = &self.answer {
            if a.id == pkt.id && a.challenge == value {
                out.push(chap_send(a.packet.clone()));
                return;
            }
        }
        match self.answer_for(pkt.id, value) {
            Some(answer) => {
                out.push(chap_send(answer.packet.clone()));
                self.answer = Some(answer);
            }
            None => tracing::debug!(len = value.len(), "auth peer: bad challenge length"),
        }
    }

    fn answer_for(&mut self, id: u8, challenge: &[u8]) -> Option<Answer> {
        let mut peer_challenge = [0u8; 16];
        let mut nt_response = [0u8; 24];
        let value: Vec<u8> = match self.method {
            Method::ChapMd5 => chap_md5(id, self.password.as_bytes(), challenge).to_vec(),
            Method::MsChapV1 => {
                let c: &[u8; 8] = challenge.try_into().ok()?;
                nt_response = mschap::challenge_response(c, &self.password_hash);
                // LM response left zero; flags = 1: use the NT response (RFC 2433 §3).
                let mut v = vec![0u8; 24];
                v.extend_from_slice(&nt_response);
                v.push(1);
                v
            }
            Method::MsChapV2 => {
                let c: &[u8; 16] = challenge.try_into().ok()?;
                self.rng.draw(|r| r.fill_bytes(&mut peer_challenge));
                nt_response = mschap::generate_nt_response(
                    c,
                    &peer_challenge,
                    &self.user,
                    &self.password_hash,
                );
                let mut v = peer_challenge.to_vec();
                v.extend_from_slice(&[0; 8]);
                v.extend_from_slice(&nt_response);
                v.push(0);
                v
            }
            Method::Pap => return None,
        };
        let packet = packet::chap_value(packet::CHAP_RESPONSE, id, &value, self.user.as_bytes());
        Some(Answer {
            id,
            challenge: challenge.to_vec(),
            packet,
            peer_challenge,
            nt_response,
        })
    }

    fn chap_result(&mut self, pkt: &Packet<'_>, out: &mut Vec<AuthOutput>) {
        let Some(answer) = self.answer.as_ref().filter(|a| a.id == pkt.id) else {
            tracing::debug!(id = pkt.id, "auth peer: result does not match our response");
            return;
        };
        if pkt.code == packet::CHAP_FAILURE {
            return self.finish_failure(msg::failure_text(pkt.body), out);
        }
        let keys = match self.method {
            Method::MsChapV1 => match <&[u8; 8]>::try_from(answer.challenge.as_slice()) {
                Ok(c) => Some(MppeKeys::from_mschapv1(&self.password_hash, c)),
                Err(_) => None,
            },
            Method::MsChapV2 => {
                let verified = msg::parse_v2_success(pkt.body).is_some_and(|ar| {
                    <&[u8; 16]>::try_from(answer.challenge.as_slice()).is_ok_and(|c| {
                        mschap::check_authenticator_response(
                            &self.password_hash,
                            &answer.nt_response,
                            &answer.peer_challenge,
                            c,
                            &self.user,
                            &ar,
                        )
                    })
                });
                if !verified {
                    return self.finish_failure("invalid authenticator response".into(), out);
                }
                Some(MppeKeys::from_mschapv2(
                    &self.password_hash,
                    &answer.nt_response,
                    false,
                ))
            }
            Method::ChapMd5 | Method::Pap => None,
        };
        self.finish_success(keys, out);
    }

    fn finish_success(&mut self, keys: Option<MppeKeys>, out: &mut Vec<AuthOutput>) {
        tracing::debug!(user = %self.user, method = %self.method, "auth peer: authenticated");
        self.state = State::Done;
        out.push(AuthOutput::Success {
            user: self.user.clone(),
            keys,
        });
    }

    fn finish_failure(&mut self, message: String, out: &mut Vec<AuthOutput>) {
        tracing::info!(user = %self.user, method = %self.method, message, "auth peer: failed");
        self.state = State::Done;
        out.push(AuthOutput::Failure {
            user: self.user.clone(),
            message,
        });
    }
}

impl std::fmt::Debug for AuthPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthPeer")
            .field("method", &self.method)
            .field("user", &self.user)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Drop for AuthPeer {
    fn drop(&mut self) {
        self.password.zeroize();
        self.password_hash.zeroize();
    }
}

fn chap_send(data: Vec<u8>) -> AuthOutput {
    AuthOutput::Send {
        protocol: PROTO_CHAP,
        data,
    }
}
