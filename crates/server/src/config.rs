//! Configuration loading: the embedded `config/default.toml`, then an optional file, then
//! `PASSAGE_<TABLE>__<KEY>` environment variables. Unknown keys are errors naming the key.

use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use passage_core::config::{Config, DEFAULT_TOML};
use std::path::Path;

/// Loads the configuration as `passage` does.
pub fn load(file: Option<&Path>) -> Result<Config, String> {
    let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
    if let Some(path) = file {
        if !path.exists() {
            return Err(format!(
                "configuration file {} does not exist",
                path.display()
            ));
        }
        figment = figment.merge(Toml::file(path));
    }
    // Only `PASSAGE_<TABLE>__<KEY>` names are settings; other PASSAGE_ variables (PASSAGE_CONFIG,
    // the test suite's PASSAGE_TEST_DATABASE_URL) are not, and must not count as unknown keys.
    let settings = Env::prefixed("PASSAGE_")
        .filter(|key| key.as_str().contains("__"))
        .split("__");
    figment = figment.merge(settings);
    let config: Config = figment.extract().map_err(|e| describe(&e))?;
    validate(&config)?;
    Ok(config)
}

/// Loads defaults, then `overlay` TOML text, without the environment (tests).
pub fn from_toml(overlay: &str) -> Result<Config, String> {
    Figment::from(Toml::string(DEFAULT_TOML))
        .merge(Toml::string(overlay))
        .extract()
        .map_err(|e| describe(&e))
}

fn describe(e: &figment::Error) -> String {
    e.clone()
        .into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

fn validate(config: &Config) -> Result<(), String> {
    if config.instance.domain.trim().is_empty() {
        return Err("instance.domain must not be empty".into());
    }
    if config.instance.domain.contains('/') {
        return Err(format!(
            "instance.domain {:?} must be a host name, not a URL",
            config.instance.domain
        ));
    }
    if config.http.bind.parse::<std::net::SocketAddr>().is_err() {
        return Err(format!(
            "http.bind {:?} is not an address:port",
            config.http.bind
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_environment_override_defaults_and_unknown_keys_fail() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("passage.toml");
        std::fs::write(&file, "[instance]\nname = \"City of Riga\"\n").unwrap();
        let config = load(Some(&file)).unwrap();
        assert_eq!(config.instance.name, "City of Riga");
        assert_eq!(config.http.bind, "127.0.0.1:8080");

        std::fs::write(&file, "[instance]\nnmae = \"typo\"\n").unwrap();
        let err = load(Some(&file)).unwrap_err();
        assert!(err.contains("nmae"), "{err}");

        let overlay = from_toml("[delivery]\nmode = \"manual\"").unwrap();
        assert_eq!(
            overlay.delivery.mode,
            passage_core::config::DeliveryMode::Manual
        );
    }
}
