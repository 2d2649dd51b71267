//! Layered, typed configuration shared by every service.
//!
//! Layers, later ones winning: the defaults of the settings type; the TOML file named by
//! `TYNDAU_CONFIG` (or `config/tyndau.toml` when present); environment variables `TYNDAU_…` with
//! `__` between levels (`TYNDAU_DATABASE__URL`). Secrets are [`SecretString`]s: their `Debug`
//! prints `[REDACTED]`, so settings can be logged at start-up.

use std::path::PathBuf;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
pub use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, thiserror::Error)]
#[error("configuration is invalid: {0}")]
pub struct ConfigError(String);

impl ConfigError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Loads `T` from the layers above.
pub fn load<T: DeserializeOwned>() -> Result<T, ConfigError> {
    figment().extract().map_err(|e| ConfigError(e.to_string()))
}

/// The layered figment, for callers that want to merge more layers (tests do).
pub fn figment() -> Figment {
    let file = std::env::var_os("TYNDAU_CONFIG").map(PathBuf::from).or_else(|| {
        let default = PathBuf::from("config/tyndau.toml");
        default.exists().then_some(default)
    });
    let mut figment = Figment::new();
    if let Some(file) = file {
        figment = figment.merge(Toml::file_exact(file));
    }
    figment.merge(Env::prefixed("TYNDAU_").split("__"))
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Development,
    Production,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// May hold a password: kept secret.
    pub url: SecretString,
    #[serde(default = "DatabaseSettings::default_max_connections")]
    pub max_connections: u32,
    #[serde(default = "DatabaseSettings::default_acquire_timeout_ms")]
    pub acquire_timeout_ms: u64,
}

impl DatabaseSettings {
    fn default_max_connections() -> u32 {
        16
    }

    fn default_acquire_timeout_ms() -> u64 {
        5_000
    }

    pub fn acquire_timeout(&self) -> Duration {
        Duration::from_millis(self.acquire_timeout_ms)
    }

    pub fn with_url(url: &str) -> Self {
        Self {
            url: SecretString::from(url.to_owned()),
            max_connections: Self::default_max_connections(),
            acquire_timeout_ms: Self::default_acquire_timeout_ms(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct NatsSettings {
    /// `nats://host:port`, or several separated by commas: a cluster's seed servers (the client
    /// learns the rest of the cluster from them and reconnects to any).
    pub url: String,
    /// Prefix of every subject and stream name: isolates deployments and tests on one server.
    #[serde(default = "NatsSettings::default_prefix")]
    pub prefix: String,
    /// Stream replicas: 1 on a single local server, 3 (or 5) on a production cluster.
    #[serde(default = "NatsSettings::default_replicas")]
    pub replicas: usize,
}

impl NatsSettings {
    fn default_prefix() -> String {
        "tyndau".to_owned()
    }

    fn default_replicas() -> usize {
        1
    }

    pub fn new(url: &str, prefix: &str) -> Self {
        Self {
            url: url.to_owned(),
            prefix: prefix.to_owned(),
            replicas: 1,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct HttpSettings {
    pub addr: std::net::SocketAddr,
    #[serde(default = "HttpSettings::default_body_limit")]
    pub body_limit_bytes: usize,
    #[serde(default = "HttpSettings::default_request_timeout_ms")]
    pub request_timeout_ms: u64,
    /// Set only when the service sits behind its own reverse proxy: the client address is then
    /// the last entry of `X-Forwarded-For`, not the TCP peer.
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Peers whose `X-Forwarded-For` is believed (the web front, which calls the command API on
    /// behalf of browsers): narrower than `trust_forwarded_for`, which believes every peer.
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl HttpSettings {
    fn default_body_limit() -> usize {
        64 * 1024
    }

    fn default_request_timeout_ms() -> u64 {
        10_000
    }

    pub fn on(addr: std::net::SocketAddr) -> Self {
        Self {
            addr,
            body_limit_bytes: Self::default_body_limit(),
            request_timeout_ms: Self::default_request_timeout_ms(),
            trust_forwarded_for: false,
            trusted_proxies: Vec::new(),
        }
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sample {
        database: DatabaseSettings,
        nats: NatsSettings,
        #[serde(default)]
        environment: Environment,
    }

    #[test]
    fn environment_overrides_the_file_and_secrets_stay_hidden() {
        figment::Jail::expect_with(|jail| {
            // The developer's own TYNDAU_ variables must not leak into the test.
            jail.clear_env();
            jail.create_file(
                "tyndau.toml",
                "[database]\nurl = \"postgres://file\"\n[nats]\nurl = \"nats://file\"\n",
            )?;
            jail.set_env("TYNDAU_CONFIG", "tyndau.toml");
            jail.set_env("TYNDAU_DATABASE__URL", "postgres://user:hunter2@env/db");
            jail.set_env("TYNDAU_ENVIRONMENT", "production");
            let sample: Sample = load().map_err(|e| e.to_string())?;
            assert_eq!(
                sample.database.url.expose_secret(),
                "postgres://user:hunter2@env/db"
            );
            assert_eq!(sample.nats.url, "nats://file");
            assert_eq!(sample.nats.prefix, "tyndau");
            assert_eq!(sample.environment, Environment::Production);
            assert!(!format!("{sample:?}").contains("hunter2"));
            Ok(())
        });
    }
}
