//! A citizen's inbox: what the notifications projection wrote for them, newest first, with how
//! much is unread. Read by the command API, which alone can turn a signed-in citizen into their
//! pseudonym; "read up to" is the one thing here a person writes, and a rebuild keeps it.

use serde::Serialize;
use serde_json::Value;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_ids::SignerKey;
use utoipa::ToSchema;

use crate::ReadError;

/// One notification.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Notification {
    /// Orders the inbox; pass the highest one read to mark everything up to it read.
    pub id: i64,
    /// `petition_answered`, `proposal_answered`, `comment_replied`, …
    pub kind: String,
    /// What it is about: `petition:<id>` or `consultation:<id>`.
    pub subject: String,
    /// Codes and ids the kind needs (a decision, a reason, a version, the comment).
    #[schema(value_type = Object)]
    pub details: Value,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub unread: bool,
}

/// A page of the inbox.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Inbox {
    pub items: Vec<Notification>,
    /// Unread notifications in the whole inbox.
    pub unread: i64,
    /// Pass as `before` for the next page; null on the last.
    pub next_before: Option<i64>,
}

/// The newest `limit` notifications of `recipient` older than `before`.
pub async fn inbox(
    pool: &PgPool,
    recipient: SignerKey,
    before: Option<i64>,
    limit: u32,
) -> Result<Inbox, ReadError> {
    let recipient = recipient.to_string();
    let limit = i64::from(limit.clamp(1, 100));
    let read_up_to: i64 =
        sqlx::query_scalar("SELECT read_up_to FROM notification_reads WHERE recipient = $1")
            .bind(&recipient)
            .fetch_optional(pool)
            .await?
            .unwrap_or(0);
    let rows = sqlx::query(
        "SELECT id, kind, subject, details, occurred_at FROM notifications
          WHERE recipient = $1 AND ($2::bigint IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3",
    )
    .bind(&recipient)
    .bind(before)
    .bind(limit + 1)
    .fetch_all(pool)
    .await?;
    let unread: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE recipient = $1 AND id > $2")
            .bind(&recipient)
            .bind(read_up_to)
            .fetch_one(pool)
            .await?;
    let mut items = rows
        .iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            Ok(Notification {
                id,
                kind: row.try_get("kind")?,
                subject: row.try_get("subject")?,
                details: row.try_get("details")?,
                occurred_at: row.try_get("occurred_at")?,
                unread: id > read_up_to,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    let next_before = (items.len() as i64 > limit).then(|| {
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        items.last().map_or(0, |n| n.id)
    });
    Ok(Inbox {
        items,
        unread,
        next_before,
    })
}

/// Marks everything up to notification `up_to` read (never moves back).
pub async fn mark_read(pool: &PgPool, recipient: SignerKey, up_to: i64) -> Result<(), ReadError> {
    sqlx::query(
        "INSERT INTO notification_reads (recipient, read_up_to) VALUES ($1, $2)
         ON CONFLICT (recipient) DO UPDATE SET read_up_to = GREATEST(notification_reads.read_up_to, EXCLUDED.read_up_to)",
    )
    .bind(recipient.to_string())
    .bind(up_to)
    .execute(pool)
    .await?;
    Ok(())
}

/// Erasure: what the person had read goes with the rest (the projection forgets the inbox).
pub async fn forget(pool: &PgPool, recipient: SignerKey) -> Result<(), ReadError> {
    sqlx::query("DELETE FROM notification_reads WHERE recipient = $1")
        .bind(recipient.to_string())
        .execute(pool)
        .await?;
    Ok(())
}
