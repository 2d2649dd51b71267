//! What staff see in the back office: a state body's desk (petitions owed an answer, its
//! consultations with their unanswered proposals), the moderation queues (petitions awaiting
//! moderation, flagged comments). Read by the web front for signed-in officials and moderators;
//! every action still goes to the command API, which decides.
//!
//! Unlike the public queries these include what the public does not see yet: drafted
//! consultations and submitted petitions.

use serde_json::Value;
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use time::OffsetDateTime;
use tyndau_events::consultation::Provision;
use tyndau_ids::{BodyId, ConsultationId, PetitionId};
use uuid::Uuid;

use crate::ReadError;
use crate::consultation_model::CommentView;
use crate::consultations::{COMMENT_COLUMNS, comment_from_row, parse_provisions};
use crate::model::{Content, PetitionSummary};
use crate::web::{CARD_COLUMNS, summary_from_row};

/// A petition that reached its threshold and is owed an answer by the body.
#[derive(Clone, Debug)]
pub struct PetitionToAnswer {
    pub petition: PetitionSummary,
    pub threshold_reached_at: Option<OffsetDateTime>,
    pub answer_due: Option<OffsetDateTime>,
    /// The scheduler marked it overdue.
    pub overdue: bool,
}

/// The petitions `body` owes an answer, the nearest deadline first.
pub async fn petitions_to_answer(pool: &PgPool, body: &BodyId) -> Result<Vec<PetitionToAnswer>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {CARD_COLUMNS} FROM petition_view v
           LEFT JOIN petition_counts c ON c.petition_id = v.petition_id
          WHERE v.addressee_body = $1 AND v.threshold_reached_at IS NOT NULL AND v.answered_at IS NULL
            AND v.status IN ('open', 'closed')
          ORDER BY v.answer_due NULLS LAST, v.petition_id"
    ))
    .bind(body.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let (petition, _, _) = summary_from_row(row)?;
            Ok(PetitionToAnswer {
                petition,
                threshold_reached_at: row.try_get("threshold_reached_at")?,
                answer_due: row.try_get("answer_due")?,
                overdue: row
                    .try_get::<Option<OffsetDateTime>, _>("answer_overdue_at")?
                    .is_some(),
            })
        })
        .collect()
}

/// A consultation as its body manages it, drafts included.
#[derive(Clone, Debug)]
pub struct OfficeConsultation {
    pub id: ConsultationId,
    /// `drafted`, `open`, `closed` or `report_published`.
    pub status: String,
    pub body: String,
    /// Title, summary and explanatory note by language.
    pub content: Value,
    pub current_version: i32,
    pub opened_at: Option<OffsetDateTime>,
    pub closes_at: Option<OffsetDateTime>,
    pub answers_due: Option<OffsetDateTime>,
    pub report_published_at: Option<OffsetDateTime>,
    pub proposals: i64,
    /// Proposals neither answered nor hidden: what the outcome report waits for.
    pub unanswered: i64,
}

const CONSULTATION_COLUMNS: &str =
    "v.consultation_id, v.status, v.body, v.content, v.current_version, v.opened_at,
    v.closes_at, v.answers_due, v.report_published_at, v.proposals,
    (SELECT count(*) FROM consultation_comments c
      WHERE c.consultation_id = v.consultation_id AND c.depth = 0 AND c.disposition IS NULL
        AND c.hidden_at IS NULL) AS unanswered";

fn consultation_from_row(row: &sqlx::postgres::PgRow) -> Result<OfficeConsultation, ReadError> {
    Ok(OfficeConsultation {
        id: ConsultationId::from_uuid(row.try_get("consultation_id")?),
        status: row.try_get("status")?,
        body: row.try_get("body")?,
        content: row.try_get("content")?,
        current_version: row.try_get("current_version")?,
        opened_at: row.try_get("opened_at")?,
        closes_at: row.try_get("closes_at")?,
        answers_due: row.try_get("answers_due")?,
        report_published_at: row.try_get("report_published_at")?,
        proposals: row.try_get("proposals")?,
        unanswered: row.try_get("unanswered")?,
    })
}

