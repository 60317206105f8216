//! Writing a request into the driver's buffer: Message-Authenticator first (the Blast-RADIUS
//! advice), the caller's attributes with User-Password hidden, and for Accounting-Requests a
//! fresh Acct-Delay-Time; then the authenticator the code calls for.

use std::time::Instant;

use rand::RngCore;

use super::{Client, Request, RequestId, Transmit};
use crate::attr;
use crate::crypto::hide_password;
use crate::wire::{BuildError, Builder, Code, AUTH_LEN, MAX_LEN};

/// Writes `request` with `identifier`; `authenticator` is used for an Access-Request (and for
/// hiding User-Password), `delay` is the Acct-Delay-Time of an Accounting-Request.
fn write(
    buf: &mut [u8],
    request: &Request,
    identifier: u8,
    authenticator: &[u8; AUTH_LEN],
    secret: &[u8],
    delay: u32,
) -> Result<usize, BuildError> {
    let accounting = request.code == Code::AccountingRequest;
    let mut b = Builder::new(buf, request.code, identifier)?;
    b.message_authenticator()?;
    for a in request.attributes.iter() {
        if a.typ == attr::MESSAGE_AUTHENTICATOR || (accounting && a.typ == attr::ACCT_DELAY_TIME) {
            continue;
        }
        if a.typ == attr::USER_PASSWORD {
            if a.value.len() > 128 {
                return Err(BuildError::ValueTooLong);
            }
            b.attribute(a.typ.code, &hide_password(&a.value, secret, authenticator))?;
        } else if a.typ.vendor == 0 {
            b.attribute(a.typ.code, &a.value)?;
        } else {
            b.vendor_attribute(a.typ.vendor, a.typ.code, &a.value)?;
        }
    }
    if accounting {
        b.attribute(attr::ACCT_DELAY_TIME.code, &delay.to_be_bytes())?;
    }
    Ok(if request.code == Code::AccessRequest {
        b.finish_with_authenticator(authenticator, secret)
    } else {
        b.finish_hashed_request(secret)
    })
}

/// Whether `request` can be encoded at all.
pub(super) fn fits(request: &Request) -> bool {
    let mut buf = [0u8; MAX_LEN];
    write(&mut buf, request, 0, &[0; AUTH_LEN], b"", 0).is_ok()
}

impl Client {
    /// Encodes the next send of request `id` into `buf` and arms its deadline; `None` (and the
    /// request stays first in line) when `buf` is too small.
    pub(super) fn encode(
        &mut self,
        now: Instant,
        id: RequestId,
        buf: &mut [u8],
    ) -> Option<Transmit> {
        let p = self.pending.get_mut(&id)?;
        let f = p.flight.as_mut()?;
        let server = &self.cfg.servers[f.server];
        if f.sends == 0 && p.request.code == Code::AccessRequest {
            self.rng.fill_bytes(&mut f.authenticator);
        }
        let waited = now.saturating_duration_since(p.created).as_secs();
        let base = p
            .request
            .attributes
            .integer(attr::ACCT_DELAY_TIME)
            .unwrap_or(0);
        let delay = u32::try_from(u64::from(base) + waited).unwrap_or(u32::MAX);
        let secret = server.secret.expose();
        let Ok(len) = write(
            buf,
            &p.request,
            f.identifier,
            &f.authenticator,
            secret,
            delay,
        ) else {
            tracing::error!(request = id.0, "RADIUS transmit buffer too small");
            self.to_send.push_front(id);
            return None;
        };
        f.authenticator.copy_from_slice(&buf[4..4 + AUTH_LEN]);
        f.sends += 1;
        let transmit = Transmit {
            socket: f.socket,
            to: server.addr,
            len,
        };
        let sends = f.sends;
        let wait = self.backoff(sends);
        if let Some(f) = self.pending.get_mut(&id).and_then(|p| p.flight.as_mut()) {
            f.deadline = now + wait;
        }
        Some(transmit)
    }
}
