//! Attribute-Value Pairs (RFC 2661 §4): wire format, typed values and hiding.

mod codes;
mod error;
mod hidden;
mod list;
mod value;
mod wire;

pub use codes::{attr, attribute_name, default_mandatory, error_code, result};
pub use error::AvpError;
pub use hidden::{hide, unhide};
pub use list::{emit_all, parse_all};
pub use value::{AvpValue, CallErrors, ResultCode};
pub use wire::{AvpIter, AvpPacket, AVP_HEADER_LEN, AVP_MAX_LEN};

/// A decoded AVP: its flags and its typed value (hidden AVPs already revealed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Avp {
    /// M bit: an unknown AVP with it set tears the session or tunnel down.
    pub mandatory: bool,
    /// H bit: the value is (or is to be) hidden with the tunnel secret.
    pub hidden: bool,
    /// The value.
    pub value: AvpValue,
}

impl Avp {
    /// An AVP with the M bit the RFC prescribes for its type, not hidden.
    pub fn new(value: AvpValue) -> Self {
        Avp {
            mandatory: default_mandatory(value.vendor_id(), value.attribute()),
            hidden: false,
            value,
        }
    }

    /// Same AVP with the M bit set as given.
    pub fn with_mandatory(mut self, mandatory: bool) -> Self {
        self.mandatory = mandatory;
        self
    }

    /// Same AVP marked to be hidden when emitted.
    pub fn hide(mut self) -> Self {
        self.hidden = true;
        self
    }

    /// Decodes one raw AVP; hidden values need the secret and the preceding Random Vector.
    pub fn decode(
        raw: &AvpPacket<&[u8]>,
        secret: Option<&[u8]>,
        random_vector: Option<&[u8]>,
    ) -> Result<Avp, AvpError> {
        let (vendor_id, attribute) = (raw.vendor_id(), raw.attribute_type());
        let value = if raw.hidden() {
            let secret = secret.ok_or(AvpError::HiddenWithoutSecret(attribute))?;
            let rv = random_vector.ok_or(AvpError::HiddenWithoutRandomVector(attribute))?;
            AvpValue::decode_hidden(vendor_id, attribute, raw.value(), secret, rv)?
        } else {
            AvpValue::decode(vendor_id, attribute, raw.value())?
        };
        Ok(Avp {
            mandatory: raw.mandatory(),
            hidden: raw.hidden(),
            value,
        })
    }

    /// Encodes in clear, ignoring the `hidden` flag; `None` if the value is over-long.
    pub fn to_vec_clear(&self) -> Option<Vec<u8>> {
        wire::encode(
            self.mandatory,
            false,
            &self.value,
            &self.value.value_bytes(),
        )
    }

    /// Encodes hidden with `secret`, the message's Random Vector and caller-chosen `padding`.
    pub fn to_vec_hidden(
        &self,
        secret: &[u8],
        random_vector: &[u8],
        padding: &[u8],
    ) -> Option<Vec<u8>> {
        let cipher = hide(
            self.value.attribute(),
            &self.value.value_bytes(),
            secret,
            random_vector,
            padding,
        )?;
        wire::encode(self.mandatory, true, &self.value, &cipher)
    }
}
