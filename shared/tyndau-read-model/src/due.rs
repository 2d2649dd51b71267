//! What the scheduler should look at now: candidates for its deadlines and process managers,
//! read from the projections. A candidate is only a suggestion: the aggregates decide, so a
//! stale one costs a refused command, never a wrong event.

use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_ids::PetitionId;
use uuid::Uuid;

/// The petition deadlines and counts the scheduler acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PetitionDue {
    /// Open, unlisted, and the projected count has reached the start-up gate.
    Listing,
    /// Open, and the projected count has reached the threshold not yet marked.
    Threshold,
    /// Open, and its collection period or its start-up gate has run out.
    Closing,
    /// Owed an answer whose deadline has passed, not yet marked overdue.
    AnswerOverdue,
    /// Final for 30 days and not yet archived.
    Archive,
}

impl PetitionDue {
    const fn sql(self) -> &'static str {
        match self {
            PetitionDue::Listing => {
                "SELECT p.petition_id FROM petition_view p JOIN petition_counts c USING (petition_id)
                  WHERE p.status = 'open' AND p.listed_at IS NULL AND c.signatures >= p.startup_signatures
                    AND $1 IS NOT NULL"
            }
            PetitionDue::Threshold => {
                "SELECT p.petition_id FROM petition_view p JOIN petition_counts c USING (petition_id)
                  WHERE p.status = 'open' AND p.threshold_reached_at IS NULL AND c.signatures >= p.threshold
                    AND $1 IS NOT NULL"
            }
            PetitionDue::Closing => {
                "SELECT petition_id FROM petition_view
                  WHERE status = 'open'
                    AND (closes_at <= $1 OR (listed_at IS NULL AND threshold_reached_at IS NULL AND startup_due <= $1))"
            }
            PetitionDue::AnswerOverdue => {
                "SELECT petition_id FROM petition_view
                  WHERE threshold_reached_at IS NOT NULL AND answered_at IS NULL AND answer_overdue_at IS NULL
                    AND status IN ('open', 'closed') AND answer_due < $1"
            }
            PetitionDue::Archive => {
                "SELECT petition_id FROM petition_view
                  WHERE status IN ('rejected', 'stopped', 'closed') AND archived_at IS NULL
                    AND updated_at <= $1 - interval '30 days'"
            }
        }
    }
}

/// Petitions past their answer's deadline and still unanswered as of `now` (for `/metrics`).
pub async fn answers_overdue(pool: &PgPool, now: OffsetDateTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM petition_view
          WHERE threshold_reached_at IS NOT NULL AND answered_at IS NULL
            AND status IN ('open', 'closed')
            AND (answer_overdue_at IS NOT NULL OR answer_due < $1)",
    )
    .bind(now)
    .fetch_one(pool)
    .await
}

/// The petitions `due` is about, as of `now`.
pub async fn petitions_due(
    pool: &PgPool,
    due: PetitionDue,
    now: OffsetDateTime,
) -> Result<Vec<PetitionId>, sqlx::Error> {
    let ids: Vec<Uuid> = sqlx::query_scalar(due.sql()).bind(now).fetch_all(pool).await?;
    Ok(ids.into_iter().map(PetitionId::from_uuid).collect())
}

/// Final petitions whose signers' personal data is past `months` of retention as of `now` (the
/// domain has the last word).
pub async fn petitions_past_retention(
    pool: &PgPool,
    now: OffsetDateTime,
    months: i32,
) -> Result<Vec<PetitionId>, sqlx::Error> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT petition_id FROM petition_view
          WHERE status IN ('rejected', 'stopped', 'closed', 'archived') AND anonymised_at IS NULL
            AND coalesce(closed_at, (stop ->> 'at')::timestamptz, (rejection ->> 'at')::timestamptz, archived_at)
                <= $1 - make_interval(months => $2)",
    )
    .bind(now)
    .bind(months)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().map(PetitionId::from_uuid).collect())
}

/// Open consultations whose comment period has ended as of `now`.
pub async fn consultations_due_to_close(
    pool: &PgPool,
    now: OffsetDateTime,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT consultation_id FROM consultation_view WHERE status = 'open' AND closes_at <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

/// (consultation, proposal) pairs anchored to an older version than the consultation's latest,
/// oldest first, at most `limit`.
pub async fn proposals_to_reanchor(pool: &PgPool, limit: i64) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.consultation_id, c.comment_id
           FROM consultation_view v
           JOIN consultation_comments c ON c.consultation_id = v.consultation_id
            AND c.depth = 0 AND c.anchor_version < v.current_version
          ORDER BY c.posted_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}
