//! A shared secret that never prints and is wiped when dropped.

use std::fmt;

use zeroize::Zeroizing;

/// A RADIUS shared secret. `Debug` prints `Secret(<hidden>)`.
#[derive(Clone)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Wraps the secret's octets.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Secret(Zeroizing::new(secret.into()))
    }

    /// The octets, for the cryptography.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

#[cfg(test)]
mod tests;
