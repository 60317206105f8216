//! `rasd check-config`: the configuration and the users file it names, checked together.

use crate::config::{AuthMethod, Config};
use crate::users::Users;
use pppd::auth::Credential;
use std::path::Path;

/// Loads the configuration at `path` and its users file; returns a report whose first line
/// is `FILE: ok (...)`, followed by `warning: ...` lines. Errors name file, line and key.
pub fn check_config(path: &Path) -> anyhow::Result<String> {
    let cfg = Config::load(path)?;
    let mut warnings = Vec::new();
    let users_file = &cfg.server.users_file;
    let users = if users_file.exists() {
        Users::load(users_file)?
    } else {
        warnings.push(format!(
            "the users file {} does not exist: nobody can log in",
            users_file.display()
        ));
        Users::default()
    };
    if cfg.ppp.auth.contains(&AuthMethod::ChapMd5) {
        let mut hashed: Vec<&str> = users
            .iter()
            .filter(|(_, c)| matches!(c, Credential::NtHash(_)))
            .map(|(n, _)| n)
            .collect();
        if !hashed.is_empty() {
            hashed.sort_unstable();
            warnings.push(format!(
                "chap-md5 needs clear-text passwords; these users have only an NT hash: {}",
                hashed.join(", ")
            ));
        }
    }
    if !cfg.pptp.enabled {
        warnings.push("[pptp] enabled = false: no protocol is served".to_owned());
    }
    let mut report = format!(
        "{}: ok ({} pool addresses, {} users in {})",
        path.display(),
        cfg.ip.pool_size(),
        users.len(),
        users_file.display()
    );
    for w in warnings {
        report.push_str("\nwarning: ");
        report.push_str(&w);
    }
    Ok(report)
}
