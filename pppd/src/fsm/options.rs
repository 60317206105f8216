//! Configuration options (type, length, data) and the builder of a Configure-Ack/Nak/Reject
//! reply to a peer's Configure-Request (RFC 1661 §5.1-5.4, §6).

use super::code;

/// One configuration option as received: its type and its data (after the 2-byte header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawOption<'a> {
    /// Option type.
    pub kind: u8,
    /// Option data (may be empty).
    pub data: &'a [u8],
}

impl RawOption<'_> {
    /// The data as a big-endian u16 when it is exactly 2 bytes long.
    pub fn u16(&self) -> Option<u16> {
        Some(u16::from_be_bytes(self.data.try_into().ok()?))
    }

    /// The data as a big-endian u32 when it is exactly 4 bytes long.
    pub fn u32(&self) -> Option<u32> {
        Some(u32::from_be_bytes(self.data.try_into().ok()?))
    }
}

/// Splits a list of options; None when an option's length is below 2 or runs past the end.
pub fn parse_options(mut buf: &[u8]) -> Option<Vec<RawOption<'_>>> {
    let mut v = Vec::new();
    while !buf.is_empty() {
        let [kind, len, ..] = *buf else {
            return None;
        };
        let len = usize::from(len);
        if len < 2 {
            return None;
        }
        let data = buf.get(2..len)?;
        v.push(RawOption { kind, data });
        buf = &buf[len..];
    }
    Some(v)
}

/// Appends one option (type, length, data); data longer than 253 bytes is truncated.
pub fn push_option(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
    let data = &data[..data.len().min(253)];
    out.push(kind);
    out.push(data.len() as u8 + 2);
    out.extend_from_slice(data);
}

/// The reply being built to one Configure-Request: options left alone are acknowledged.
#[derive(Debug, Default)]
pub struct Reply {
    naks: Vec<u8>,
    rejects: Vec<u8>,
    naks_as_rejects: bool,
}

impl Reply {
    /// A fresh reply; with `naks_as_rejects` (Max-Failure reached) every Nak becomes a Reject.
    pub fn new(naks_as_rejects: bool) -> Self {
        Self {
            naks_as_rejects,
            ..Self::default()
        }
    }

    /// Refuses `opt`'s value and suggests `suggestion` instead.
    pub fn nak(&mut self, opt: &RawOption<'_>, suggestion: &[u8]) {
        if self.naks_as_rejects {
            self.reject(opt);
        } else {
            push_option(&mut self.naks, opt.kind, suggestion);
        }
    }

    /// Asks the peer to include an option it left out (dropped once naks turn into rejects).
    pub fn nak_missing(&mut self, kind: u8, suggestion: &[u8]) {
        if !self.naks_as_rejects {
            push_option(&mut self.naks, kind, suggestion);
        }
    }

    /// Refuses the option altogether.
    pub fn reject(&mut self, opt: &RawOption<'_>) {
        push_option(&mut self.rejects, opt.kind, opt.data);
    }

    /// True while nothing was refused: the request will be acknowledged.
    pub fn is_ack(&self) -> bool {
        self.naks.is_empty() && self.rejects.is_empty()
    }

    /// The reply's code and options: Reject beats Nak beats Ack (which echoes `request`).
    pub fn finish(self, request: &[u8]) -> (u8, Vec<u8>) {
        if !self.rejects.is_empty() {
            (code::CONFIGURE_REJECT, self.rejects)
        } else if !self.naks.is_empty() {
            (code::CONFIGURE_NAK, self.naks)
        } else {
            (code::CONFIGURE_ACK, request.to_vec())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let o = parse_options(&[1, 4, 5, 0x78, 7, 2]).unwrap();
        assert_eq!(o.len(), 2);
        assert_eq!(o[0].u16(), Some(0x578));
        assert_eq!(o[1], RawOption { kind: 7, data: &[] });
        assert!(parse_options(&[1, 1]).is_none());
        assert!(parse_options(&[1, 5, 0, 0]).is_none());
        assert!(parse_options(&[1]).is_none());
        assert_eq!(parse_options(&[]).unwrap().len(), 0);
    }

    #[test]
    fn reply_precedence() {
        let a = RawOption {
            kind: 5,
            data: &[1, 2, 3, 4],
        };
        let mut r = Reply::new(false);
        assert!(r.is_ack());
        r.nak(&a, &[9, 9, 9, 9]);
        assert_eq!(
            r.finish(&[0]),
            (code::CONFIGURE_NAK, vec![5, 6, 9, 9, 9, 9])
        );
        let mut r = Reply::new(false);
        r.nak(&a, &[9, 9, 9, 9]);
        r.reject(&RawOption {
            kind: 13,
            data: &[6],
        });
        assert_eq!(r.finish(&[0]), (code::CONFIGURE_REJECT, vec![13, 3, 6]));
        let mut r = Reply::new(true);
        r.nak(&a, &[9, 9, 9, 9]);
        r.nak_missing(3, &[0; 4]);
        assert_eq!(
            r.finish(&[0]),
            (code::CONFIGURE_REJECT, vec![5, 6, 1, 2, 3, 4])
        );
        assert_eq!(
            Reply::new(false).finish(&[7, 2]),
            (code::CONFIGURE_ACK, vec![7, 2])
        );
    }
}
