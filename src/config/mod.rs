//! The daemon's TOML configuration: schema, defaults and validation with errors that name
//! the file, line and key.

mod build;
mod dae;
mod error;
mod ip;
mod ipsec;
mod l2tp_peer;
mod radius;
mod raw;
mod types;
mod values;

pub use error::ConfigError;
pub use ipsec::{DEFAULT_ESP_PROPOSALS, DEFAULT_IKE_PROPOSALS};
pub use types::*;

use error::Source;
use std::path::Path;

/// Where `rasd` looks for its configuration when `--config` is not given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/rasd/rasd.toml";

impl Config {
    /// Reads and validates the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Source {
                file: path,
                text: "",
            }
            .whole_file(format!("cannot read the configuration: {e}"))
        })?;
        Config::parse(&text, path)
    }

    /// Validates configuration `text`; `path` names the file in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let src = Source { file: path, text };
        let raw = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
        build::build(raw, &src)
    }
}
