//! Aggregates for the public: each state body's record (petitions answered on time, late or
//! not at all; consultations held and what became of the proposals) and participation across
//! all petitions, by region and by day.
//!
//! Same visibility rules as the catalogue: drafts and submitted petitions never count, nor
//! drafted consultations; hidden proposals are left out of the shares (they need no answer).

use serde::Serialize;
use sqlx::{PgPool, Row};
use time::{Date, OffsetDateTime, UtcOffset};
use tyndau_ids::BodyId;

use crate::ReadError;
use crate::model::{PublicCount, RegionCount};
use crate::web::REACHABLE;

const PUBLIC_CONSULTATION: &str = "status IN ('open', 'closed', 'report_published')";

/// What one state body did with what it was asked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BodyRecord {
    pub body: BodyId,
    pub petitions: PetitionRecord,
    pub consultations: ConsultationRecord,
}

/// Petitions addressed to a body and how it answered those that reached their threshold.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PetitionRecord {
    /// Public petitions addressed to the body (open, closed, rejected, …).
    pub addressed: i64,
    /// Those that reached their threshold: the body owes an answer.
    pub received: i64,
    pub answered_on_time: i64,
    pub answered_late: i64,
    /// Unanswered after the deadline.
    pub overdue: i64,
    /// Unanswered, deadline still ahead.
    pub awaiting: i64,
    /// Median time from the threshold to the answer, in seconds; `None` before the first answer.
    pub median_answer_seconds: Option<f64>,
}

/// Consultations a body held and the answers it gave to the proposals.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ConsultationRecord {
    /// Public consultations (open, closed, reported).
    pub held: i64,
    /// Visible proposals (top-level comments not hidden by a moderator).
    pub proposals: i64,
    pub accepted: i64,
    pub partially_accepted: i64,
    pub rejected: i64,
    /// Noted, out of scope, duplicate.
    pub other: i64,
    pub unanswered: i64,
    /// Median time from proposal to (latest) answer, in seconds.
    pub median_answer_seconds: Option<f64>,
}

/// The record of `body` as of `now` (an answer deadline passed without an answer is overdue
/// even before the scheduler marks it).
pub async fn body_record(pool: &PgPool, body: &BodyId, now: OffsetDateTime) -> Result<BodyRecord, ReadError> {
    let body = body.clone();
    crate::in_snapshot(pool, move |db| Box::pin(body_record_in(db, body, now))).await
}

async fn body_record_in(
    db: &mut sqlx::PgConnection,
    body: BodyId,
    now: OffsetDateTime,
) -> Result<BodyRecord, ReadError> {
    let petitions = sqlx::query(&format!(
        "SELECT count(*) AS addressed,
                count(*) FILTER (WHERE v.threshold_reached_at IS NOT NULL) AS received,
                count(*) FILTER (WHERE v.answered_at IS NOT NULL
                                   AND COALESCE((v.answer->>'on_time')::boolean, false)) AS on_time,
                count(*) FILTER (WHERE v.answered_at IS NOT NULL
                                   AND NOT COALESCE((v.answer->>'on_time')::boolean, false)) AS late,
                count(*) FILTER (WHERE v.answered_at IS NULL AND v.threshold_reached_at IS NOT NULL
                                   AND (v.answer_overdue_at IS NOT NULL OR v.answer_due < $2)) AS overdue,
                count(*) FILTER (WHERE v.answered_at IS NULL AND v.threshold_reached_at IS NOT NULL
                                   AND v.answer_overdue_at IS NULL
                                   AND (v.answer_due IS NULL OR v.answer_due >= $2)) AS awaiting,
                percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY extract(epoch FROM v.answered_at - v.threshold_reached_at)::float8)
                  FILTER (WHERE v.answered_at IS NOT NULL AND v.threshold_reached_at IS NOT NULL) AS median
           FROM petition_view v WHERE v.addressee_body = $1 AND {REACHABLE}"
    ))
    .bind(body.as_str())
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    let held: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM consultation_view WHERE body = $1 AND {PUBLIC_CONSULTATION}"
    ))
    .bind(body.as_str())
    .fetch_one(&mut *db)
    .await?;
    let proposals = sqlx::query(
        "SELECT count(*) AS proposals,
                count(*) FILTER (WHERE c.disposition = 'accepted') AS accepted,
                count(*) FILTER (WHERE c.disposition = 'partially_accepted') AS partially_accepted,
                count(*) FILTER (WHERE c.disposition = 'rejected') AS rejected,
                count(*) FILTER (WHERE c.disposition NOT IN ('accepted', 'partially_accepted', 'rejected'))
                  AS other,
                count(*) FILTER (WHERE c.disposition IS NULL) AS unanswered,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.posted_at)::float8)
                  FILTER (WHERE c.answered_at IS NOT NULL) AS median
           FROM consultation_view v
           JOIN consultation_comments c ON c.consultation_id = v.consultation_id
          WHERE v.body = $1 AND v.status IN ('open', 'closed', 'report_published')
            AND c.depth = 0 AND c.hidden_at IS NULL",
    )
    .bind(body.as_str())
    .fetch_one(&mut *db)
    .await?;
    Ok(BodyRecord {
        body,
        petitions: PetitionRecord {
            addressed: petitions.try_get("addressed")?,
            received: petitions.try_get("received")?,
            answered_on_time: petitions.try_get("on_time")?,
            answered_late: petitions.try_get("late")?,
            overdue: petitions.try_get("overdue")?,
            awaiting: petitions.try_get("awaiting")?,
            median_answer_seconds: petitions.try_get("median")?,
        },
        consultations: ConsultationRecord {
            held,
            proposals: proposals.try_get("proposals")?,
            accepted: proposals.try_get("accepted")?,
            partially_accepted: proposals.try_get("partially_accepted")?,
            rejected: proposals.try_get("rejected")?,
            other: proposals.try_get("other")?,
            unanswered: proposals.try_get("unanswered")?,
            median_answer_seconds: proposals.try_get("median")?,
        },
    })
}

