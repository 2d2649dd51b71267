//! Public queries over consultations. Drafted consultations are never returned; citizens'
//! pseudonyms are never selected; a hidden comment's text (and its earlier wordings) are withheld.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgExecutor, PgPool, Row};
use time::OffsetDateTime;
use tyndau_events::consultation::{ChangeNote, Provision};
use uuid::Uuid;

use crate::consultation_model::{
    AnchorView, AnswerRevision, AnswerTimes, AnswerView, CommentDetail, CommentPage, CommentView,
    ConsultationDetail, ConsultationPage, ConsultationStatus, ConsultationSummary, DraftView, EarlierWording,
    Hiding, OutcomeReport, ProvisionTally, ProvisionView, Reanchoring, RegionTally, Tally, VersionEntry,
};
use crate::cursor::{Cursor, time_key};
use crate::model::LocalizedString;
use crate::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ReadError, in_snapshot};

const PUBLIC: &str = "status IN ('open', 'closed', 'report_published')";

/// Which listing a cursor belongs to, so a cursor from one listing is refused by another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Listing {
    Consultations,
    Threads,
    Replies,
}

fn page_size(limit: Option<u32>) -> i64 {
    i64::from(limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE))
}

fn status_of(code: &str) -> Result<ConsultationStatus, ReadError> {
    ConsultationStatus::from_code(code).ok_or_else(|| ReadError::Inconsistent {
        column: "status",
        value: code.to_owned(),
    })
}

#[derive(Debug, Default, Clone)]
pub struct ConsultationFilter {
    pub status: Option<ConsultationStatus>,
    pub body: Option<String>,
    pub q: Option<String>,
}

