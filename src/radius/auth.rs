//! Logins through RADIUS: the Access-Request for what the PPP engine collected (RFC 2865,
//! RFC 2548 for MS-CHAP, RFC 2868 tunnel attributes), and the verdict from the reply: the
//! MS-CHAP2-Success proof and the MPPE keys the server computed, or its failure message.

use std::net::SocketAddr;

use pppd::auth::{AuthRequest, AuthSuccess, AuthVerdict, MppeKeys};
use pppd::mschap::v1_start_key;
use radius::attr::value::{
    FRAMED_PROTOCOL_PPP, NAS_PORT_TYPE_VIRTUAL, SERVICE_TYPE_FRAMED, TUNNEL_MEDIUM_IPV4,
    TUNNEL_MEDIUM_IPV6, TUNNEL_TYPE_L2TP, TUNNEL_TYPE_PPTP,
};
use radius::attr::{self, Attribute, Attributes};
use radius::login;
use radius::wire::Code;
use radius::Request;

use l2tpd::tunnel::CallNumbers;

use crate::config::RadiusConfig;
use crate::history::Carrier;

/// Where a login comes from, for the NAS and tunnel attributes.
pub struct LoginOrigin {
    /// Daemon-wide session number (Acct-Session-Id).
    pub session: u64,
    /// The client's transport address (Calling-Station-Id, Tunnel-Client-Endpoint).
    pub peer: SocketAddr,
    /// The protocol and the call or tunnel session (NAS-Port, Tunnel-Type).
    pub carrier: Carrier,
    /// L2TP: the LAC's Calling Number (Calling-Station-Id instead of the peer's address) and
    /// Called Number (Called-Station-Id).
    pub numbers: CallNumbers,
}

/// The Access-Request for `req` from `origin`.
pub fn access_request(req: &AuthRequest, origin: &LoginOrigin, cfg: &RadiusConfig) -> Request {
    let mut attributes = match req {
        AuthRequest::Pap { user, password } => login::pap(user, password),
        AuthRequest::ChapMd5 {
            user,
            id,
            challenge,
            response,
        } => login::chap(user, *id, challenge, response),
        AuthRequest::MsChapV1 {
            user,
            challenge,
            nt_response,
        } => login::ms_chap_v1(user, 0, challenge, nt_response),
        AuthRequest::MsChapV2 {
            user,
            authenticator_challenge,
            peer_challenge,
            nt_response,
        } => login::ms_chap_v2(
            user,
            0,
            authenticator_challenge,
            peer_challenge,
            nt_response,
        ),
    };
    add_nas(&mut attributes, origin, cfg);
    Request {
        code: Code::AccessRequest,
        attributes,
    }
}

/// Acct-Session-Id of daemon session `session`, in the Access-Request and every accounting
/// record alike: unique across restarts, since session numbers start from the wall clock.
pub fn acct_session_id(session: u64) -> String {
    format!("{session:016x}")
}

/// NAS-Identifier and NAS-IP-Address or NAS-IPv6-Address.
pub fn add_nas_identity(a: &mut Attributes, cfg: &RadiusConfig) {
    a.push(Attribute::string(attr::NAS_IDENTIFIER, &cfg.nas_identifier));
    match cfg.nas_ip_address {
        Some(std::net::IpAddr::V4(ip)) => a.push(Attribute::ipv4(attr::NAS_IP_ADDRESS, ip)),
        Some(std::net::IpAddr::V6(ip)) => a.push(Attribute::ipv6(attr::NAS_IPV6_ADDRESS, ip)),
        None => a,
    };
}

