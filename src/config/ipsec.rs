//! `[ipsec]`: L2TP/IPsec through strongSwan's charon — where its VICI socket is, how clients
//! authenticate (a pre-shared key, certificates, or both), the proposals offered, dead-peer
//! detection and lifetimes.
//!
//! Key and certificate files are read here, so `check-config` finds a missing or unreadable
//! one without charon running.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::Source;
use super::raw::{RawIpsec, S};
use super::types::{IpsecAuth, IpsecCertificate, IpsecConfig};
use super::values::{int, parse_list, resolve, string, Result};

const SEC: &str = "ipsec";

/// IKE proposals offered when the config names none, strongest first (charon as responder
/// picks by our order). The sets the built-in clients send all meet one of them: Windows
/// 10/11 (AES or 3DES, SHA1, modp1024; modp2048/ECP with `NegotiateDH2048_AES256`), macOS and
/// iOS (AES-256/SHA2-256/modp2048 down to 3DES/SHA1/modp1024), Android (AES or 3DES, SHA1,
/// modp1024).
pub const DEFAULT_IKE_PROPOSALS: [&str; 10] = [
    "aes256-sha256-modp2048",
    "aes256-sha1-modp2048",
    "aes128-sha1-modp2048",
    "aes256-sha1-ecp384",
    "aes128-sha1-ecp256",
    "3des-sha1-modp2048",
    "aes256-sha256-modp1024",
    "aes256-sha1-modp1024",
    "aes128-sha1-modp1024",
    "3des-sha1-modp1024",
];

/// ESP proposals offered when the config names none.
pub const DEFAULT_ESP_PROPOSALS: [&str; 5] = [
    "aes256-sha256",
    "aes128-sha256",
    "aes256-sha1",
    "aes128-sha1",
    "3des-sha1",
];

/// Algorithm names a proposal may use (strongSwan's), and the weak ones among them.
const CIPHERS: [&str; 5] = ["aes256", "aes192", "aes128", "3des", "des"];
/// AEAD ciphers (ESP only: IKEv1 has none for its own SA); they take no integrity algorithm.
const AEAD: [&str; 2] = ["aes256gcm16", "aes128gcm16"];
const INTEGRITY: [&str; 5] = ["sha512", "sha384", "sha256", "sha1", "md5"];
const GROUPS: [&str; 7] = [
    "modp768", "modp1024", "modp1536", "modp2048", "modp3072", "ecp256", "ecp384",
];
const WEAK: [&str; 3] = ["des", "md5", "modp768"];

/// Validates `[ipsec]`; relative paths are resolved against `dir`.
pub(super) fn ipsec(raw: &RawIpsec, dir: &Path, src: &Source) -> Result<IpsecConfig> {
    let enabled = raw.enabled.as_ref().is_some_and(|b| *b.get_ref());
    let allow_weak = raw
        .allow_weak_proposals
        .as_ref()
        .is_some_and(|b| *b.get_ref());
    let socket = string(
        src,
        SEC,
        "vici_socket",
        &raw.vici_socket,
        "/run/charon.vici",
    )?;
    let psk = psk(raw, dir, src)?;
    let certificate = certificate(raw, dir, src)?;
    let auth = match (psk, certificate) {
        (Some(psk), Some(cert)) => IpsecAuth::Both(psk, cert),
        (Some(psk), None) => IpsecAuth::Psk(psk),
        (None, Some(cert)) => IpsecAuth::Certificate(cert),
        (None, None) if enabled => {
            let span = raw.enabled.as_ref().map_or(0..0, S::span);
            let msg =
                "IPsec needs a `psk` (or `psk_file`), or `certificate` + `private_key` + `ca`";
            return Err(src.invalid(span, SEC, "enabled", msg));
        }
        (None, None) => IpsecAuth::None,
    };
    let proposals = |key, v: &Option<S<Vec<S<String>>>>, default: &[&str], esp| match v {
        None => Ok(default.iter().map(|p| p.to_string()).collect()),
        Some(list) if list.get_ref().is_empty() => {
            Err(src.invalid(list.span(), SEC, key, "must list at least one proposal"))
        }
        Some(list) => parse_list(src, SEC, key, list, |p| proposal(p, esp, allow_weak)),
    };
    let secs = |key, v, default, range| -> Result<Duration> {
        Ok(Duration::from_secs(
            int(src, SEC, key, v, default, range)? as u64
        ))
    };
    let child_rekey = secs("child_rekey_time", &raw.child_rekey_time, 3600, 60..=86_400)?;
    Ok(IpsecConfig {
        enabled,
        vici_socket: resolve(dir, &socket),
        auth,
        ike_proposals: proposals(
            "ike_proposals",
            &raw.ike_proposals,
            &DEFAULT_IKE_PROPOSALS,
            false,
        )?,
        esp_proposals: proposals(
            "esp_proposals",
            &raw.esp_proposals,
            &DEFAULT_ESP_PROPOSALS,
            true,
        )?,
        dpd_delay: secs("dpd_delay", &raw.dpd_delay, 30, 0..=3600)?,
        dpd_timeout: secs("dpd_timeout", &raw.dpd_timeout, 150, 10..=3600)?,
        ike_rekey_time: secs("ike_rekey_time", &raw.ike_rekey_time, 14_400, 300..=86_400)?,
        child_rekey_time: child_rekey,
    })
}

