//! Listings for the public web front's home page that the catalogue's sorts do not cover:
//! petitions nearest to their threshold, the fastest growing in the last hour, the recently
//! answered, and consultations closing soon.
//!
//! The visibility rule is the catalogue's: only *listed* petitions (past the start-up gate) and
//! only public consultations. The predicates are repeated here rather than shared with
//! `petitions.rs` so that module stays untouched; `listed_predicate_matches_the_catalogue`
//! below keeps the two in step.

use serde::Serialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_events::petition::{ClosingOutcome, Decision};
use tyndau_ids::PetitionId;
use uuid::Uuid;

use crate::consultation_model::{ConsultationStatus, ConsultationSummary};
use crate::model::{
    Addressee, Answer, Content, LocalizedString, NextStep, PetitionDates, PetitionStatus, PetitionSummary,
    Progress,
};
use crate::{MAX_PAGE_SIZE, ReadError};

/// Listed in the catalogue: past the start-up gate, or rejected. Same rule as `petitions.rs`.
pub(crate) const LISTED: &str = "((v.status IN ('open', 'closed', 'stopped', 'archived') AND v.listed_at IS NOT NULL) \
     OR v.status = 'rejected')";

/// Reachable by link: everything but drafts and submitted petitions. Same rule as `petitions.rs`.
pub(crate) const REACHABLE: &str = "v.status IN ('rejected', 'open', 'closed', 'stopped', 'archived')";

/// The public columns a card needs; never `author`.
pub(crate) const CARD_COLUMNS: &str = "v.petition_id, v.status, v.addressee_body, v.level, v.region, v.content, \
     v.published_at, v.closes_at, v.startup_due, v.listed_at, v.threshold_reached_at, v.answer_due, \
     v.answer_overdue_at, v.answered_at, v.closed_at, v.archived_at, v.threshold, v.closing_outcome, \
     v.rejection, v.answer, COALESCE(c.signatures, 0) AS signatures";

/// A petition growing fast: its catalogue entry and its recent signatures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendingPetition {
    pub petition: PetitionSummary,
    /// Net signatures in the hourly buckets that overlap the last 60 minutes.
    pub recent_signatures: i64,
}

/// A petition its addressee has answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnsweredPetition {
    pub petition: PetitionSummary,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: OffsetDateTime,
    pub decision: Decision,
    pub on_time: bool,
}

fn limit_of(limit: u32) -> i64 {
    i64::from(limit.clamp(1, MAX_PAGE_SIZE))
}

fn code<T: DeserializeOwned>(column: &'static str, value: &str) -> Result<T, ReadError> {
    let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        value.into_deserializer();
    T::deserialize(deserializer).map_err(|_| ReadError::Inconsistent {
        column,
        value: value.to_owned(),
    })
}

/// A catalogue entry from a row selected with [`CARD_COLUMNS`], plus the answer if any.
pub(crate) fn summary_from_row(
    row: &sqlx::postgres::PgRow,
) -> Result<(PetitionSummary, Option<Answer>, Option<OffsetDateTime>), ReadError> {
    let status_code: String = row.try_get("status")?;
    let status = PetitionStatus::from_code(&status_code).ok_or(ReadError::Inconsistent {
        column: "status",
        value: status_code.clone(),
    })?;
    let region: Option<String> = row.try_get("region")?;
    let addressee = Addressee {
        body: code("addressee_body", row.try_get::<&str, _>("addressee_body")?)?,
        level: code("level", row.try_get::<&str, _>("level")?)?,
        region: region.as_deref().map(|r| code("region", r)).transpose()?,
    };
    let outcome: Option<String> = row.try_get("closing_outcome")?;
    let outcome: Option<ClosingOutcome> = outcome
        .as_deref()
        .map(|o| code("closing_outcome", o))
        .transpose()?;
    let dates = PetitionDates {
        published_at: row.try_get("published_at")?,
        closes_at: row.try_get("closes_at")?,
        startup_due: row.try_get("startup_due")?,
        listed_at: row.try_get("listed_at")?,
        threshold_reached_at: row.try_get("threshold_reached_at")?,
        answer_due: row.try_get("answer_due")?,
        answer_overdue_at: row.try_get("answer_overdue_at")?,
        answered_at: row.try_get("answered_at")?,
        closed_at: row.try_get("closed_at")?,
        archived_at: row.try_get("archived_at")?,
    };
    let content: Json<Content> = row.try_get("content")?;
    let rejection: Option<Json<crate::model::Rejection>> = row.try_get("rejection")?;
    let answer: Option<Json<Answer>> = row.try_get("answer")?;
    let signatures: i64 = row.try_get("signatures")?;
    let threshold: Option<i32> = row.try_get("threshold")?;
    let summary = PetitionSummary {
        id: PetitionId::from_uuid(row.try_get::<Uuid, _>("petition_id")?),
        status,
        addressee,
        title: content.0.titles(),
        signatures,
        threshold,
        progress: Progress::of(signatures, threshold),
        published_at: dates.published_at,
        closes_at: dates.closes_at,
        rejection_reason: rejection.map(|r| r.0.reason),
        next_step: NextStep::derive(status, &dates, outcome),
    };
    Ok((summary, answer.map(|a| a.0), dates.answered_at))
}

/// Open, listed petitions below their threshold, the closest (by count / threshold) first.
pub async fn nearest_to_threshold(pool: &PgPool, limit: u32) -> Result<Vec<PetitionSummary>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS} FROM petition_view v
           LEFT JOIN petition_counts c ON c.petition_id = v.petition_id
          WHERE {LISTED} AND v.status = 'open' AND v.threshold > 0 AND v.threshold_reached_at IS NULL
            AND COALESCE(c.signatures, 0) < v.threshold
          ORDER BY COALESCE(c.signatures, 0)::float8 / v.threshold DESC, v.petition_id
          LIMIT $1"
    ))
    .bind(limit_of(limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| summary_from_row(row).map(|(s, _, _)| s))
        .collect()
}