/// The consultations `body` develops: open ones by closing date, then closed ones awaiting
/// their report by answer deadline, then drafts, then those with a published report.
pub async fn consultations_of(pool: &PgPool, body: &BodyId) -> Result<Vec<OfficeConsultation>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {CONSULTATION_COLUMNS} FROM consultation_view v WHERE v.body = $1
          ORDER BY CASE v.status WHEN 'open' THEN 0 WHEN 'closed' THEN 1 WHEN 'drafted' THEN 2 ELSE 3 END,
                   COALESCE(v.closes_at, v.answers_due) NULLS LAST, v.drafted_at DESC, v.consultation_id"
    ))
    .bind(body.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter().map(consultation_from_row).collect()
}

/// One consultation, whatever its status.
pub async fn consultation(
    pool: &PgPool,
    id: ConsultationId,
) -> Result<Option<OfficeConsultation>, ReadError> {
    sqlx::query(&format!(
        "SELECT {CONSULTATION_COLUMNS} FROM consultation_view v WHERE v.consultation_id = $1"
    ))
    .bind(id.as_uuid())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(consultation_from_row)
    .transpose()
}

/// The provisions of one version, in reading order (empty for an unknown version).
pub async fn provisions(
    pool: &PgPool,
    id: ConsultationId,
    version: i32,
) -> Result<Vec<Provision>, ReadError> {
    let rows = sqlx::query(
        "SELECT path, heading, text FROM consultation_provisions
          WHERE consultation_id = $1 AND version = $2 ORDER BY ordinal",
    )
    .bind(id.as_uuid())
    .bind(version)
    .fetch_all(pool)
    .await?;
    parse_provisions(&rows)
}

/// Which proposals the queue shows.
#[derive(Clone, Debug, Default)]
pub struct ProposalFilter {
    pub unanswered_only: bool,
    /// As anchored in the latest version.
    pub provision: Option<String>,
    pub channel: Option<String>,
    pub region: Option<String>,
}

/// A proposal in the queue, with what the public listing leaves out: the author's region.
#[derive(Clone, Debug)]
pub struct QueuedProposal {
    pub comment: CommentView,
    pub region: Option<String>,
}

/// One page of the proposals queue: unanswered first, then oldest first.
#[derive(Clone, Debug)]
pub struct ProposalQueue {
    pub items: Vec<QueuedProposal>,
    /// Proposals matching the filter.
    pub total: i64,
}

/// The proposals of a consultation matching `filter`, `limit` from `offset`.
pub async fn proposals(
    pool: &PgPool,
    id: ConsultationId,
    filter: &ProposalFilter,
    offset: u32,
    limit: u32,
) -> Result<ProposalQueue, ReadError> {
    let condition = "consultation_id = $1 AND depth = 0
        AND (NOT $2 OR (disposition IS NULL AND hidden_at IS NULL))
        AND ($3::text IS NULL OR anchor_path = $3)
        AND ($4::text IS NULL OR channel = $4)
        AND ($5::text IS NULL OR region = $5)";
    fn bind<'q>(
        sql: &'q str,
        id: &'q Uuid,
        filter: &'q ProposalFilter,
    ) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
        sqlx::query(sql)
            .bind(id)
            .bind(filter.unanswered_only)
            .bind(filter.provision.as_deref())
            .bind(filter.channel.as_deref())
            .bind(filter.region.as_deref())
    }
    let total_sql = format!("SELECT count(*) AS n FROM consultation_comments WHERE {condition}");
    let total: i64 = bind(&total_sql, id.as_uuid(), filter)
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    let page_sql = format!(
        "SELECT {COMMENT_COLUMNS}, region,
                (SELECT answers_due FROM consultation_view WHERE consultation_id = $1) AS answers_due
           FROM consultation_comments WHERE {condition}
          ORDER BY (disposition IS NULL AND hidden_at IS NULL) DESC, posted_at, comment_id
          OFFSET $6 LIMIT $7"
    );
    let rows = bind(&page_sql, id.as_uuid(), filter)
        .bind(i64::from(offset))
        .bind(i64::from(limit.clamp(1, 200)))
        .fetch_all(pool)
        .await?;
    let now = OffsetDateTime::now_utc();
    let items = rows
        .iter()
        .map(|row| {
            let due: Option<OffsetDateTime> = row.try_get("answers_due")?;
            Ok(QueuedProposal {
                comment: comment_from_row(row, due, now)?,
                region: row.try_get("region")?,
            })
        })
        .collect::<Result<Vec<_>, ReadError>>()?;
    Ok(ProposalQueue { items, total })
}

