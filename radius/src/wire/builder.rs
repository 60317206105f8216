//! Emitting a RADIUS packet into a caller-owned buffer: header, attributes, an optional
//! Message-Authenticator, then the authenticator the packet's code calls for.

use std::fmt;

use super::be::put16;
use super::{Code, AUTH_LEN, HEADER_LEN, MAX_LEN, MAX_VALUE_LEN, VENDOR_SPECIFIC};
use crate::crypto;

/// Attribute type of Message-Authenticator (RFC 2869 §5.14).
const MESSAGE_AUTHENTICATOR: u8 = 80;

/// Why a packet could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// The buffer, or the 4096-octet limit, leaves no room for what was added.
    NoRoom,
    /// A value longer than one attribute can carry.
    ValueTooLong,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BuildError::NoRoom => "RADIUS packet exceeds the buffer or 4096 octets",
            BuildError::ValueTooLong => "RADIUS attribute value longer than 253 octets",
        })
    }
}

impl std::error::Error for BuildError {}

/// Writes one packet into `buf`; `finish_*` fills in the authenticators and returns the length.
pub struct Builder<'a> {
    buf: &'a mut [u8],
    len: usize,
    message_authenticator_at: Option<usize>,
}

impl<'a> Builder<'a> {
    /// Starts a packet with `code` and `identifier`.
    pub fn new(buf: &'a mut [u8], code: Code, identifier: u8) -> Result<Self, BuildError> {
        if buf.len() < HEADER_LEN {
            return Err(BuildError::NoRoom);
        }
        buf[0] = code.number();
        buf[1] = identifier;
        buf[4..HEADER_LEN].fill(0);
        Ok(Builder {
            buf,
            len: HEADER_LEN,
            message_authenticator_at: None,
        })
    }

    fn reserve(&mut self, n: usize) -> Result<&mut [u8], BuildError> {
        let end = self.len + n;
        if end > self.buf.len().min(MAX_LEN) {
            return Err(BuildError::NoRoom);
        }
        let room = &mut self.buf[self.len..end];
        self.len = end;
        Ok(room)
    }

    /// Appends a standard attribute.
    pub fn attribute(&mut self, typ: u8, value: &[u8]) -> Result<&mut Self, BuildError> {
        if value.len() > MAX_VALUE_LEN {
            return Err(BuildError::ValueTooLong);
        }
        let room = self.reserve(2 + value.len())?;
        room[0] = typ;
        room[1] = (2 + value.len()) as u8;
        room[2..].copy_from_slice(value);
        Ok(self)
    }

    /// Appends a Vendor-Specific attribute carrying one sub-attribute.
    pub fn vendor_attribute(
        &mut self,
        vendor: u32,
        typ: u8,
        value: &[u8],
    ) -> Result<&mut Self, BuildError> {
        if value.len() > MAX_VALUE_LEN - 6 {
            return Err(BuildError::ValueTooLong);
        }
        let room = self.reserve(8 + value.len())?;
        room[0] = VENDOR_SPECIFIC;
        room[1] = (8 + value.len()) as u8;
        room[2..6].copy_from_slice(&vendor.to_be_bytes());
        room[6] = typ;
        room[7] = (2 + value.len()) as u8;
        room[8..].copy_from_slice(value);
        Ok(self)
    }

    /// Appends a Message-Authenticator, computed by `finish_*` (RFC 3579 §3.2).
    pub fn message_authenticator(&mut self) -> Result<&mut Self, BuildError> {
        let at = self.len + 2;
        self.attribute(MESSAGE_AUTHENTICATOR, &[0; AUTH_LEN])?;
        self.message_authenticator_at = Some(at);
        Ok(self)
    }

    /// Length so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no attribute was added yet.
    pub fn is_empty(&self) -> bool {
        self.len == HEADER_LEN
    }

    fn sign(&mut self, authenticator: &[u8; AUTH_LEN], secret: &[u8]) {
        put16(self.buf, 2, self.len as u16);
        if let Some(at) = self.message_authenticator_at {
            let packet = &self.buf[..self.len];
            let mac = crypto::message_authenticator(packet, authenticator, at, secret);
            self.buf[at..at + AUTH_LEN].copy_from_slice(&mac);
        }
    }

    /// Finishes an Access-Request (or Status-Server) with its random Request Authenticator.
    pub fn finish_with_authenticator(
        mut self,
        authenticator: &[u8; AUTH_LEN],
        secret: &[u8],
    ) -> usize {
        self.sign(authenticator, secret);
        self.buf[4..HEADER_LEN].copy_from_slice(authenticator);
        self.len
    }

    /// Finishes an Accounting-Request (RFC 2866 §3) or a CoA/Disconnect-Request (RFC 5176
    /// §2.3): the Request Authenticator is the MD5 hash of the packet over a zero field.
    pub fn finish_hashed_request(mut self, secret: &[u8]) -> usize {
        let zero = [0; AUTH_LEN];
        self.sign(&zero, secret);
        let auth = crypto::packet_hash(&self.buf[..self.len], &zero, secret);
        self.buf[4..HEADER_LEN].copy_from_slice(&auth);
        self.len
    }

    /// Finishes a reply to a request whose Request Authenticator was `request_authenticator`
    /// (RFC 2865 §3 Response Authenticator).
    pub fn finish_response(
        mut self,
        request_authenticator: &[u8; AUTH_LEN],
        secret: &[u8],
    ) -> usize {
        self.sign(request_authenticator, secret);
        let auth = crypto::packet_hash(&self.buf[..self.len], request_authenticator, secret);
        self.buf[4..HEADER_LEN].copy_from_slice(&auth);
        self.len
    }
}

#[cfg(test)]
mod tests;
