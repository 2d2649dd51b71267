//! Webhooks in the Standard Webhooks format (<https://www.standardwebhooks.com/>): each queued
//! delivery is POSTed as JSON with `webhook-id` (the same on every attempt), `webhook-timestamp`
//! and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the endpoint's
//! `whsec_` secret, so a receiver checks who sent it and refuses replays outside its window.
//!
//! Endpoints are served side by side; one endpoint's deliveries go one at a time, so a slow or
//! failing endpoint holds up only itself. A failure (no answer in time, or not 2xx) is retried
//! with exponential backoff; when the last attempt fails the endpoint is disabled, with the
//! reason its owner sees, until they turn it on again.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::StreamExt;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;
use tyndau_read_model::ReadError;
use tyndau_read_model::webhooks::{self, DueDelivery};
use uuid::Uuid;

/// How hard to drive the endpoints.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct HookSettings {
    /// Per request: an endpoint slower than this has failed the attempt.
    pub timeout_secs: f64,
    /// Endpoints served at once.
    pub concurrency: usize,
    /// Deliveries leased per round.
    pub batch: i64,
    pub lease_secs: f64,
    /// Attempts before a delivery is given up and its endpoint disabled.
    pub max_attempts: i32,
    /// The first retry's wait; each next one waits four times longer (capped at ten hours).
    pub retry_base_secs: f64,
    pub idle_poll_ms: u64,
}

impl Default for HookSettings {
    fn default() -> Self {
        Self {
            timeout_secs: 10.0,
            concurrency: 16,
            batch: 200,
            lease_secs: 120.0,
            max_attempts: 8,
            retry_base_secs: 5.0,
            idle_poll_ms: 500,
        }
    }
}

const MAX_RETRY_SECS: f64 = 36_000.0;

/// The `webhook-signature` value for one message.
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// A fresh endpoint secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret(random: &[u8; 32]) -> String {
    format!("whsec_{}", STANDARD.encode(random))
}

pub struct HookSender {
    pool: PgPool,
    http: reqwest::Client,
    settings: HookSettings,
}

impl std::fmt::Debug for HookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookSender")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// How one attempt went.
enum Attempt {
    Delivered(i32),
    Failed { status: Option<i32>, error: String },
}

impl HookSender {
    pub fn new(pool: PgPool, settings: &HookSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs_f64(settings.timeout_secs.max(0.1)))
            // A receiver's redirect is not followed: the registered address is the one we trust.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Tyndau-Webhooks/1")
            .build()?;
        Ok(Self {
            pool,
            http,
            settings: settings.clone(),
        })
    }

    pub async fn run(self, shutdown: CancellationToken) {
        let idle = Duration::from_millis(self.settings.idle_poll_ms.max(10));
        while !shutdown.is_cancelled() {
            let pause = match self.send_due().await {
                Ok(0) => idle,
                Ok(_) => Duration::ZERO,
                Err(error) => {
                    tracing::warn!(error = %error, "webhook deliveries could not be read; trying again");
                    Duration::from_secs(1)
                }
            };
            if !pause.is_zero() {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(pause) => {}
                }
            }
        }
    }

    /// One round; how many deliveries were leased.
    pub async fn send_due(&self) -> Result<usize, ReadError> {
        let due = webhooks::lease(&self.pool, self.settings.batch, self.settings.lease_secs).await?;
        let leased = due.len();
        let mut by_endpoint: BTreeMap<Uuid, Vec<DueDelivery>> = BTreeMap::new();
        for delivery in due {
            by_endpoint
                .entry(delivery.endpoint_id)
                .or_default()
                .push(delivery);
        }
        let results: Vec<Result<(), ReadError>> = futures::stream::iter(by_endpoint.into_values())
            .map(|deliveries| self.serve_endpoint(deliveries))
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(leased)
    }

    /// One endpoint's deliveries, in order; after a failure the rest wait for the retry.
    async fn serve_endpoint(&self, deliveries: Vec<DueDelivery>) -> Result<(), ReadError> {
        let mut failed_at: Option<f64> = None;
        for delivery in deliveries {
            if let Some(delay) = failed_at {
                webhooks::postpone(&self.pool, delivery.endpoint_id, &delivery.event_key, delay).await?;
                continue;
            }
            match self.attempt(&delivery).await {
                Attempt::Delivered(status) => {
                    webhooks::delivered(&self.pool, delivery.endpoint_id, &delivery.event_key, status)
                        .await?;
                }
                Attempt::Failed { status, error } if delivery.attempts >= self.settings.max_attempts => {
                    let reason = format!(
                        "{} attempts to deliver {} failed; the last: {error}",
                        delivery.attempts, delivery.message_id
                    );
                    tracing::warn!(endpoint = %delivery.endpoint_id, %reason, "a webhook endpoint is disabled");
                    webhooks::give_up(
                        &self.pool,
                        delivery.endpoint_id,
                        &delivery.event_key,
                        status,
                        &error,
                        &reason,
                    )
                    .await?;
                    return Ok(());
                }
                Attempt::Failed { status, error } => {
                    let delay = (self.settings.retry_base_secs * 4_f64.powi(delivery.attempts - 1))
                        .min(MAX_RETRY_SECS);
                    webhooks::retry(
                        &self.pool,
                        delivery.endpoint_id,
                        &delivery.event_key,
                        status,
                        &error,
                        delay,
                    )
                    .await?;
                    failed_at = Some(delay);
                }
            }
        }
        Ok(())
    }

    async fn attempt(&self, delivery: &DueDelivery) -> Attempt {
        let body = delivery.payload.to_string();
        let timestamp = OffsetDateTime::now_utc().unix_timestamp();
        let Some(signature) = signature(&delivery.secret, &delivery.message_id, timestamp, &body) else {
            return Attempt::Failed {
                status: None,
                error: "the endpoint's secret is unusable".to_owned(),
            };
        };
        let sent = self
            .http
            .post(&delivery.url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => {
                Attempt::Delivered(i32::from(response.status().as_u16()))
            }
            Ok(response) => Attempt::Failed {
                status: Some(i32::from(response.status().as_u16())),
                error: format!("HTTP {}", response.status().as_u16()),
            },
            Err(error) if error.is_timeout() => Attempt::Failed {
                status: None,
                error: format!("no answer within {} s", self.settings.timeout_secs),
            },
            Err(_) => Attempt::Failed {
                status: None,
                error: "the endpoint could not be reached".to_owned(),
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_standard_webhooks_one() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("not-a-secret", "m", 1, ""), None);
    }
}
