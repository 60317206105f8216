//! Why an AVP could not be decoded or encoded.

use std::fmt;

use super::attribute_name;

/// An AVP-level failure; attribute numbers are those of the IETF vendor (0) unless noted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AvpError {
    /// Fewer than 6 bytes left for an AVP header.
    Truncated,
    /// The Length field is below 6 or runs past the end of the message.
    BadLength(u16),
    /// One of the 4 reserved bits is set (the AVP is invalid).
    ReservedBits {
        /// Vendor ID.
        vendor_id: u16,
        /// Attribute Type.
        attribute: u16,
    },
    /// The value length is not the one the RFC defines for this attribute.
    WrongLength {
        /// Attribute Type.
        attribute: u16,
        /// Value length received.
        len: usize,
    },
    /// Hidden AVP with no Random Vector AVP before it in the message.
    HiddenWithoutRandomVector(u16),
    /// Hidden AVP but no tunnel secret is configured.
    HiddenWithoutSecret(u16),
    /// The revealed original length exceeds the hidden data.
    BadHiddenLength(u16),
    /// Message Type and Random Vector AVPs must never be hidden.
    MustNotBeHidden(u16),
    /// A value too long for the 10-bit AVP Length.
    Unencodable(u16),
}

impl fmt::Display for AvpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |a: &u16| attribute_name(0, *a).unwrap_or("unknown");
        match self {
            AvpError::Truncated => f.write_str("truncated AVP header"),
            AvpError::BadLength(l) => write!(f, "AVP length {l} is invalid"),
            AvpError::ReservedBits {
                vendor_id,
                attribute,
            } => write!(f, "AVP {vendor_id}:{attribute} has reserved bits set"),
            AvpError::WrongLength { attribute, len } => {
                write!(
                    f,
                    "{} AVP ({attribute}) with a {len}-byte value",
                    name(attribute)
                )
            }
            AvpError::HiddenWithoutRandomVector(a) => {
                write!(
                    f,
                    "hidden {} AVP ({a}) without a preceding Random Vector",
                    name(a)
                )
            }
            AvpError::HiddenWithoutSecret(a) => {
                write!(f, "hidden {} AVP ({a}) but no tunnel secret", name(a))
            }
            AvpError::BadHiddenLength(a) => {
                write!(
                    f,
                    "hidden {} AVP ({a}) reveals an impossible length",
                    name(a)
                )
            }
            AvpError::MustNotBeHidden(a) => write!(f, "{} AVP ({a}) must not be hidden", name(a)),
            AvpError::Unencodable(a) => write!(f, "{} AVP ({a}) cannot be encoded", name(a)),
        }
    }
}

impl std::error::Error for AvpError {}
