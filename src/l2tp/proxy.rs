//! A LAC's proxy LCP and authentication AVPs (RFC 2661 §4.4.5) turned into what the session
//! needs to verify the user and take over the LAC's LCP.

use l2tpd::tunnel::ProxyInfo;
use pppd::auth::AuthRequest;

use crate::session_task::ProxiedLogin;

/// Proxy Authen Type values (RFC 2661 §4.4.5).
mod authen_type {
    pub const CHAP: u16 = 2;
    pub const PAP: u16 = 3;
    pub const MSCHAP_V1: u16 = 5;
}

/// The login the LAC vouches for; Err (why, for the log) when the AVPs do not make one we can
/// verify, so the session renegotiates instead.
pub fn proxied_login(info: &ProxyInfo) -> Result<ProxiedLogin, String> {
    let (Some(our_request), Some(peer_request)) = (&info.last_sent_lcp, &info.last_received_lcp)
    else {
        return Err("no Last Sent/Received LCP CONFREQ".into());
    };
    let user = info
        .authen_name
        .clone()
        .filter(|u| !u.is_empty())
        .ok_or("no Proxy Authen Name")?;
    let response = info
        .authen_response
        .as_deref()
        .ok_or("no Proxy Authen Response")?;
    let challenge = info.authen_challenge.as_deref().unwrap_or_default();
    let request = match info.authen_type {
        Some(authen_type::PAP) => AuthRequest::Pap {
            user,
            password: response.to_vec(),
        },
        Some(authen_type::CHAP) => AuthRequest::ChapMd5 {
            user,
            id: info.authen_id.ok_or("CHAP without Proxy Authen ID")? as u8,
            challenge: Some(challenge)
                .filter(|c| !c.is_empty())
                .ok_or("CHAP without Proxy Authen Challenge")?
                .to_vec(),
            response: response
                .try_into()
                .map_err(|_| format!("CHAP response of {} octets, not 16", response.len()))?,
        },
        Some(authen_type::MSCHAP_V1) => AuthRequest::MsChapV1 {
            user,
            challenge: challenge
                .try_into()
                .map_err(|_| format!("MS-CHAPv1 challenge of {} octets, not 8", challenge.len()))?,
            nt_response: response
                .get(24..48)
                .filter(|_| response.len() == 49)
                .ok_or_else(|| format!("MS-CHAPv1 response of {} octets, not 49", response.len()))?
                .try_into()
                .expect("24 octets"),
        },
        Some(other) => return Err(format!("Proxy Authen Type {other} is not one we verify")),
        None => return Err("no Proxy Authen Type".into()),
    };
    Ok(ProxiedLogin {
        request,
        our_request: our_request.clone(),
        peer_request: peer_request.clone(),
    })
}

#[cfg(test)]
mod tests;