/// One comment of a consultation as staff see it (the text even when hidden is not shown:
/// hiding withholds it from everyone but the record).
pub async fn comment(
    pool: &PgPool,
    id: ConsultationId,
    comment: Uuid,
) -> Result<Option<QueuedProposal>, ReadError> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS}, region,
                (SELECT answers_due FROM consultation_view WHERE consultation_id = $1) AS answers_due
           FROM consultation_comments WHERE consultation_id = $1 AND comment_id = $2"
    ))
    .bind(id.as_uuid())
    .bind(comment)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        let due: Option<OffsetDateTime> = row.try_get("answers_due")?;
        Ok(QueuedProposal {
            comment: comment_from_row(&row, due, OffsetDateTime::now_utc())?,
            region: row.try_get("region")?,
        })
    })
    .transpose()
}

/// A petition awaiting moderation.
#[derive(Clone, Debug)]
pub struct PendingPetition {
    pub id: PetitionId,
    pub addressee_body: String,
    pub content: Content,
    pub submitted_at: Option<OffsetDateTime>,
    pub moderation_due: Option<OffsetDateTime>,
}

const PENDING_COLUMNS: &str = "petition_id, addressee_body, content, submitted_at, moderation_due";

fn pending_from_row(row: &sqlx::postgres::PgRow) -> Result<PendingPetition, ReadError> {
    let content: Json<Content> = row.try_get("content")?;
    Ok(PendingPetition {
        id: PetitionId::from_uuid(row.try_get("petition_id")?),
        addressee_body: row.try_get("addressee_body")?,
        content: content.0,
        submitted_at: row.try_get("submitted_at")?,
        moderation_due: row.try_get("moderation_due")?,
    })
}

/// Petitions submitted and not yet moderated, the oldest first.
pub async fn pending_petitions(pool: &PgPool) -> Result<Vec<PendingPetition>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {PENDING_COLUMNS} FROM petition_view WHERE status = 'submitted'
          ORDER BY submitted_at, petition_id"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(pending_from_row).collect()
}

/// One petition awaiting moderation (`None` once it is moderated, or if unknown).
pub async fn pending_petition(pool: &PgPool, id: PetitionId) -> Result<Option<PendingPetition>, ReadError> {
    sqlx::query(&format!(
        "SELECT {PENDING_COLUMNS} FROM petition_view WHERE status = 'submitted' AND petition_id = $1"
    ))
    .bind(id.as_uuid())
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(pending_from_row)
    .transpose()
}

/// A comment flagged more often than a moderator has reviewed.
#[derive(Clone, Debug)]
pub struct FlaggedComment {
    pub consultation_id: ConsultationId,
    pub consultation_content: Value,
    pub comment: CommentView,
    pub flags: i32,
}

/// Shown comments with flags not yet reviewed, the most flagged first.
pub async fn flagged_comments(pool: &PgPool, limit: u32) -> Result<Vec<FlaggedComment>, ReadError> {
    let rows = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS}, c.consultation_id, flags, v.content AS consultation_content,
                v.answers_due
           FROM consultation_comments c JOIN consultation_view v USING (consultation_id)
          WHERE c.flags > c.flags_dismissed AND c.hidden_at IS NULL
          ORDER BY c.flags DESC, c.posted_at, c.comment_id
          LIMIT $1"
    ))
    .bind(i64::from(limit.clamp(1, 200)))
    .fetch_all(pool)
    .await?;
    let now = OffsetDateTime::now_utc();
    rows.iter()
        .map(|row| {
            Ok(FlaggedComment {
                consultation_id: ConsultationId::from_uuid(row.try_get("consultation_id")?),
                consultation_content: row.try_get("consultation_content")?,
                comment: comment_from_row(row, row.try_get("answers_due")?, now)?,
                flags: row.try_get("flags")?,
            })
        })
        .collect()
}

/// How many times a comment has been flagged (0 for an unknown comment).
pub async fn comment_flags(pool: &PgPool, comment: Uuid) -> Result<i32, ReadError> {
    let flags: Option<i32> =
        sqlx::query_scalar("SELECT flags FROM consultation_comments WHERE comment_id = $1")
            .bind(comment)
            .fetch_optional(pool)
            .await?;
    Ok(flags.unwrap_or(0))
}
