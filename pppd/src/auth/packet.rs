//! PAP (RFC 1334 §2.2) and CHAP (RFC 1994 §4) packet codecs with length checks. The header
//! (code, identifier, length) is the one LCP uses: read with [`ControlPacket`], written with
//! [`emit_packet_with`]. Messages are built in a fresh buffer: authentication runs once per
//! session, not per frame.

use crate::frame::{emit_packet_with, ControlPacket};

/// PAP Authenticate-Request.
pub(super) const PAP_REQUEST: u8 = 1;
/// PAP Authenticate-Ack.
pub(super) const PAP_ACK: u8 = 2;
/// PAP Authenticate-Nak.
pub(super) const PAP_NAK: u8 = 3;
/// CHAP Challenge.
pub(super) const CHAP_CHALLENGE: u8 = 1;
/// CHAP Response.
pub(super) const CHAP_RESPONSE: u8 = 2;
/// CHAP Success.
pub(super) const CHAP_SUCCESS: u8 = 3;
/// CHAP Failure.
pub(super) const CHAP_FAILURE: u8 = 4;

/// Longest name, password or message we put into or accept from a packet.
pub(super) const MAX_FIELD: usize = 255;
/// Longest Success/Failure message we send.
const MAX_MESSAGE: usize = 1000;

/// A PAP or CHAP packet split into code, identifier and the data after the header.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Packet<'a> {
    pub code: u8,
    pub id: u8,
    pub body: &'a [u8],
}

/// Splits the header; the Length field must cover the header and fit in `data` (octets past
/// Length are padding and ignored).
pub(super) fn parse(data: &[u8]) -> Result<Packet<'_>, &'static str> {
    let p = ControlPacket::new_checked(data).ok_or("bad length field")?;
    Ok(Packet {
        code: p.code(),
        id: p.id(),
        body: p.data(),
    })
}

/// Fields of a PAP Authenticate-Request body: (peer-id, password).
pub(super) fn pap_request_fields(body: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let (user, rest) = length_prefixed(body).ok_or("bad peer-id length")?;
    let (password, _) = length_prefixed(rest).ok_or("bad password length")?;
    Ok((user, password))
}

/// Message of a PAP Ack/Nak body (lenient: a missing or oversized length gives the rest).
pub(super) fn pap_reply_message(body: &[u8]) -> &[u8] {
    length_prefixed(body).map_or(body.get(1..).unwrap_or_default(), |(m, _)| m)
}

/// Fields of a CHAP Challenge/Response body: (value, name).
pub(super) fn chap_value_fields(body: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let (value, name) = length_prefixed(body).ok_or("bad value-size")?;
    if value.is_empty() {
        return Err("empty value");
    }
    Ok((value, name))
}

fn length_prefixed(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&n, rest) = data.split_first()?;
    let n = usize::from(n);
    Some((rest.get(..n)?, rest.get(n..)?))
}

/// Builds `code, id, length, body...`.
fn build(code: u8, id: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + parts.iter().map(|p| p.len()).sum::<usize>());
    emit_packet_with(code, id, &mut out, |out| {
        for p in parts {
            out.extend_from_slice(p);
        }
    });
    out
}

fn clip(field: &[u8], max: usize) -> &[u8] {
    &field[..field.len().min(max)]
}

/// PAP Authenticate-Request.
pub(super) fn pap_request(id: u8, user: &[u8], password: &[u8]) -> Vec<u8> {
    let user = clip(user, MAX_FIELD);
    let password = clip(password, MAX_FIELD);
    // Lengths fit in a u8 after clipping.
    let (ul, pl) = (user.len() as u8, password.len() as u8);
    build(PAP_REQUEST, id, &[&[ul], user, &[pl], password])
}

/// PAP Authenticate-Ack or -Nak with a message.
pub(super) fn pap_reply(code: u8, id: u8, message: &str) -> Vec<u8> {
    let msg = clip(message.as_bytes(), MAX_FIELD);
    build(code, id, &[&[msg.len() as u8], msg])
}

/// CHAP Challenge or Response.
pub(super) fn chap_value(code: u8, id: u8, value: &[u8], name: &[u8]) -> Vec<u8> {
    let value = clip(value, MAX_FIELD);
    build(
        code,
        id,
        &[&[value.len() as u8], value, clip(name, MAX_FIELD)],
    )
}

/// CHAP Success or Failure with a message.
pub(super) fn chap_message(code: u8, id: u8, message: &[u8]) -> Vec<u8> {
    build(code, id, &[clip(message, MAX_MESSAGE)])
}

#[cfg(test)]
mod tests;