/// The start of the hourly bucket window that covers the last 60 minutes before `now`: buckets
/// are whole hours of signing, so the window is the current and the previous hour.
pub fn last_hour_window(now: OffsetDateTime) -> OffsetDateTime {
    let hour_start = now
        .replace_minute(0)
        .and_then(|t| t.replace_second(0))
        .and_then(|t| t.replace_nanosecond(0))
        .unwrap_or(now);
    hour_start - time::Duration::HOUR
}

/// Open, listed petitions with the most net signatures in the hourly buckets overlapping the
/// last 60 minutes before `now` (see [`last_hour_window`]); petitions with none are left out.
pub async fn fastest_last_hour(
    pool: &PgPool,
    now: OffsetDateTime,
    limit: u32,
) -> Result<Vec<TrendingPetition>, ReadError> {
    let rows = sqlx::query(&format!(
        "WITH recent AS (
              SELECT petition_id, sum(signatures)::bigint AS recent
                FROM petition_hourly WHERE hour >= $1 AND hour <= $2
               GROUP BY petition_id HAVING sum(signatures) > 0)
         SELECT {CARD_COLUMNS}, r.recent FROM recent r
           JOIN petition_view v ON v.petition_id = r.petition_id
           LEFT JOIN petition_counts c ON c.petition_id = v.petition_id
          WHERE {LISTED} AND v.status = 'open'
          ORDER BY r.recent DESC, v.petition_id
          LIMIT $3"
    ))
    .bind(last_hour_window(now))
    .bind(now)
    .bind(limit_of(limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(TrendingPetition {
                petition: summary_from_row(row)?.0,
                recent_signatures: row.try_get("recent")?,
            })
        })
        .collect()
}

/// Listed petitions whose addressee answered, the most recent answer first.
pub async fn recently_answered(pool: &PgPool, limit: u32) -> Result<Vec<AnsweredPetition>, ReadError> {
    answered(pool, None, limit).await
}

/// The same, for the petitions addressed to `body` (its feed).
pub async fn recently_answered_by(
    pool: &PgPool,
    body: &tyndau_ids::BodyId,
    limit: u32,
) -> Result<Vec<AnsweredPetition>, ReadError> {
    answered(pool, Some(body), limit).await
}

async fn answered(
    pool: &PgPool,
    body: Option<&tyndau_ids::BodyId>,
    limit: u32,
) -> Result<Vec<AnsweredPetition>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS} FROM petition_view v
           LEFT JOIN petition_counts c ON c.petition_id = v.petition_id
          WHERE {LISTED} AND v.answered_at IS NOT NULL AND v.answer IS NOT NULL
            AND ($2::text IS NULL OR v.addressee_body = $2)
          ORDER BY v.answered_at DESC, v.petition_id
          LIMIT $1"
    ))
    .bind(limit_of(limit))
    .bind(body.map(tyndau_ids::BodyId::as_str))
    .fetch_all(pool)
    .await?;
    let mut answered = Vec::with_capacity(rows.len());
    for row in &rows {
        if let (petition, Some(answer), Some(answered_at)) = summary_from_row(row)? {
            answered.push(AnsweredPetition {
                petition,
                answered_at,
                decision: answer.decision,
                on_time: answer.on_time,
            });
        }
    }
    Ok(answered)
}

fn titles(content: &serde_json::Value) -> LocalizedString {
    let title = |language: &str| {
        content
            .get(language)
            .and_then(|t| t.get("title"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    LocalizedString {
        kk: title("kk"),
        ru: title("ru"),
        en: title("en"),
    }
}

/// Open consultations whose comment period ends after `now`, the soonest first.
pub async fn consultations_closing_soon(
    pool: &PgPool,
    now: OffsetDateTime,
    limit: u32,
) -> Result<Vec<ConsultationSummary>, ReadError> {
    let rows = sqlx::query(
        "SELECT consultation_id, body, content, current_version, opened_at, closes_at, comments, proposals
           FROM consultation_view
          WHERE status = 'open' AND closes_at > $1
          ORDER BY closes_at, consultation_id
          LIMIT $2",
    )
    .bind(now)
    .bind(limit_of(limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let content: serde_json::Value = row.try_get("content")?;
            Ok(ConsultationSummary {
                id: row.try_get("consultation_id")?,
                status: ConsultationStatus::Open,
                body: row.try_get("body")?,
                title: titles(&content),
                current_version: row.try_get("current_version")?,
                opened_at: row.try_get("opened_at")?,
                closes_at: row.try_get("closes_at")?,
                comments: row.try_get("comments")?,
                proposals: row.try_get("proposals")?,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_last_hour_window_covers_the_previous_and_current_buckets() {
        assert_eq!(
            last_hour_window(datetime!(2025-03-01 10:30:15.5 UTC)),
            datetime!(2025-03-01 9:00 UTC)
        );
        assert_eq!(
            last_hour_window(datetime!(2025-03-01 0:00 UTC)),
            datetime!(2025-02-28 23:00 UTC)
        );
    }

    #[test]
    fn listed_predicate_matches_the_catalogue() {
        let catalogue = include_str!("petitions.rs");
        let squash = |s: &str| s.split_whitespace().collect::<String>().replace(['"', '\\'], "");
        assert!(
            squash(catalogue).contains(&squash(LISTED)),
            "LISTED drifted from petitions.rs"
        );
        assert!(
            squash(catalogue).contains(&squash(REACHABLE)),
            "REACHABLE drifted from petitions.rs"
        );
    }
}