fn titles(content: &Value) -> LocalizedString {
    let title = |language: &str| {
        content
            .get(language)
            .and_then(|t| t.get("title"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    LocalizedString {
        kk: title("kk"),
        ru: title("ru"),
        en: title("en"),
    }
}

/// Newest first (by opening), keyset-paged.
pub async fn list_consultations(
    pool: &PgPool,
    filter: &ConsultationFilter,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<ConsultationPage, ReadError> {
    let after = cursor
        .map(|c| Cursor::decode(c, Listing::Consultations))
        .transpose()?;
    let after_time = after.map(|c| c.key_as_time()).transpose()?;
    let size = page_size(limit);
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let rows = sqlx::query(&format!(
        "SELECT consultation_id, status, body, content, current_version, opened_at, closes_at, comments, proposals
           FROM consultation_view
          WHERE {PUBLIC}
            AND ($1::text IS NULL OR status = $1)
            AND ($2::text IS NULL OR body = $2)
            AND ($3::text IS NULL OR search @@ websearch_to_tsquery('simple', $3))
            AND ($4::timestamptz IS NULL OR (opened_at, consultation_id) < ($4, $5))
          ORDER BY opened_at DESC, consultation_id DESC
          LIMIT $6"
    ))
    .bind(filter.status.map(ConsultationStatus::code))
    .bind(filter.body.as_deref())
    .bind(q)
    .bind(after_time)
    .bind(after.map(|c| c.id))
    .bind(size + 1)
    .fetch_all(pool)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let content: Value = row.try_get("content")?;
        items.push(ConsultationSummary {
            id: row.try_get("consultation_id")?,
            status: status_of(row.try_get("status")?)?,
            body: row.try_get("body")?,
            title: titles(&content),
            current_version: row.try_get("current_version")?,
            opened_at: row.try_get("opened_at")?,
            closes_at: row.try_get("closes_at")?,
            comments: row.try_get("comments")?,
            proposals: row.try_get("proposals")?,
        });
    }
    let next_cursor = if items.len() > usize::try_from(size).unwrap_or(usize::MAX) {
        items.pop();
        items.last().map(|last| {
            Cursor {
                sort: Listing::Consultations,
                key: time_key(last.opened_at.unwrap_or(OffsetDateTime::UNIX_EPOCH)),
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    };
    Ok(ConsultationPage { items, next_cursor })
}

/// A public consultation with its versions and totals; `None` when missing or still a draft.
pub async fn consultation_detail(pool: &PgPool, id: Uuid) -> Result<Option<ConsultationDetail>, ReadError> {
    in_snapshot(pool, |db| Box::pin(consultation_detail_in(db, id))).await
}

async fn consultation_detail_in(
    db: &mut PgConnection,
    id: Uuid,
) -> Result<Option<ConsultationDetail>, ReadError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT v.*,
                (SELECT count(*) FROM consultation_comments c
                  WHERE c.consultation_id = v.consultation_id AND c.depth = 0 AND c.disposition IS NOT NULL) AS answered,
                (SELECT count(*) FROM consultation_comments c
                  WHERE c.consultation_id = v.consultation_id AND c.depth = 0 AND c.disposition IS NULL
                    AND c.hidden_at IS NULL AND now() > v.answers_due) AS overdue
           FROM consultation_view v WHERE consultation_id = $1 AND {PUBLIC}"
    ))
    .bind(id)
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let versions = sqlx::query(
        "SELECT version, published_at, changes FROM consultation_versions WHERE consultation_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|r| {
        Ok(VersionEntry {
            version: r.try_get("version")?,
            published_at: r.try_get("published_at")?,
            changes: r.try_get("changes")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(ConsultationDetail {
        id,
        status: status_of(row.try_get("status")?)?,
        body: row.try_get("body")?,
        content: row.try_get("content")?,
        current_version: row.try_get("current_version")?,
        versions,
        opened_at: row.try_get("opened_at")?,
        closes_at: row.try_get("closes_at")?,
        answers_due: row.try_get("answers_due")?,
        closed_at: row.try_get("closed_at")?,
        report_published_at: row.try_get("report_published_at")?,
        comments: row.try_get("comments")?,
        proposals: row.try_get("proposals")?,
        answered: row.try_get("answered")?,
        overdue: row.try_get("overdue")?,
    }))
}

async fn provisions_of(db: &mut PgConnection, id: Uuid, version: i32) -> Result<Vec<PgRow>, ReadError> {
    Ok(sqlx::query(
        "SELECT path, heading, text FROM consultation_provisions
          WHERE consultation_id = $1 AND version = $2 ORDER BY ordinal",
    )
    .bind(id)
    .bind(version)
    .fetch_all(db)
    .await?)
}

/// The draft as of `version` (default: the latest), each provision with its proposal count.
pub async fn draft(pool: &PgPool, id: Uuid, version: Option<i32>) -> Result<Option<DraftView>, ReadError> {
    in_snapshot(pool, |db| Box::pin(draft_in(db, id, version))).await
}

async fn draft_in(
    db: &mut PgConnection,
    id: Uuid,
    version: Option<i32>,
) -> Result<Option<DraftView>, ReadError> {
    let Some(detail) = consultation_detail_in(&mut *db, id).await? else {
        return Ok(None);
    };
    let version = version.unwrap_or(detail.current_version);
    let rows = provisions_of(&mut *db, id, version).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let counts: BTreeMap<String, i64> =
        sqlx::query("SELECT path, proposals FROM consultation_provision_counts WHERE consultation_id = $1")
            .bind(id)
            .fetch_all(&mut *db)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("path")?, r.try_get("proposals")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let orphaned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM consultation_comments
          WHERE consultation_id = $1 AND depth = 0 AND anchor_method = 'orphaned'",
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    let provisions = rows
        .iter()
        .map(|r| {
            let path: String = r.try_get("path")?;
            Ok(ProvisionView {
                proposals: counts.get(&path).copied().unwrap_or(0),
                heading: r.try_get("heading")?,
                text: r.try_get("text")?,
                path,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(DraftView {
        version,
        current_version: detail.current_version,
        provisions,
        whole_draft_proposals: counts.get("").copied().unwrap_or(0),
        orphaned_proposals: orphaned,
    }))
}

pub(crate) fn parse_provisions(rows: &[PgRow]) -> Result<Vec<Provision>, ReadError> {
    rows.iter()
        .map(|r| {
            let path: String = r.try_get("path")?;
            let inconsistent = |column| ReadError::Inconsistent {
                column,
                value: path.clone(),
            };
            Ok(Provision {
                path: path.parse().map_err(|_| inconsistent("path"))?,
                heading: serde_json::from_value(r.try_get("heading")?)
                    .map_err(|_| inconsistent("heading"))?,
                text: serde_json::from_value(r.try_get("text")?).map_err(|_| inconsistent("text"))?,
            })
        })
        .collect()
}

/// The provision-by-provision comparison of two versions, with the body's reasons.
pub async fn diff(
    pool: &PgPool,
    id: Uuid,
    from: i32,
    to: i32,
) -> Result<Option<Vec<tyndau_drafts::ProvisionChange>>, ReadError> {
    in_snapshot(pool, |db| Box::pin(diff_in(db, id, from, to))).await
}

async fn diff_in(
    db: &mut PgConnection,
    id: Uuid,
    from: i32,
    to: i32,
) -> Result<Option<Vec<tyndau_drafts::ProvisionChange>>, ReadError> {
    if consultation_detail_in(&mut *db, id).await?.is_none() {
        return Ok(None);
    }
    let old = provisions_of(&mut *db, id, from).await?;
    let new = provisions_of(&mut *db, id, to).await?;
    if old.is_empty() || new.is_empty() {
        return Ok(None);
    }
    let (low, high) = (from.min(to), from.max(to));
    let mut notes: Vec<ChangeNote> = Vec::new();
    for row in sqlx::query(
        "SELECT changes FROM consultation_versions
          WHERE consultation_id = $1 AND version > $2 AND version <= $3 ORDER BY version",
    )
    .bind(id)
    .bind(low)
    .bind(high)
    .fetch_all(&mut *db)
    .await?
    {
        let changes: Value = row.try_get("changes")?;
        notes.extend(serde_json::from_value::<Vec<ChangeNote>>(changes).unwrap_or_default());
    }
    let notes: Vec<&ChangeNote> = notes.iter().collect();
    Ok(Some(tyndau_drafts::diff(
        &parse_provisions(&old)?,
        &parse_provisions(&new)?,
        &notes,
    )))
}

pub(crate) const COMMENT_COLUMNS: &str = "comment_id, parent_id, thread_id, depth, author_kind, organisation, channel, language,
    text, posted_at, edited_at, edits, hidden_at, hide_reason, hide_explanation, anchor_version, anchor_path, quote,
    anchor_method, anchor_confidence, replies, agree, disagree, disposition, answer_reason, changed_version,
    changed_path, duplicate_of, answered_at, answers";

pub(crate) fn comment_from_row(
    row: &PgRow,
    answers_due: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<CommentView, ReadError> {
    let hidden_at: Option<OffsetDateTime> = row.try_get("hidden_at")?;
    let hidden = match hidden_at {
        Some(hidden_at) => Some(Hiding {
            reason: row
                .try_get::<Option<String>, _>("hide_reason")?
                .unwrap_or_default(),
            explanation: row
                .try_get::<Option<String>, _>("hide_explanation")?
                .unwrap_or_default(),
            hidden_at,
        }),
        None => None,
    };
    let disposition: Option<String> = row.try_get("disposition")?;
    let depth: i16 = row.try_get("depth")?;
    let answer = match (
        disposition,
        row.try_get::<Option<OffsetDateTime>, _>("answered_at")?,
    ) {
        (Some(disposition), Some(answered_at)) => Some(AnswerView {
            disposition,
            reason: row
                .try_get::<Option<Value>, _>("answer_reason")?
                .unwrap_or(Value::Null),
            changed_version: row.try_get("changed_version")?,
            changed_path: row.try_get("changed_path")?,
            duplicate_of: row.try_get("duplicate_of")?,
            answered_at,
            revisions: row.try_get("answers")?,
        }),
        _ => None,
    };
    let overdue =
        depth == 0 && answer.is_none() && hidden.is_none() && answers_due.is_some_and(|due| now > due);
    Ok(CommentView {
        id: row.try_get("comment_id")?,
        parent_id: row.try_get("parent_id")?,
        thread_id: row.try_get("thread_id")?,
        depth,
        author_kind: row.try_get("author_kind")?,
        organisation: row.try_get("organisation")?,
        channel: row.try_get("channel")?,
        language: row.try_get("language")?,
        text: if hidden.is_some() {
            None
        } else {
            row.try_get("text")?
        },
        hidden,
        posted_at: row.try_get("posted_at")?,
        edited_at: row.try_get("edited_at")?,
        edits: row.try_get("edits")?,
        anchor: AnchorView {
            version: row.try_get("anchor_version")?,
            path: row.try_get("anchor_path")?,
            quote: row.try_get("quote")?,
            method: row.try_get("anchor_method")?,
            confidence: row.try_get("anchor_confidence")?,
        },
        replies: row.try_get("replies")?,
        agree: row.try_get("agree")?,
        disagree: row.try_get("disagree")?,
        answer,
        overdue,
    })
}

/// Which proposals a thread listing shows.
#[derive(Debug, Clone)]
pub enum ThreadScope {
    /// Every proposal.
    All,
    /// Proposals on one provision (as anchored in the latest version).
    Provision(String),
    /// Proposals on the draft as a whole.
    WholeDraft,
    /// Proposals whose text no longer matches any provision.
    Orphaned,
}

async fn answers_due<'e>(
    db: impl PgExecutor<'e>,
    id: Uuid,
) -> Result<Option<Option<OffsetDateTime>>, ReadError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT answers_due FROM consultation_view WHERE consultation_id = $1 AND {PUBLIC}"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?)
}

fn next_page(items: &mut Vec<CommentView>, size: i64, listing: Listing) -> Option<String> {
    if items.len() > usize::try_from(size).unwrap_or(usize::MAX) {
        items.pop();
        items.last().map(|last| {
            Cursor {
                sort: listing,
                key: time_key(last.posted_at),
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    }
}

/// The value a comment listing filters on besides the consultation, bound as `$2`.
enum ListingValue<'a> {
    Path(&'a str),
    Thread(Uuid),
}

/// One keyset page of comments, oldest first, with the consultation's answer deadline: one
/// statement and one pool checkout (sqlx pings a connection when it is released, so every
/// checkout costs a second round trip). `None` when the consultation is not public.
///
/// `condition` filters `consultation_comments`; it may read the consultation as
/// `(SELECT $1::uuid)` and the listing's value as `(SELECT $2::…)`. Bound values are read
/// through such one-row subqueries, and the page size is a literal (2 to 101), so that
/// PostgreSQL keeps one generic plan per statement instead of planning every request: a
/// parameter the planner can see makes the estimate depend on its value (the provision that
/// holds a third of the proposals looks cheaper than an average one), the custom plan then
/// always wins the plan cache's comparison, and planning cost three times the execution. The
/// plan does not need the values: an index covers each listing's equality columns followed by
/// the keyset order `(posted_at, comment_id)`, which is also the index condition of later pages.
/// Clients use a few page sizes, so the statements each connection prepares stay few.
async fn comment_page(
    pool: &PgPool,
    id: Uuid,
    condition: &str,
    value: Option<ListingValue<'_>>,
    after: Option<(OffsetDateTime, Uuid)>,
    limit: Option<u32>,
    listing: Listing,
) -> Result<Option<CommentPage>, ReadError> {
    let size = page_size(limit);
    let first_key = if value.is_some() { 3 } else { 2 };
    let keyset = if after.is_some() {
        format!(
            "AND (posted_at, comment_id) > ((SELECT ${first_key}::timestamptz), (SELECT ${}::uuid))",
            first_key + 1
        )
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT (SELECT answers_due FROM consultation_view WHERE consultation_id = $1 AND {PUBLIC}) AS answers_due,
                {COMMENT_COLUMNS}
           FROM consultation_comments
          WHERE {condition} {keyset}
            AND EXISTS (SELECT FROM consultation_view WHERE consultation_id = $1 AND {PUBLIC})
          ORDER BY posted_at, comment_id
          LIMIT {}",
        size + 1
    );
    let mut query = sqlx::query(&sql).bind(id);
    query = match value {
        Some(ListingValue::Path(path)) => query.bind(path),
        Some(ListingValue::Thread(thread)) => query.bind(thread),
        None => query,
    };
    if let Some((at, last)) = after {
        query = query.bind(at).bind(last);
    }
    let rows = query.fetch_all(pool).await?;
    let Some(first) = rows.first() else {
        // No rows: an empty page, or no public consultation (told apart only on this path).
        return Ok(answers_due(pool, id).await?.map(|_| CommentPage {
            items: Vec::new(),
            next_cursor: None,
        }));
    };
    let due: Option<OffsetDateTime> = first.try_get("answers_due")?;
    let now = OffsetDateTime::now_utc();
    let mut items = rows
        .iter()
        .map(|r| comment_from_row(r, due, now))
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = next_page(&mut items, size, listing);
    Ok(Some(CommentPage { items, next_cursor }))
}

/// Decodes a listing's cursor into the last row's `(posted_at, comment_id)`; a malformed one is
/// refused, but only for a public consultation (otherwise the listing does not exist: `None`).
async fn page_cursor(
    pool: &PgPool,
    id: Uuid,
    cursor: Option<&str>,
    listing: Listing,
) -> Result<Option<Option<(OffsetDateTime, Uuid)>>, ReadError> {
    let decoded = cursor
        .map(|c| Cursor::decode(c, listing).and_then(|c| Ok((c.key_as_time()?, c.id))))
        .transpose();
    match decoded {
        Ok(after) => Ok(Some(after)),
        Err(e) => match answers_due(pool, id).await? {
            None => Ok(None),
            Some(_) => Err(e),
        },
    }
}

/// Proposals (top-level comments), oldest first, keyset-paged on an index per scope.
pub async fn threads(
    pool: &PgPool,
    id: Uuid,
    scope: &ThreadScope,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Option<CommentPage>, ReadError> {
    let Some(after) = page_cursor(pool, id, cursor, Listing::Threads).await? else {
        return Ok(None);
    };
    let (condition, value) = match scope {
        ThreadScope::All => ("TRUE", None),
        ThreadScope::Provision(path) => (
            "anchor_path = (SELECT $2::text)",
            Some(ListingValue::Path(path.as_str())),
        ),
        ThreadScope::WholeDraft => ("anchor_path IS NULL AND anchor_method <> 'orphaned'", None),
        ThreadScope::Orphaned => ("anchor_path IS NULL AND anchor_method = 'orphaned'", None),
    };
    comment_page(
        pool,
        id,
        &format!("consultation_id = (SELECT $1::uuid) AND depth = 0 AND {condition}"),
        value,
        after,
        limit,
        Listing::Threads,
    )
    .await
}

/// The replies of one thread, oldest first (each names its parent and depth, for nesting).
pub async fn replies(
    pool: &PgPool,
    id: Uuid,
    thread: Uuid,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Option<CommentPage>, ReadError> {
    let Some(after) = page_cursor(pool, id, cursor, Listing::Replies).await? else {
        return Ok(None);
    };
    comment_page(
        pool,
        id,
        "thread_id = (SELECT $2::uuid) AND depth > 0 AND consultation_id = (SELECT $1::uuid)",
        Some(ListingValue::Thread(thread)),
        after,
        limit,
        Listing::Replies,
    )
    .await
}

/// One comment with its answer history, earlier wordings (withheld if hidden) and re-anchorings.
pub async fn comment_detail(
    pool: &PgPool,
    id: Uuid,
    comment: Uuid,
) -> Result<Option<CommentDetail>, ReadError> {
    in_snapshot(pool, |db| Box::pin(comment_detail_in(db, id, comment))).await
}

async fn comment_detail_in(
    db: &mut PgConnection,
    id: Uuid,
    comment: Uuid,
) -> Result<Option<CommentDetail>, ReadError> {
    let Some(due) = answers_due(&mut *db, id).await? else {
        return Ok(None);
    };
    let Some(row) = sqlx::query(&format!(
        "SELECT {COMMENT_COLUMNS} FROM consultation_comments WHERE comment_id = $1 AND consultation_id = $2"
    ))
    .bind(comment)
    .bind(id)
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let view = comment_from_row(&row, due, OffsetDateTime::now_utc())?;
    let answers = sqlx::query(
        "SELECT disposition, reason, changed_version, changed_path, duplicate_of, answered_at
           FROM comment_answers WHERE comment_id = $1 ORDER BY sequence",
    )
    .bind(comment)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|r| {
        Ok(AnswerRevision {
            disposition: r.try_get("disposition")?,
            reason: r.try_get("reason")?,
            changed_version: r.try_get("changed_version")?,
            changed_path: r.try_get("changed_path")?,
            duplicate_of: r.try_get("duplicate_of")?,
            answered_at: r.try_get("answered_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let hidden = view.hidden.is_some();
    let earlier_wordings = sqlx::query(
        "SELECT previous_text, edited_at FROM comment_edits WHERE comment_id = $1 ORDER BY sequence",
    )
    .bind(comment)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|r| {
        Ok(EarlierWording {
            text: if hidden {
                None
            } else {
                Some(r.try_get("previous_text")?)
            },
            edited_at: r.try_get("edited_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let reanchorings = sqlx::query(
        "SELECT from_version, from_path, to_version, to_path, method, confidence, at
           FROM comment_anchorings WHERE comment_id = $1 ORDER BY sequence",
    )
    .bind(comment)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|r| {
        Ok(Reanchoring {
            from_version: r.try_get("from_version")?,
            from_path: r.try_get("from_path")?,
            to_version: r.try_get("to_version")?,
            to_path: r.try_get("to_path")?,
            method: r.try_get("method")?,
            confidence: r.try_get("confidence")?,
            at: r.try_get("at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(CommentDetail {
        comment: view,
        answers,
        earlier_wordings,
        reanchorings,
    }))
}

fn tallies(rows: &[PgRow]) -> Result<Vec<Tally>, ReadError> {
    rows.iter()
        .map(|r| {
            Ok(Tally {
                key: r.try_get("key")?,
                proposals: r.try_get("n")?,
            })
        })
        .collect()
}

/// The outcome report: available once the consultation has closed (a preliminary view while
/// closed, final once the body publishes it).
pub async fn outcome_report(pool: &PgPool, id: Uuid) -> Result<Option<OutcomeReport>, ReadError> {
    in_snapshot(pool, |db| Box::pin(outcome_report_in(db, id))).await
}

async fn outcome_report_in(db: &mut PgConnection, id: Uuid) -> Result<Option<OutcomeReport>, ReadError> {
    let Some(consultation) = consultation_detail_in(&mut *db, id).await? else {
        return Ok(None);
    };
    let (summary, final_version): (Option<Value>, Option<i32>) = sqlx::query_as(
        "SELECT report_summary, final_version FROM consultation_view WHERE consultation_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    let by_answer = sqlx::query(
        "SELECT CASE WHEN disposition IS NOT NULL THEN disposition
                     WHEN hidden_at IS NOT NULL THEN 'hidden' ELSE 'unanswered' END AS key, count(*) AS n
           FROM consultation_comments WHERE consultation_id = $1 AND depth = 0 GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    let by_channel = sqlx::query(
        "SELECT channel AS key, count(*) AS n FROM consultation_comments
          WHERE consultation_id = $1 AND depth = 0 GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    let by_region: Vec<(Option<String>, i64)> = sqlx::query_as(
        "SELECT region, count(*) AS n FROM consultation_comments
          WHERE consultation_id = $1 AND depth = 0 GROUP BY 1",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?;
    let by_region = RegionTally::table(
        id.as_bytes(),
        by_region
            .into_iter()
            .map(|(region, n)| (region.unwrap_or_default(), n)),
    );
    let by_provision = sqlx::query(
        "SELECT anchor_path AS path, count(*) AS n,
                count(*) FILTER (WHERE disposition = 'accepted') AS accepted,
                count(*) FILTER (WHERE disposition = 'partially_accepted') AS partially_accepted,
                count(*) FILTER (WHERE disposition = 'rejected') AS rejected,
                count(*) FILTER (WHERE disposition NOT IN ('accepted', 'partially_accepted', 'rejected')) AS other,
                count(*) FILTER (WHERE disposition IS NULL) AS unanswered
           FROM consultation_comments WHERE consultation_id = $1 AND depth = 0
          GROUP BY 1 ORDER BY 1 NULLS FIRST",
    )
    .bind(id)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|r| {
        Ok(ProvisionTally {
            path: r.try_get("path")?,
            proposals: r.try_get("n")?,
            accepted: r.try_get("accepted")?,
            partially_accepted: r.try_get("partially_accepted")?,
            rejected: r.try_get("rejected")?,
            other: r.try_get("other")?,
            unanswered: r.try_get("unanswered")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let times = sqlx::query(
        "SELECT count(*) FILTER (WHERE c.disposition IS NOT NULL) AS answered,
                count(*) FILTER (WHERE c.disposition IS NULL AND c.hidden_at IS NULL) AS unanswered,
                count(*) FILTER (WHERE c.disposition IS NULL AND c.hidden_at IS NULL AND now() > v.answers_due) AS overdue,
                count(*) FILTER (WHERE c.answered_at > v.answers_due) AS late,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.posted_at) / 3600)
                    FILTER (WHERE c.answered_at IS NOT NULL) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.answered_at - c.posted_at) / 3600)
                    FILTER (WHERE c.answered_at IS NOT NULL) AS p90
           FROM consultation_comments c JOIN consultation_view v USING (consultation_id)
          WHERE c.consultation_id = $1 AND c.depth = 0",
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    let changes = diff_in(&mut *db, id, 1, consultation.current_version)
        .await?
        .unwrap_or_default()
        .into_iter()
        .filter(|row| row.change != tyndau_drafts::ChangeKind::Unchanged)
        .collect();
    Ok(Some(OutcomeReport {
        summary: summary.unwrap_or(Value::Null),
        final_version,
        by_answer: tallies(&by_answer)?,
        by_channel: tallies(&by_channel)?,
        by_region,
        by_provision,
        answer_times: AnswerTimes {
            answered: times.try_get("answered")?,
            unanswered: times.try_get("unanswered")?,
            overdue: times.try_get("overdue")?,
            median_hours: times.try_get("median")?,
            p90_hours: times.try_get("p90")?,
            answered_late: times.try_get("late")?,
        },
        changes,
        consultation,
    }))
}

/// One row of the downloadable report.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub comment_id: Uuid,
    pub provision: Option<String>,
    pub orphaned: bool,
    pub channel: String,
    /// `None` when hidden.
    pub text: Option<String>,
    pub agree: i32,
    pub disagree: i32,
    pub disposition: Option<String>,
    pub reason: Option<Value>,
    pub changed_version: Option<i32>,
    pub changed_path: Option<String>,
    pub posted_at: OffsetDateTime,
    pub answered_at: Option<OffsetDateTime>,
}

/// One page of the report's proposals in posting order; `after` is the last row of the
/// previous page. For streaming exports.
pub async fn report_rows(
    pool: &PgPool,
    id: Uuid,
    after: Option<(OffsetDateTime, Uuid)>,
    limit: i64,
) -> Result<Vec<ReportRow>, ReadError> {
    let rows = sqlx::query(
        "SELECT comment_id, anchor_path, anchor_method, channel, text, hidden_at, agree, disagree, disposition,
                answer_reason, changed_version, changed_path, posted_at, answered_at
           FROM consultation_comments
          WHERE consultation_id = $1 AND depth = 0
            AND ($2::timestamptz IS NULL OR (posted_at, comment_id) > ($2, $3))
          ORDER BY posted_at, comment_id LIMIT $4",
    )
    .bind(id)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let hidden: Option<OffsetDateTime> = r.try_get("hidden_at")?;
            let method: String = r.try_get("anchor_method")?;
            Ok(ReportRow {
                comment_id: r.try_get("comment_id")?,
                provision: r.try_get("anchor_path")?,
                orphaned: method == "orphaned",
                channel: r.try_get("channel")?,
                text: if hidden.is_some() {
                    None
                } else {
                    r.try_get("text")?
                },
                agree: r.try_get("agree")?,
                disagree: r.try_get("disagree")?,
                disposition: r.try_get("disposition")?,
                reason: r.try_get("answer_reason")?,
                changed_version: r.try_get("changed_version")?,
                changed_path: r.try_get("changed_path")?,
                posted_at: r.try_get("posted_at")?,
                answered_at: r.try_get("answered_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(ReadError::from)
}
