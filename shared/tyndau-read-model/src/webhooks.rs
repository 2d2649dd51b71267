//! Webhook endpoints and their delivery log. The command API registers and lists endpoints for
//! their owners; the notifications projection queues one delivery per (endpoint, event) in its
//! transaction; the notifier's hook sender leases, sends and settles them.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_ids::SignerKey;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::ReadError;

/// Most endpoints one person may register.
pub const MAX_ENDPOINTS: i64 = 10;

/// An endpoint as its owner sees it (never the secret again).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Endpoint {
    pub endpoint_id: Uuid,
    pub url: String,
    /// What it receives: subjects, or empty for every public event.
    pub topics: Vec<String>,
    /// `active` or `disabled`.
    pub state: String,
    /// Why it was disabled (repeated failures and the last one).
    pub disabled_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The latest deliveries, newest first.
    pub deliveries: Vec<Delivery>,
}

/// One entry of the delivery log.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// The `webhook-id` header.
    pub message_id: String,
    /// `petition.answered`, `consultation.opened`, …
    pub kind: String,
    pub attempts: i32,
    /// `delivered`, `pending` or `failed`.
    pub status: String,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Registers an endpoint, unless the owner has [`MAX_ENDPOINTS`] already (`false`).
pub async fn register(
    pool: &PgPool,
    endpoint: Uuid,
    owner: SignerKey,
    url: &str,
    secret: &str,
    topics: &[String],
) -> Result<bool, ReadError> {
    let done = sqlx::query(
        "INSERT INTO webhook_endpoints (endpoint_id, owner, url, secret, topics)
         SELECT $1, $2, $3, $4, $5
          WHERE (SELECT count(*) FROM webhook_endpoints WHERE owner = $2) < $6",
    )
    .bind(endpoint)
    .bind(owner.to_string())
    .bind(url)
    .bind(secret)
    .bind(topics)
    .bind(MAX_ENDPOINTS)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The owner's endpoints with their latest deliveries.
pub async fn endpoints_of(pool: &PgPool, owner: SignerKey) -> Result<Vec<Endpoint>, ReadError> {
    let rows = sqlx::query(
        "SELECT e.endpoint_id, e.url, e.topics, e.state, e.disabled_reason, e.created_at,
                coalesce((SELECT jsonb_agg(d ORDER BY d.created_at DESC) FROM (
                    SELECT message_id, kind, attempts, last_status, last_error, created_at,
                           CASE WHEN delivered_at IS NOT NULL THEN 'delivered'
                                WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS status
                      FROM webhook_deliveries WHERE endpoint_id = e.endpoint_id
                     ORDER BY created_at DESC LIMIT 20) d), '[]') AS deliveries
           FROM webhook_endpoints e WHERE e.owner = $1 ORDER BY e.created_at",
    )
    .bind(owner.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let deliveries: Value = row.try_get("deliveries")?;
            let deliveries = deliveries
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|d| Delivery {
                            message_id: d["message_id"].as_str().unwrap_or_default().to_owned(),
                            kind: d["kind"].as_str().unwrap_or_default().to_owned(),
                            attempts: d["attempts"]
                                .as_i64()
                                .and_then(|n| i32::try_from(n).ok())
                                .unwrap_or(0),
                            status: d["status"].as_str().unwrap_or_default().to_owned(),
                            last_status: d["last_status"].as_i64().and_then(|n| i32::try_from(n).ok()),
                            last_error: d["last_error"].as_str().map(str::to_owned),
                            created_at: d["created_at"]
                                .as_str()
                                .and_then(|s| {
                                    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                                        .ok()
                                })
                                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(Endpoint {
                endpoint_id: row.try_get("endpoint_id")?,
                url: row.try_get("url")?,
                topics: row.try_get("topics")?,
                state: row.try_get("state")?,
                disabled_reason: row.try_get("disabled_reason")?,
                created_at: row.try_get("created_at")?,
                deliveries,
            })
        })
        .collect()
}

/// Deletes an owner's endpoint (and its log); `false` when there is none.
pub async fn delete(pool: &PgPool, owner: SignerKey, endpoint: Uuid) -> Result<bool, ReadError> {
    let done = sqlx::query("DELETE FROM webhook_endpoints WHERE endpoint_id = $1 AND owner = $2")
        .bind(endpoint)
        .bind(owner.to_string())
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Turns a disabled endpoint back on; what failed stays failed. `false` when there is none.
pub async fn enable(pool: &PgPool, owner: SignerKey, endpoint: Uuid) -> Result<bool, ReadError> {
    let done = sqlx::query(
        "UPDATE webhook_endpoints SET state = 'active', disabled_reason = NULL
          WHERE endpoint_id = $1 AND owner = $2",
    )
    .bind(endpoint)
    .bind(owner.to_string())
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Erasure: the person's endpoints go.
pub async fn forget(pool: &PgPool, owner: SignerKey) -> Result<(), ReadError> {
    sqlx::query("DELETE FROM webhook_endpoints WHERE owner = $1")
        .bind(owner.to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// A delivery leased for sending.
#[derive(Clone, Debug)]
pub struct DueDelivery {
    pub endpoint_id: Uuid,
    pub event_key: String,
    pub message_id: String,
    pub payload: Value,
    /// Attempts so far, this one included.
    pub attempts: i32,
    pub url: String,
    pub secret: String,
}

/// Leases up to `limit` due deliveries of active endpoints for `lease_secs`.
pub async fn lease(pool: &PgPool, limit: i64, lease_secs: f64) -> Result<Vec<DueDelivery>, ReadError> {
    let rows = sqlx::query(
        "WITH due AS (
             SELECT d.endpoint_id, d.event_key FROM webhook_deliveries d
               JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id AND e.state = 'active'
              WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.due_at <= now()
              ORDER BY d.due_at
              LIMIT $1
              FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d
            SET due_at = now() + make_interval(secs => $2), attempts = d.attempts + 1
           FROM due, webhook_endpoints e
          WHERE d.endpoint_id = due.endpoint_id AND d.event_key = due.event_key
            AND e.endpoint_id = d.endpoint_id
         RETURNING d.endpoint_id, d.event_key, d.message_id, d.payload, d.attempts, e.url, e.secret",
    )
    .bind(limit)
    .bind(lease_secs)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DueDelivery {
                endpoint_id: row.try_get("endpoint_id")?,
                event_key: row.try_get("event_key")?,
                message_id: row.try_get("message_id")?,
                payload: row.try_get("payload")?,
                attempts: row.try_get("attempts")?,
                url: row.try_get("url")?,
                secret: row.try_get("secret")?,
            })
        })
        .collect()
}

/// The endpoint answered 2xx.
pub async fn delivered(pool: &PgPool, endpoint: Uuid, event_key: &str, status: i32) -> Result<(), ReadError> {
    sqlx::query(
        "UPDATE webhook_deliveries SET delivered_at = now(), last_status = $3, last_error = NULL
          WHERE endpoint_id = $1 AND event_key = $2",
    )
    .bind(endpoint)
    .bind(event_key)
    .bind(status)
    .execute(pool)
    .await?;
    Ok(())
}

/// A failed attempt: try again after `delay_secs`.
pub async fn retry(
    pool: &PgPool,
    endpoint: Uuid,
    event_key: &str,
    status: Option<i32>,
    error: &str,
    delay_secs: f64,
) -> Result<(), ReadError> {
    sqlx::query(
        "UPDATE webhook_deliveries
            SET due_at = now() + make_interval(secs => $5), last_status = $3, last_error = $4
          WHERE endpoint_id = $1 AND event_key = $2",
    )
    .bind(endpoint)
    .bind(event_key)
    .bind(status)
    .bind(error)
    .bind(delay_secs)
    .execute(pool)
    .await?;
    Ok(())
}

/// Not attempted this round (the endpoint just failed): back for later, no attempt counted.
pub async fn postpone(
    pool: &PgPool,
    endpoint: Uuid,
    event_key: &str,
    delay_secs: f64,
) -> Result<(), ReadError> {
    sqlx::query(
        "UPDATE webhook_deliveries
            SET due_at = now() + make_interval(secs => $3), attempts = greatest(attempts - 1, 0)
          WHERE endpoint_id = $1 AND event_key = $2",
    )
    .bind(endpoint)
    .bind(event_key)
    .bind(delay_secs)
    .execute(pool)
    .await?;
    Ok(())
}

/// The last attempt failed: the delivery is given up and the endpoint disabled, with the reason
/// its owner sees.
pub async fn give_up(
    pool: &PgPool,
    endpoint: Uuid,
    event_key: &str,
    status: Option<i32>,
    error: &str,
    reason: &str,
) -> Result<(), ReadError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "UPDATE webhook_deliveries SET failed_at = now(), last_status = $3, last_error = $4
          WHERE endpoint_id = $1 AND event_key = $2",
    )
    .bind(endpoint)
    .bind(event_key)
    .bind(status)
    .bind(error)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE webhook_endpoints SET state = 'disabled', disabled_reason = $2 WHERE endpoint_id = $1",
    )
    .bind(endpoint)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
