//! Printing attributes FreeRADIUS-style through the dictionary. Values the dictionary marks
//! encrypted (User-Password, MPPE keys, Tunnel-Password) print as `<hidden>`; unknown
//! attributes print as `Attr-N` or `Vendor-V-Attr-N` with their octets in hex.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::{Attribute, Attributes};
use crate::dict::{Dictionary, Encrypt, Kind};

fn hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    f.write_str("0x")?;
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dict = Dictionary::builtin();
        let Some(def) = dict.attribute(self.typ) else {
            match self.typ.vendor {
                0 => write!(f, "Attr-{} = ", self.typ.code)?,
                v => write!(f, "Vendor-{v}-Attr-{} = ", self.typ.code)?,
            }
            return hex(f, &self.value);
        };
        write!(f, "{} = ", def.name)?;
        if def.encrypt != Encrypt::None {
            return f.write_str("<hidden>");
        }
        let mut value = self.value.as_slice();
        if def.tagged {
            if let Some((&tag, rest)) = value.split_first() {
                if def.kind == Kind::Integer || (1..=0x1f).contains(&tag) {
                    write!(f, ":{tag} ")?;
                    value = rest;
                } else if tag == 0 {
                    value = rest;
                }
            }
        }
        match (def.kind, value.len()) {
            (Kind::String, _) => write!(f, "\"{}\"", String::from_utf8_lossy(value).escape_debug()),
            (Kind::Integer | Kind::Date, n) if n == 4 || (def.tagged && n == 3) => {
                let mut n = [0u8; 4];
                n[4 - value.len()..].copy_from_slice(value);
                let n = u32::from_be_bytes(n);
                match dict.value_name(self.typ, n) {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{n}"),
                }
            }
            (Kind::IpAddr, 4) => write!(
                f,
                "{}",
                Ipv4Addr::from(<[u8; 4]>::try_from(value).unwrap_or_default())
            ),
            (Kind::Ipv6Addr, 16) => write!(
                f,
                "{}",
                Ipv6Addr::from(<[u8; 16]>::try_from(value).unwrap_or_default())
            ),
            (Kind::Ipv6Prefix, 2..=18) => {
                let mut octets = [0u8; 16];
                octets[..value.len() - 2].copy_from_slice(&value[2..]);
                write!(f, "{}/{}", Ipv6Addr::from(octets), value[1])
            }
            _ => hex(f, value),
        }
    }
}

impl fmt::Debug for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}
