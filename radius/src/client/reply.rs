//! Checking a datagram against the request it claims to answer, then handing out its
//! attributes with the encrypted ones decrypted.

use std::net::SocketAddr;
use std::time::Instant;

use super::{Client, DropReason, Event};
use crate::attr::{Attribute, Attributes};
use crate::crypto::{salt_decrypt, unhide_octets, verify_reply, VerifyError};
use crate::dict::{Dictionary, Encrypt};
use crate::wire::{Code, Packet, AUTH_LEN};

/// The same address and port, an IPv4-mapped IPv6 address matching its IPv4 form.
fn same_addr(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() == b.port() && a.ip().to_canonical() == b.ip().to_canonical()
}

/// The reply's attributes, owned, with salt- and password-encrypted values decrypted; a value
/// that does not decrypt is left out and logged.
fn reveal(packet: &Packet<&[u8]>, secret: &[u8], authenticator: &[u8; AUTH_LEN]) -> Attributes {
    let dict = Dictionary::builtin();
    let mut out = Attributes::new();
    for raw in packet.attributes() {
        let mut a = Attribute::from_raw(raw);
        let hidden = dict.attribute(a.typ).filter(|d| d.encrypt != Encrypt::None);
        if let Some(def) = hidden {
            let (tag, value) = match (def.tagged, raw.value.split_first()) {
                (true, Some((&tag, rest))) => (Some(tag), rest),
                _ => (None, raw.value),
            };
            let plain = match def.encrypt {
                Encrypt::Salt => salt_decrypt(value, secret, authenticator).ok(),
                _ => unhide_octets(value, secret, authenticator),
            };
            let Some(plain) = plain else {
                tracing::warn!(attribute = %def.name, "RADIUS attribute does not decrypt, ignored");
                continue;
            };
            a.value = tag.into_iter().chain(plain).collect();
        }
        out.push(a);
    }
    out
}

impl Client {
    pub(super) fn accept_reply(
        &mut self,
        now: Instant,
        socket: usize,
        from: SocketAddr,
        datagram: &[u8],
    ) -> Result<(), DropReason> {
        let mut candidates = (0..self.cfg.servers.len())
            .filter(|&i| same_addr(self.cfg.servers[i].addr, from))
            .peekable();
        if candidates.peek().is_none() {
            return Err(DropReason::WrongSource);
        }
        let packet = Packet::new_checked(datagram).map_err(|_| DropReason::Malformed)?;
        let (server, id) = candidates
            .find_map(|s| {
                self.outstanding
                    .get(&(socket, s, packet.identifier()))
                    .map(|&id| (s, id))
            })
            .ok_or(DropReason::UnknownIdentifier)?;
        let p = &self.pending[&id];
        let flight = p.flight.ok_or(DropReason::UnknownIdentifier)?;
        let secret = self.cfg.servers[server].secret.expose();
        let require =
            self.cfg.require_message_authenticator && p.request.code == Code::AccessRequest;
        verify_reply(&packet, &flight.authenticator, secret, require).map_err(|e| match e {
            VerifyError::BadAuthenticator => DropReason::BadResponseAuthenticator,
            VerifyError::MissingMessageAuthenticator => DropReason::MissingMessageAuthenticator,
            VerifyError::BadMessageAuthenticator => DropReason::BadMessageAuthenticator,
        })?;
        if !p.request.code.is_answered_by(packet.code()) {
            return Err(DropReason::UnexpectedCode);
        }
        let attributes = reveal(&packet, secret, &flight.authenticator);
        self.finish(id);
        self.server_answered(now, server);
        self.stats.replies += 1;
        self.events.push_back(Event::Reply {
            id,
            code: packet.code(),
            attributes,
        });
        self.drain_queue(now);
        Ok(())
    }
}
