//! Verifier configuration, deserialised from the service's config file (figment/TOML).

use std::path::PathBuf;

use serde::Deserialize;

use crate::error::AuthSetupError;

/// Where and how tokens are checked.
///
/// Unknown fields are refused so that a typo such as `leway_seconds` fails at startup instead of
/// silently falling back to a default.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Expected `iss`: exactly one trusted identity provider.
    pub issuer: String,
    /// Expected `aud`: this API. Required in every token (RFC 8725 §3.9).
    pub audience: String,
    /// The pinned key set. Keys are never taken from the token (`jku`, `x5u`, `jwk` are ignored).
    pub jwks: JwksSource,
    /// Clock-skew allowance for `exp`/`nbf`. Small on purpose: jsonwebtoken's default is 60 s.
    #[serde(default = "default_leeway_seconds")]
    pub leeway_seconds: u64,
    /// How often the key set is reloaded, so keys rotate without a restart.
    #[serde(default = "default_refresh_seconds")]
    pub refresh_seconds: u64,
}

/// The JWKS location: `{ path = "…" }` or `{ url = "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JwksSource {
    /// A local file, e.g. written by [`crate::dev::DevKeys::write_to`] or by a deploy step.
    Path(PathBuf),
    /// An HTTPS endpoint of the identity provider (plain HTTP only for loopback hosts).
    Url(String),
}

/// Larger skews hide clock problems and stretch the life of stolen tokens.
pub const MAX_LEEWAY_SECONDS: u64 = 60;

fn default_leeway_seconds() -> u64 {
    5
}

fn default_refresh_seconds() -> u64 {
    300
}

impl AuthConfig {
    /// A config with the default leeway and refresh period.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>, jwks: JwksSource) -> Self {
        Self {
            issuer: issuer.into(),
            audience: audience.into(),
            jwks,
            leeway_seconds: default_leeway_seconds(),
            refresh_seconds: default_refresh_seconds(),
        }
    }

    /// Checks what serde cannot: an empty issuer or audience would make those checks vacuous.
    pub fn validate(&self) -> Result<(), AuthSetupError> {
        if self.issuer.trim().is_empty() {
            return Err(AuthSetupError::Config("issuer must not be empty"));
        }
        if self.audience.trim().is_empty() {
            return Err(AuthSetupError::Config("audience must not be empty"));
        }
        if self.leeway_seconds > MAX_LEEWAY_SECONDS {
            return Err(AuthSetupError::Config("leeway_seconds must be at most 60"));
        }
        if self.refresh_seconds == 0 {
            return Err(AuthSetupError::Config("refresh_seconds must be at least 1"));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use super::*;

    #[test]
    fn defaults_and_both_sources_deserialize() {
        let cfg: AuthConfig = serde_json::from_str(
            r#"{"issuer":"https://idp","audience":"tyndau","jwks":{"path":"/etc/jwks.json"}}"#,
        )
        .unwrap();
        assert_eq!(cfg.leeway_seconds, 5);
        assert_eq!(cfg.refresh_seconds, 300);
        assert_eq!(cfg.jwks, JwksSource::Path("/etc/jwks.json".into()));
        cfg.validate().unwrap();

        let cfg: AuthConfig = serde_json::from_str(
            r#"{"issuer":"i","audience":"a","jwks":{"url":"https://idp/jwks"},"leeway_seconds":0,"refresh_seconds":60}"#,
        )
        .unwrap();
        assert_eq!(cfg.jwks, JwksSource::Url("https://idp/jwks".into()));
        assert_eq!(cfg.leeway_seconds, 0);
    }

    #[test]
    fn typos_and_vacuous_values_are_refused() {
        let typo = r#"{"issuer":"i","audience":"a","jwks":{"path":"x"},"leway_seconds":1}"#;
        assert!(serde_json::from_str::<AuthConfig>(typo).is_err());
        let mut cfg = AuthConfig::new("i", "a", JwksSource::Path("x".into()));
        cfg.leeway_seconds = 120;
        assert!(cfg.validate().is_err());
        cfg.leeway_seconds = 5;
        cfg.refresh_seconds = 0;
        assert!(cfg.validate().is_err());
        cfg.refresh_seconds = 1;
        cfg.audience = " ".into();
        assert!(cfg.validate().is_err());
    }
}
