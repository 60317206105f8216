//! MS-CHAP Success/Failure message texts (RFC 2759 §5–§6, RFC 2433 §3).

use std::fmt::Write;

/// Error code for a failed authentication (ERROR_AUTHENTICATION_FAILURE).
const E_AUTH_FAILURE: u32 = 691;

/// Upper-case hex of `bytes`.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}

/// Parses exactly `N` octets of hex (either case).
fn unhex<const N: usize>(text: &[u8]) -> Option<[u8; N]> {
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let s = std::str::from_utf8(pair).ok()?;
        *o = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// Message text with control characters replaced, so the peer gets one clean line.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// MS-CHAPv2 Success message: "S=<40 hex> M=<text>".
pub(super) fn v2_success(authenticator_response: &[u8; 20], text: &str) -> String {
    format!("S={} M={}", hex(authenticator_response), clean(text))
}

/// MS-CHAPv2 Failure message: "E=691 R=<0|1> C=<32 hex> V=3 M=<text>".
pub(super) fn v2_failure(retry: bool, challenge: &[u8; 16], text: &str) -> String {
    format!(
        "E={E_AUTH_FAILURE} R={} C={} V=3 M={}",
        u8::from(retry),
        hex(challenge),
        clean(text)
    )
}

/// MS-CHAPv1 Failure message: "E=691 R=<0|1> C=<16 hex> V=0" (no password change offered).
pub(super) fn v1_failure(retry: bool, challenge: &[u8; 8]) -> String {
    format!(
        "E={E_AUTH_FAILURE} R={} C={} V=0",
        u8::from(retry),
        hex(challenge)
    )
}

/// The 20-octet authenticator response from an MS-CHAPv2 Success message ("S=<40 hex>" first).
pub(super) fn parse_v2_success(message: &[u8]) -> Option<[u8; 20]> {
    let rest = message.strip_prefix(b"S=")?;
    let hexpart = rest.get(..40)?;
    match rest.get(40) {
        None | Some(b' ') => unhex(hexpart),
        Some(_) => None,
    }
}

/// Human-readable text of a failure message: the error code (`E=691`) and the M= part when
/// present, else the whole message.
pub(super) fn failure_text(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let shown = match text.find("M=") {
        Some(i) => clean(text[i + 2..].trim()),
        None => return clean(text.trim()),
    };
    match text
        .strip_prefix("E=")
        .and_then(|rest| rest.split(' ').next())
    {
        Some(code) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("E={code}: {shown}")
        }
        _ => shown,
    }
}

#[cfg(test)]
mod tests;