/// How much a body has been asked, for the index of bodies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BodyActivity {
    /// The body id as stored (normally a directory slug).
    pub body: String,
    pub petitions: i64,
    pub received: i64,
    pub consultations: i64,
}

/// Every body that has public petitions or consultations, by id.
pub async fn body_activity(pool: &PgPool) -> Result<Vec<BodyActivity>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT body, sum(petitions)::bigint AS petitions, sum(received)::bigint AS received,
                sum(consultations)::bigint AS consultations
           FROM (SELECT v.addressee_body AS body, count(*) AS petitions,
                        count(*) FILTER (WHERE v.threshold_reached_at IS NOT NULL) AS received,
                        0 AS consultations
                   FROM petition_view v WHERE {REACHABLE} GROUP BY 1
                 UNION ALL
                 SELECT body, 0, 0, count(*) FROM consultation_view WHERE {PUBLIC_CONSULTATION} GROUP BY 1) x
          GROUP BY body ORDER BY body"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(BodyActivity {
                body: row.try_get("body")?,
                petitions: row.try_get("petitions")?,
                received: row.try_get("received")?,
                consultations: row.try_get("consultations")?,
            })
        })
        .collect()
}

/// All signatures to public petitions, by the signers' region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegionParticipation {
    /// Every region in the published order, zero where nobody signed; 1 to 4 withheld.
    pub regions: Vec<RegionCount>,
    pub unspecified: PublicCount,
    /// Exact: the regions plus `unspecified`.
    pub total: i64,
}

pub async fn participation_by_region(pool: &PgPool) -> Result<RegionParticipation, ReadError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT r.region, sum(r.signatures)::bigint FROM petition_region_counts r
           JOIN petition_view v ON v.petition_id = r.petition_id
          WHERE {REACHABLE} GROUP BY 1"
    ))
    .fetch_all(pool)
    .await?;
    // One table for all petitions: its tie-breaks are keyed by a fixed name.
    let table = crate::disclosure::regional_table(b"participation-by-region", rows);
    Ok(RegionParticipation {
        regions: table.regions,
        unspecified: table.unspecified,
        total: table.total,
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DailyPoint {
    /// The calendar day at the requested offset.
    pub day: Date,
    /// Net signatures given that day, all public petitions together.
    pub signatures: i64,
}

/// Net signatures per calendar day (days at `offset`, e.g. Kazakhstan's UTC+5) from `since`
/// on, oldest first; days without signatures are absent. Hourly buckets are assigned whole to
/// the day their hour starts in, exact for whole-hour offsets.
pub async fn participation_by_day(
    pool: &PgPool,
    offset: UtcOffset,
    since: OffsetDateTime,
) -> Result<Vec<DailyPoint>, ReadError> {
    let rows: Vec<(Date, i64)> = sqlx::query_as(&format!(
        "SELECT ((h.hour AT TIME ZONE 'UTC') + $1::int * interval '1 second')::date AS day,
                sum(h.signatures)::bigint
           FROM petition_hourly h JOIN petition_view v ON v.petition_id = h.petition_id
          WHERE {REACHABLE} AND h.hour >= $2
          GROUP BY 1 HAVING sum(h.signatures) <> 0 ORDER BY 1"
    ))
    .bind(offset.whole_seconds())
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, signatures)| DailyPoint { day, signatures })
        .collect())
}
