//! Who did what: the event store read as an audit trail. Every command's events carry the actor
//! and the client network in their metadata; this lists them newest first, for administrators.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_events::{EventMetadata, metadata};

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_kind: Option<String>,
    pub actor_id: Option<String>,
    pub aggregate_type: Option<String>,
    pub aggregate_id: Option<String>,
    /// Entries strictly older than this position (the previous page's `next_before`).
    pub before: Option<i64>,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Position in the store; pages continue below it.
    pub position: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub actor_kind: Option<String>,
    /// A citizen's pseudonym, a staff member's subject, or a system component.
    pub actor_id: Option<String>,
    /// The client network, when the command came from outside.
    pub origin: Option<String>,
    pub correlation_id: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub occurred_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; `null` at the end.
    pub next_before: Option<i64>,
}

pub async fn audit_trail(pool: &PgPool, filter: &AuditFilter) -> Result<AuditPage, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT global_position, aggregate_type, aggregate_id, sequence, event_type, metadata::jsonb AS m
           FROM events
          WHERE ($1::text IS NULL OR metadata::jsonb ->> $7 = $1)
            AND ($2::text IS NULL OR metadata::jsonb ->> $8 = $2)
            AND ($3::text IS NULL OR aggregate_type = $3)
            AND ($4::text IS NULL OR aggregate_id = $4 OR left(aggregate_id, 36) = $4)
            AND ($5::bigint IS NULL OR global_position < $5)
          ORDER BY global_position DESC
          LIMIT $6",
    )
    .bind(filter.actor_kind.as_deref())
    .bind(filter.actor_id.as_deref())
    .bind(filter.aggregate_type.as_deref())
    .bind(filter.aggregate_id.as_deref())
    .bind(filter.before)
    .bind(filter.limit + 1)
    .bind(metadata::ACTOR_KIND)
    .bind(metadata::ACTOR_ID)
    .fetch_all(pool)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let position: i64 = row.try_get("global_position")?;
        // Unreadable metadata (a row not written by Tyndau) shows as unknown, not as invented values.
        let metadata = EventMetadata::from_json(&row.try_get::<Value, _>("m")?)
            .inspect_err(|error| tracing::error!(position, %error, "audit entry with unreadable metadata"))
            .ok();
        entries.push(AuditEntry {
            position,
            aggregate_type: row.try_get("aggregate_type")?,
            aggregate_id: row.try_get("aggregate_id")?,
            sequence: row.try_get("sequence")?,
            event_type: row.try_get("event_type")?,
            actor_kind: metadata.as_ref().map(|m| m.actor.kind.as_str().to_owned()),
            actor_id: metadata.as_ref().map(|m| m.actor.id.clone()),
            origin: metadata.as_ref().and_then(|m| m.origin.clone()),
            correlation_id: metadata.as_ref().map(|m| m.correlation_id.to_string()),
            occurred_at: metadata.as_ref().map(|m| m.occurred_at),
        });
    }
    let next_before = if entries.len() > usize::try_from(filter.limit).unwrap_or(usize::MAX) {
        entries.pop();
        entries.last().map(|e| e.position)
    } else {
        None
    };
    Ok(AuditPage { entries, next_before })
}
