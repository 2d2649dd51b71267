//! The ledger: Tyndau's public transparency log (ADR 0018).
//!
//! One process appends (see `append`), signs and gets checkpoints cosigned (see `publish`), and
//! serves the log as static-looking GETs (see `routes`); any number may run, and every append
//! takes the tree's row lock, so two never append from the same state. Formats: `tyndau-tlog`.

pub mod append;
pub mod publish;
pub mod routes;
pub mod store;

use std::time::Duration;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretSlice, SecretString};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;
use tyndau_config::{DatabaseSettings, HttpSettings};
use tyndau_db::sqlx::PgPool;
use tyndau_tlog::keys::{CosignatureVerifier, log_signer, log_verifier, log_verifier_key};

#[derive(Debug, Deserialize)]
pub struct Settings {
    pub database: DatabaseSettings,
    #[serde(default = "default_http")]
    pub http: HttpSettings,
    pub ledger: LedgerSettings,
    pub privacy: ReceiptSettings,
}

fn default_http() -> HttpSettings {
    HttpSettings::on(([127, 0, 0, 1], 8091).into())
}

#[derive(Debug, Deserialize)]
pub struct LedgerSettings {
    /// The log's signer key, `PRIVATE+KEY+<origin>+<id>+<key>` (C2SP signed-note); its name is
    /// the log's origin line.
    pub key: SecretString,
    /// The witness's submission prefix (`<url>/add-checkpoint`); without one, checkpoints are
    /// published signed by the log alone.
    pub witness_url: Option<String>,
    /// The witness's verifier key (type 0x04): its answers are checked before publishing.
    pub witness_key: Option<String>,
    #[serde(default = "LedgerSettings::default_interval")]
    pub checkpoint_interval_ms: u64,
    #[serde(default = "LedgerSettings::default_batch")]
    pub batch: i64,
    #[serde(default = "LedgerSettings::default_idle_poll")]
    pub idle_poll_ms: u64,
}

impl LedgerSettings {
    fn default_interval() -> u64 {
        500
    }
    fn default_batch() -> i64 {
        5_000
    }
    fn default_idle_poll() -> u64 {
        50
    }
}

/// The secret signature commitments are derived under (hex); the command API holds the same to
/// show a signer their receipt.
#[derive(Debug, Deserialize)]
pub struct ReceiptSettings {
    pub receipt_key: SecretString,
}

/// The receipt key from its hex configuration value, refused when shorter than 32 bytes.
pub fn receipt_key(settings: &ReceiptSettings) -> anyhow::Result<SecretSlice<u8>> {
    let bytes = hex::decode(settings.receipt_key.expose_secret().trim())
        .context("privacy.receipt_key must be hex")?;
    anyhow::ensure!(
        bytes.len() >= 32,
        "privacy.receipt_key must hold at least 32 bytes"
    );
    Ok(bytes.into())
}

pub struct LedgerService {
    pool: PgPool,
    settings: Settings,
    publisher: publish::Publisher,
    receipt_key: SecretSlice<u8>,
}

impl LedgerService {
    /// Connects and checks the keys: a service with a bad key does not start.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let skey = settings.ledger.key.expose_secret();
        let signer = log_signer(skey).context("ledger.key is not a signed-note Ed25519 signer key")?;
        let log_key = log_verifier(&log_verifier_key(skey)?)?;
        let origin = signed_note::Signer::name(&signer).to_owned();
        let witness = match (&settings.ledger.witness_url, &settings.ledger.witness_key) {
            (None, None) => None,
            (Some(url), Some(key)) => Some(publish::WitnessClient {
                url: url.clone(),
                key: CosignatureVerifier::new(key)
                    .context("ledger.witness_key is not a cosignature verifier key")?,
                http: reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()?,
            }),
            _ => anyhow::bail!("ledger.witness_url and ledger.witness_key go together"),
        };
        let receipt_key = receipt_key(&settings.privacy)?;
        let pool = tyndau_db::connect(&settings.database).await?;
        let publisher = publish::Publisher {
            pool: pool.clone(),
            origin,
            signer,
            log_key,
            witness,
            interval: Duration::from_millis(settings.ledger.checkpoint_interval_ms),
        };
        Ok(Self {
            pool,
            settings,
            publisher,
            receipt_key,
        })
    }

    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let listener = tyndau_http::bind(self.settings.http.addr).await?;
        self.serve_on(listener, shutdown).await
    }

    /// Appends, publishes and serves on `listener` until `shutdown`.
    pub async fn serve_on(
        self,
        listener: tokio::net::TcpListener,
        shutdown: CancellationToken,
    ) -> anyhow::Result<()> {
        let addr = listener.local_addr()?;
        let pool = self.pool.clone();
        let checks = tyndau_http::HealthCheck::new().with("postgres", move || tyndau_db::ping(pool.clone()));
        let log = routes::router(routes::LogState {
            pool: self.pool.clone(),
            witnessed_only: self.publisher.witness.is_some(),
        });
        let router = tyndau_http::middleware::apply(
            tyndau_http::health_routes(checks).merge(log),
            &self.settings.http,
        );
        let http = tokio::spawn(tyndau_http::serve(listener, router, shutdown.clone()));
        let (appender, appended) = append::Appender::new(
            self.pool.clone(),
            self.receipt_key,
            self.settings.ledger.batch,
            Duration::from_millis(self.settings.ledger.idle_poll_ms),
        );
        tracing::info!(%addr, origin = %self.publisher.origin, "ledger started");
        let publishing = tokio::spawn(self.publisher.run(appended, shutdown.clone()));
        appender.run(shutdown).await;
        publishing.await?;
        http.await??;
        Ok(())
    }
}
