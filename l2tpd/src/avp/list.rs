//! Whole AVP lists: decoding a message body (tracking the Random Vector) and encoding one.

use super::{Avp, AvpError, AvpIter, AvpValue};

/// Decodes every AVP of a message body, revealing hidden ones with `secret` and the most
/// recent Random Vector AVP before them.
pub fn parse_all(payload: &[u8], secret: Option<&[u8]>) -> Result<Vec<Avp>, AvpError> {
    let mut avps = Vec::new();
    let mut random_vector: Option<Vec<u8>> = None;
    for raw in AvpIter::new(payload) {
        let avp = Avp::decode(&raw?, secret, random_vector.as_deref())?;
        if let AvpValue::RandomVector(rv) = &avp.value {
            random_vector = Some(rv.clone());
        }
        avps.push(avp);
    }
    Ok(avps)
}

/// Encodes AVPs in order; those marked hidden use `secret`, the most recent preceding
/// Random Vector AVP of the list, and `padding` (caller-chosen, may be empty).
pub fn emit_all(avps: &[Avp], secret: Option<&[u8]>, padding: &[u8]) -> Result<Vec<u8>, AvpError> {
    let mut out = Vec::new();
    let mut random_vector: Option<&[u8]> = None;
    for avp in avps {
        let attribute = avp.value.attribute();
        let bytes = if avp.hidden {
            let secret = secret.ok_or(AvpError::HiddenWithoutSecret(attribute))?;
            let rv = random_vector.ok_or(AvpError::HiddenWithoutRandomVector(attribute))?;
            avp.to_vec_hidden(secret, rv, padding)
        } else {
            avp.to_vec_clear()
        };
        out.extend_from_slice(&bytes.ok_or(AvpError::Unencodable(attribute))?);
        if let AvpValue::RandomVector(rv) = &avp.value {
            random_vector = Some(rv);
        }
    }
    Ok(out)
}
