use serde::Deserialize;
use tyndau_auth::AuthConfig;
use tyndau_config::{DatabaseSettings, Environment, HttpSettings, SecretString};
use tyndau_domain::{ConsultationPolicy, PetitionPolicy};

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub environment: Environment,
    pub database: DatabaseSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    pub auth: AuthConfig,
    pub privacy: PrivacySettings,
    pub notifications: NotificationLinkSettings,
    #[serde(default)]
    pub webhooks: WebhookSettings,
    #[serde(default)]
    pub signatures: SignatureSettings,
    /// The petition law's numbers (thresholds, periods, limits); Kazakhstan's law by default.
    #[serde(default)]
    pub policy: PetitionPolicy,
    /// Public consultation's numbers (comment period, answer period, limits).
    #[serde(default)]
    pub consultation_policy: ConsultationPolicy,
    /// Largest accepted draft (a consultation or a new version), in bytes: draft acts are long.
    #[serde(default = "default_draft_limit")]
    pub draft_body_limit_bytes: usize,
    #[serde(default)]
    pub rate_limits: crate::limits::RateLimitSettings,
}

fn default_draft_limit() -> usize {
    4 * 1024 * 1024
}

#[derive(Debug, Clone, Deserialize)]
pub struct PrivacySettings {
    /// Hex-encoded secret (at least 32 bytes) keying the signer pseudonyms. Kept outside the
    /// database: without it the pseudonyms cannot be linked back to IINs.
    pub signer_pepper: SecretString,
    /// Hex-encoded secret (at least 32 bytes) the transparency log derives signature commitments
    /// under (the same value as the ledger's): with it, a signer's answer carries their receipt.
    #[serde(default)]
    pub receipt_key: Option<SecretString>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WebhookSettings {
    /// Whether webhook endpoints may be plain `http` and on loopback or private networks:
    /// development and tests only (otherwise a webhook is a way into the platform's network).
    #[serde(default)]
    pub allow_internal_addresses: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NotificationLinkSettings {
    /// Hex-encoded secret (at least 32 bytes) the notifier signs one-click unsubscribe links
    /// with; the same value in both services.
    pub link_secret: SecretString,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SignatureSettings {
    /// Batch transactions in flight at once. One: a batch for a petition waits on its gate row
    /// anyway, so more collectors only made smaller batches and lock waits (ADR 0013).
    pub batch_collectors: usize,
    pub max_batch: usize,
    pub queue: usize,
    /// How long a petition's signing terms are cached; the gate in the database is authoritative.
    pub terms_cache_ms: u64,
}

impl Default for SignatureSettings {
    fn default() -> Self {
        Self {
            batch_collectors: 1,
            max_batch: 2_000,
            queue: 50_000,
            terms_cache_ms: 1_000,
        }
    }
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8081).into())
}

impl Settings {
    /// Start-up checks of settings that must hold before serving.
    pub fn check(&self) -> anyhow::Result<()> {
        self.auth
            .validate()
            .map_err(|e| anyhow::anyhow!("auth settings: {e}"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use figment::Figment;
    use figment::providers::{Format, Toml};

    use super::*;

    #[test]
    fn the_documented_example_configuration_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/tyndau.example.toml");
        let settings: Settings = Figment::from(Toml::file_exact(path))
            .extract()
            .expect("example parses");
        assert_eq!(settings.environment, Environment::Production);
        assert_eq!(settings.policy, PetitionPolicy::default());
        assert_eq!(settings.consultation_policy, ConsultationPolicy::default());
        settings.check().expect("example passes the start-up checks");
    }
}
