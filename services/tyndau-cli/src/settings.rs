//! The CLI's view of the shared configuration. Every section is optional so that a command only
//! needs what it uses: `dev-keys` runs without a database, `migrate` without auth settings.

use std::path::PathBuf;

use anyhow::{Context, bail};
use secrecy::SecretSlice;
use serde::Deserialize;
use tyndau_auth::Pseudonymizer;
use tyndau_config::{DatabaseSettings, Environment, ExposeSecret, SecretString};

#[derive(Debug, Default, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub environment: Environment,
    #[serde(default)]
    pub database: Option<DatabaseSettings>,
    #[serde(default)]
    pub auth: Option<AuthSettings>,
    #[serde(default)]
    pub privacy: Option<PrivacySettings>,
    /// `TYNDAU_DEV_KEYS_DIR`: where `dev-keys` wrote the dev issuer's key.
    #[serde(default)]
    pub dev_keys_dir: Option<PathBuf>,
}

/// Only what a dev token needs; the verifier's other fields (`jwks`, leeway…) are ignored here.
#[derive(Debug, Default, Deserialize)]
pub struct AuthSettings {
    pub issuer: Option<String>,
    pub audience: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PrivacySettings {
    /// Hex-encoded pepper, decoded exactly as the command API decodes it, so demo citizens get
    /// the same signer keys as real requests carrying the same IIN.
    pub signer_pepper: SecretString,
    /// Hex-encoded key signature commitments in the transparency log are derived under.
    #[serde(default)]
    pub receipt_key: Option<SecretString>,
}

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        tyndau_config::load().context("cannot load the configuration (TYNDAU_* variables, TYNDAU_CONFIG)")
    }

    /// Development tools (dev keys, dev tokens, demo data) refuse to run in production.
    pub fn refuse_production(&self, what: &str) -> anyhow::Result<()> {
        if self.environment == Environment::Production {
            bail!(
                "refusing to {what}: the environment is production (TYNDAU_ENVIRONMENT=production); \
                 development tooling must never run against production"
            );
        }
        Ok(())
    }

    pub fn database(&self) -> anyhow::Result<&DatabaseSettings> {
        self.database.as_ref().context(
            "no database is configured: set TYNDAU_DATABASE__URL (or [database] url in the config file)",
        )
    }

    pub fn issuer(&self) -> anyhow::Result<&str> {
        self.auth
            .as_ref()
            .and_then(|a| a.issuer.as_deref())
            .filter(|s| !s.trim().is_empty())
            .context("no token issuer is configured: set TYNDAU_AUTH__ISSUER")
    }

    pub fn audience(&self) -> anyhow::Result<&str> {
        self.auth
            .as_ref()
            .and_then(|a| a.audience.as_deref())
            .filter(|s| !s.trim().is_empty())
            .context("no token audience is configured: set TYNDAU_AUTH__AUDIENCE")
    }

    pub fn pseudonymizer(&self) -> anyhow::Result<Pseudonymizer> {
        let privacy = self
            .privacy
            .as_ref()
            .context("no signer pepper is configured: set TYNDAU_PRIVACY__SIGNER_PEPPER")?;
        pseudonymizer_from_hex(privacy.signer_pepper.expose_secret())
    }
}

impl Settings {
    pub fn receipt_key(&self) -> anyhow::Result<Vec<u8>> {
        let key = self
            .privacy
            .as_ref()
            .and_then(|p| p.receipt_key.as_ref())
            .context("no receipt key is configured: set TYNDAU_PRIVACY__RECEIPT_KEY")?;
        hex::decode(key.expose_secret().trim()).context("privacy.receipt_key must be a hex string")
    }
}

pub fn pseudonymizer_from_hex(pepper: &str) -> anyhow::Result<Pseudonymizer> {
    let bytes = hex::decode(pepper.trim()).context("privacy.signer_pepper must be a hex string")?;
    Pseudonymizer::new(SecretSlice::from(bytes)).map_err(|e| anyhow::anyhow!("privacy.signer_pepper: {e}"))
}