/// The pre-shared key, from `psk` or the first line of `psk_file`.
fn psk(raw: &RawIpsec, dir: &Path, src: &Source) -> Result<Option<String>> {
    match (&raw.psk, &raw.psk_file) {
        (Some(_), Some(f)) => Err(src.invalid(
            f.span(),
            SEC,
            "psk_file",
            "give `psk` or `psk_file`, not both",
        )),
        (Some(p), None) if p.get_ref().is_empty() => Ok(None),
        (Some(p), None) => Ok(Some(p.get_ref().clone())),
        (None, Some(f)) => {
            let path = resolve(dir, f.get_ref());
            let text = std::fs::read_to_string(&path).map_err(|e| {
                src.invalid(
                    f.span(),
                    SEC,
                    "psk_file",
                    &format!("cannot read {}: {e}", path.display()),
                )
            })?;
            let key = text.lines().next().unwrap_or("").trim().to_owned();
            if key.is_empty() {
                let msg = format!("{} holds no key on its first line", path.display());
                return Err(src.invalid(f.span(), SEC, "psk_file", &msg));
            }
            Ok(Some(key))
        }
        (None, None) => Ok(None),
    }
}

/// The server certificate, its key and the CA that signs client certificates: all three or
/// none, each a readable PEM file.
fn certificate(raw: &RawIpsec, dir: &Path, src: &Source) -> Result<Option<IpsecCertificate>> {
    let keys = [
        ("certificate", &raw.certificate),
        ("private_key", &raw.private_key),
        ("ca", &raw.ca),
    ];
    let given: Vec<_> = keys.iter().filter(|(_, v)| v.is_some()).collect();
    if given.is_empty() {
        return Ok(None);
    }
    if let Some((missing, _)) = keys.iter().find(|(_, v)| v.is_none()) {
        let (key, v) = given[0];
        let span = v.as_ref().map_or(0..0, S::span);
        let msg =
            format!("`{key}` needs `{missing}` too (certificate, private_key and ca go together)");
        return Err(src.invalid(span, SEC, key, &msg));
    }
    let read = |key: &str, v: &Option<S<String>>| -> Result<(PathBuf, Vec<u8>)> {
        let v = v.as_ref().expect("checked above");
        let path = resolve(dir, v.get_ref());
        let data = std::fs::read(&path).map_err(|e| {
            src.invalid(
                v.span(),
                SEC,
                key,
                &format!("cannot read {}: {e}", path.display()),
            )
        })?;
        if !data.starts_with(b"-----BEGIN ") {
            let msg = format!("{} is not a PEM file", path.display());
            return Err(src.invalid(v.span(), SEC, key, &msg));
        }
        Ok((path, data))
    };
    let (certificate, cert_pem) = read("certificate", &raw.certificate)?;
    let (private_key, key_pem) = read("private_key", &raw.private_key)?;
    let (ca, ca_pem) = read("ca", &raw.ca)?;
    Ok(Some(IpsecCertificate {
        certificate,
        private_key,
        ca,
        cert_pem,
        key_pem,
        ca_pem,
    }))
}

/// One proposal such as `aes256-sha1-modp1024` (IKE) or `aes256-sha1` (ESP): a cipher, an
/// integrity algorithm (none after a GCM cipher) and, for IKE, a Diffie-Hellman group.
fn proposal(p: &str, esp: bool, allow_weak: bool) -> std::result::Result<String, String> {
    let parts: Vec<&str> = p.trim().split('-').collect();
    let aead = esp && parts.len() == 1;
    let shape: &[&[&str]] = match (esp, aead) {
        (false, _) => &[&CIPHERS, &INTEGRITY, &GROUPS],
        (true, false) => &[&CIPHERS, &INTEGRITY],
        (true, true) => &[&AEAD],
    };
    let kind = if esp {
        "an ESP proposal (cipher-integrity, e.g. aes256-sha1)"
    } else {
        "an IKE proposal (cipher-integrity-group, e.g. aes256-sha1-modp2048)"
    };
    if parts.len() != shape.len() {
        return Err(format!("`{p}` is not {kind}"));
    }
    for (part, allowed) in parts.iter().zip(shape) {
        if !allowed.contains(part) {
            return Err(format!(
                "`{part}` in `{p}` is not one of {}",
                allowed.join(", ")
            ));
        }
        if WEAK.contains(part) && !allow_weak {
            return Err(format!(
                "`{part}` is weak; set allow_weak_proposals = true to offer `{p}`"
            ));
        }
    }
    Ok(p.trim().to_owned())
}