/// The NAS identity, port, service, Calling-Station-Id, Acct-Session-Id and RFC 2868 tunnel
/// attributes of a session from `origin`.
pub fn add_nas(a: &mut Attributes, origin: &LoginOrigin, cfg: &RadiusConfig) {
    add_nas_identity(a, cfg);
    let (port, tunnel) = match origin.carrier {
        Carrier::Pptp { call_id } => (u32::from(call_id), TUNNEL_TYPE_PPTP),
        Carrier::L2tp {
            tunnel_id,
            l2tp_session_id,
        } => (
            u32::from(tunnel_id) << 16 | u32::from(l2tp_session_id),
            TUNNEL_TYPE_L2TP,
        ),
    };
    let medium = if origin.peer.is_ipv4() {
        TUNNEL_MEDIUM_IPV4
    } else {
        TUNNEL_MEDIUM_IPV6
    };
    let peer = origin.peer.ip().to_string();
    let calling = origin
        .numbers
        .calling
        .clone()
        .unwrap_or_else(|| peer.clone());
    if let Some(called) = &origin.numbers.called {
        a.push(Attribute::string(attr::CALLED_STATION_ID, called));
    }
    a.push(Attribute::integer(attr::NAS_PORT, port))
        .push(Attribute::integer(
            attr::NAS_PORT_TYPE,
            NAS_PORT_TYPE_VIRTUAL,
        ))
        .push(Attribute::integer(attr::SERVICE_TYPE, SERVICE_TYPE_FRAMED))
        .push(Attribute::integer(
            attr::FRAMED_PROTOCOL,
            FRAMED_PROTOCOL_PPP,
        ))
        .push(Attribute::string(attr::CALLING_STATION_ID, &calling))
        .push(Attribute::string(
            attr::ACCT_SESSION_ID,
            &acct_session_id(origin.session),
        ))
        .push(Attribute::tagged_integer(attr::TUNNEL_TYPE, 0, tunnel))
        .push(Attribute::tagged_integer(
            attr::TUNNEL_MEDIUM_TYPE,
            0,
            medium,
        ))
        .push(Attribute::tagged_string(
            attr::TUNNEL_CLIENT_ENDPOINT,
            0,
            &peer,
        ));
}

/// The verdict a reply to `req` gives. `session` names the session in logs.
pub fn verdict(req: &AuthRequest, code: Code, reply: &Attributes, session: u64) -> AuthVerdict {
    match code {
        Code::AccessAccept => accept(req, reply, session),
        Code::AccessReject => AuthVerdict::Reject {
            message: failure_message(reply),
        },
        other => {
            tracing::warn!(
                session,
                ?other,
                "RADIUS answered with an unsupported code: login refused"
            );
            AuthVerdict::Reject {
                message: "Authentication failed".into(),
            }
        }
    }
}

fn accept(req: &AuthRequest, reply: &Attributes, session: u64) -> AuthVerdict {
    let mut success = AuthSuccess {
        authenticator_response: None,
        mppe_keys: None,
    };
    match req {
        AuthRequest::MsChapV2 { .. } => {
            let Some(proof) = reply
                .ms_chap2_success()
                .and_then(|s| parse_success(s.message))
            else {
                tracing::warn!(session, "RADIUS Access-Accept for MS-CHAPv2 without a usable MS-CHAP2-Success: login refused");
                return AuthVerdict::Reject {
                    message: "Authentication failed".into(),
                };
            };
            success.authenticator_response = Some(proof);
            success.mppe_keys = mppe_keys(reply);
        }
        AuthRequest::MsChapV1 { challenge, .. } => {
            success.mppe_keys = reply.ms_chap_mppe_keys().map(|(_, nt_key)| {
                let key = v1_start_key(&nt_key, challenge);
                MppeKeys {
                    send: key,
                    recv: key,
                }
            });
        }
        AuthRequest::Pap { .. } | AuthRequest::ChapMd5 { .. } => {}
    }
    if success.mppe_keys.is_none()
        && matches!(
            req,
            AuthRequest::MsChapV1 { .. } | AuthRequest::MsChapV2 { .. }
        )
    {
        tracing::info!(
            session,
            "RADIUS Access-Accept without MPPE keys: MPPE cannot be negotiated"
        );
    }
    AuthVerdict::Accept(success)
}

/// `S=<40 hex>` from an MS-CHAP2-Success message.
fn parse_success(message: &[u8]) -> Option<[u8; 20]> {
    let hex = message.strip_prefix(b"S=")?.get(..40)?;
    let mut out = [0u8; 20];
    for (i, pair) in hex.chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// MS-MPPE-Send-Key and -Recv-Key: what the NAS sends with and receives with (RFC 2548 §2.4).
fn mppe_keys(reply: &Attributes) -> Option<MppeKeys> {
    let send = reply.mppe_send_key()?.get(..16)?.try_into().ok()?;
    let recv = reply.mppe_recv_key()?.get(..16)?.try_into().ok()?;
    Some(MppeKeys { send, recv })
}

/// The message for the client: MS-CHAP-Error's `M=` text or Reply-Message.
fn failure_message(reply: &Attributes) -> String {
    let from_error = reply.ms_chap_error().and_then(|e| {
        let text = String::from_utf8_lossy(e.message).into_owned();
        text.split_once("M=").map(|(_, m)| m.to_owned())
    });
    from_error
        .or_else(|| reply.reply_message())
        .unwrap_or_else(|| "Authentication failed".into())
}

#[cfg(test)]
mod tests;
