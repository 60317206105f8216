//! Authentication methods and their LCP Authentication-Protocol option encoding.

use std::fmt;
use std::str::FromStr;

/// An authentication method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// PAP (RFC 1334): clear-text password.
    Pap,
    /// CHAP with MD5 (RFC 1994).
    ChapMd5,
    /// MS-CHAP version 1 (RFC 2433).
    MsChapV1,
    /// MS-CHAP version 2 (RFC 2759).
    MsChapV2,
}

const ALL: [Method; 4] = [
    Method::Pap,
    Method::ChapMd5,
    Method::MsChapV1,
    Method::MsChapV2,
];

impl Method {
    /// Value of the LCP Authentication-Protocol option (protocol + data), e.g. `[0xc2, 0x23, 0x81]` for MS-CHAPv2.
    pub fn lcp_option_data(self) -> &'static [u8] {
        match self {
            Method::Pap => &[0xc0, 0x23],
            Method::ChapMd5 => &[0xc2, 0x23, 0x05],
            Method::MsChapV1 => &[0xc2, 0x23, 0x80],
            Method::MsChapV2 => &[0xc2, 0x23, 0x81],
        }
    }

    /// Parses LCP Authentication-Protocol option data; None when unknown.
    pub fn from_lcp_option_data(data: &[u8]) -> Option<Method> {
        ALL.into_iter().find(|m| m.lcp_option_data() == data)
    }

    /// Name for config/logs: "pap", "chap-md5", "mschapv1", "mschapv2" (and FromStr).
    pub fn name(self) -> &'static str {
        match self {
            Method::Pap => "pap",
            Method::ChapMd5 => "chap-md5",
            Method::MsChapV1 => "mschapv1",
            Method::MsChapV2 => "mschapv2",
        }
    }

    /// True for the CHAP family (the authenticator sends a challenge first).
    pub(crate) fn is_chap(self) -> bool {
        self != Method::Pap
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error of `Method::from_str`: the name is not one of the four known methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown authentication method {:?} (expected pap, chap-md5, mschapv1 or mschapv2)",
            self.0
        )
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ALL.into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownMethod(s.to_string()))
    }
}

#[cfg(test)]
mod tests;
