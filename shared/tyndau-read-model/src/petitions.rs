//! The petition queries. Every statement joins `petition_view` and filters on one of the two
//! visibility predicates below, so no query can reach a draft by accident.

use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::{PgPool, Postgres, QueryBuilder};
use time::OffsetDateTime;
use tyndau_events::petition::{ClosingOutcome, Level};
use tyndau_ids::{BodyId, PetitionId, Region};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::cursor::Cursor;
use crate::model::{
    Addressee, Answer, Content, HourlyPoint, HourlySeries, NextStep, PetitionDates, PetitionDetail,
    PetitionPage, PetitionStatus, PetitionSummary, Progress, RegionBreakdown, Rejection, SignatureCount,
    Stop, Timeline, TimelineEntry,
};
use crate::{MAX_PAGE_SIZE, ReadError};

/// Reachable by direct link: everything but drafts and submitted petitions (including an open
/// petition still below its start-up gate, whose author shares the link to gather signatures).
macro_rules! reachable {
    () => {
        "v.status IN ('rejected', 'open', 'closed', 'stopped', 'archived')"
    };
}

/// Shown in the catalogue: past the start-up gate, or rejected (refusals are public).
macro_rules! listed {
    () => {
        "((v.status IN ('open', 'closed', 'stopped', 'archived') AND v.listed_at IS NOT NULL) \
         OR v.status = 'rejected')"
    };
}

/// Every public column; never `author` (a pseudonym, still personal data) nor `search`.
macro_rules! select_petition {
    () => {
        "SELECT v.petition_id, v.status, v.addressee_body, v.level, v.region, v.content, \
         v.published_at, v.closes_at, v.startup_due, v.listed_at, v.threshold_reached_at, v.answer_due, \
         v.answer_overdue_at, v.answered_at, v.closed_at, v.archived_at, v.threshold, v.final_count, \
         v.closing_outcome, v.rejection, v.stop, v.answer, \
         COALESCE(c.signatures, 0) AS signatures, \
         COALESCE(v.published_at, v.submitted_at, v.drafted_at) AS public_at \
         FROM petition_view v LEFT JOIN petition_counts c ON c.petition_id = v.petition_id"
    };
}

/// The catalogue's orderings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most recently published first (rejected petitions by their submission date).
    #[default]
    Newest,
    /// Highest live count first. Counts move while a reader pages, so a petition can shift
    /// between pages; each page is still consistent and the cursor never fails on it.
    MostSigned,
    /// Open petitions whose collection ends soonest first.
    ClosingSoon,
}

impl Sort {
    /// The SQL sort key and whether it runs descending.
    fn key(self) -> (&'static str, bool) {
        match self {
            Sort::Newest => ("COALESCE(v.published_at, v.submitted_at, v.drafted_at)", true),
            Sort::MostSigned => ("COALESCE(c.signatures, 0)", true),
            Sort::ClosingSoon => ("v.closes_at", false),
        }
    }
}

/// Catalogue filters; all optional and combined with AND.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub status: Option<PetitionStatus>,
    pub level: Option<Level>,
    pub region: Option<Region>,
    pub addressee: Option<BodyId>,
    /// Full-text query in web-search syntax (`"exact phrase"`, `or`, `-exclude`).
    pub q: Option<String>,
    pub sort: Sort,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// Clamped to `1..=MAX_PAGE_SIZE`.
    pub limit: u32,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: crate::DEFAULT_PAGE_SIZE,
            cursor: None,
        }
    }
}

#[derive(sqlx::FromRow)]
struct PetitionRow {
    petition_id: Uuid,
    status: String,
    addressee_body: String,
    level: String,
    region: Option<String>,
    content: Json<Content>,
    published_at: Option<OffsetDateTime>,
    closes_at: Option<OffsetDateTime>,
    startup_due: Option<OffsetDateTime>,
    listed_at: Option<OffsetDateTime>,
    threshold_reached_at: Option<OffsetDateTime>,
    answer_due: Option<OffsetDateTime>,
    answer_overdue_at: Option<OffsetDateTime>,
    answered_at: Option<OffsetDateTime>,
    closed_at: Option<OffsetDateTime>,
    archived_at: Option<OffsetDateTime>,
    threshold: Option<i32>,
    final_count: Option<i32>,
    closing_outcome: Option<String>,
    rejection: Option<Json<Rejection>>,
    stop: Option<Json<Stop>>,
    answer: Option<Json<Answer>>,
    signatures: i64,
    public_at: OffsetDateTime,
}

/// Reads a code column through the type's serde form, so the contract has one definition.
fn code<T: DeserializeOwned>(column: &'static str, value: &str) -> Result<T, ReadError> {
    let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        value.into_deserializer();
    T::deserialize(deserializer).map_err(|_| ReadError::Inconsistent {
        column,
        value: value.to_owned(),
    })
}

impl PetitionRow {
    fn cursor(&self, sort: Sort) -> Cursor {
        let key = match sort {
            Sort::Newest => crate::cursor::time_key(self.public_at),
            Sort::MostSigned => self.signatures,
            Sort::ClosingSoon => crate::cursor::time_key(self.closes_at.unwrap_or(self.public_at)),
        };
        Cursor {
            sort,
            key,
            id: self.petition_id,
        }
    }

    fn into_detail(self) -> Result<PetitionDetail, ReadError> {
        let status = PetitionStatus::from_code(&self.status).ok_or_else(|| ReadError::Inconsistent {
            column: "status",
            value: self.status.clone(),
        })?;
        let addressee = Addressee {
            body: code("addressee_body", &self.addressee_body)?,
            level: code("level", &self.level)?,
            region: self.region.as_deref().map(|r| code("region", r)).transpose()?,
        };
        let closing_outcome: Option<ClosingOutcome> = self
            .closing_outcome
            .as_deref()
            .map(|o| code("closing_outcome", o))
            .transpose()?;
        let dates = PetitionDates {
            published_at: self.published_at,
            closes_at: self.closes_at,
            startup_due: self.startup_due,
            listed_at: self.listed_at,
            threshold_reached_at: self.threshold_reached_at,
            answer_due: self.answer_due,
            answer_overdue_at: self.answer_overdue_at,
            answered_at: self.answered_at,
            closed_at: self.closed_at,
            archived_at: self.archived_at,
        };
        Ok(PetitionDetail {
            id: PetitionId::from_uuid(self.petition_id),
            status,
            addressee,
            content: self.content.0,
            next_step: NextStep::derive(status, &dates, closing_outcome),
            dates,
            threshold: self.threshold,
            signatures: self.signatures,
            progress: Progress::of(self.signatures, self.threshold),
            final_count: self.final_count,
            closing_outcome,
            rejection: self.rejection.map(|j| j.0),
            stop: self.stop.map(|j| j.0),
            answer: self.answer.map(|j| j.0),
        })
    }
}

impl From<PetitionDetail> for PetitionSummary {
    fn from(detail: PetitionDetail) -> Self {
        Self {
            id: detail.id,
            status: detail.status,
            addressee: detail.addressee,
            title: detail.content.titles(),
            signatures: detail.signatures,
            threshold: detail.threshold,
            progress: detail.progress,
            published_at: detail.dates.published_at,
            closes_at: detail.dates.closes_at,
            rejection_reason: detail.rejection.map(|r| r.reason),
            next_step: detail.next_step,
        }
    }
}

pub(crate) async fn list(
    pool: &PgPool,
    filter: &ListFilter,
    page: &PageRequest,
) -> Result<PetitionPage, ReadError> {
    let sort = filter.sort;
    let cursor = page
        .cursor
        .as_deref()
        .map(|c| Cursor::decode(c, sort))
        .transpose()?;
    let limit = page.limit.clamp(1, MAX_PAGE_SIZE) as usize;
    let (key, descending) = sort.key();

    let mut query = QueryBuilder::<Postgres>::new(concat!(select_petition!(), " WHERE ", listed!()));
    if let Some(status) = filter.status {
        query.push(" AND v.status = ").push_bind(status.code());
    }
    if let Some(level) = filter.level {
        query.push(" AND v.level = ").push_bind(level.code());
    }
    if let Some(region) = filter.region {
        query.push(" AND v.region = ").push_bind(region.code());
    }
    if let Some(body) = &filter.addressee {
        query
            .push(" AND v.addressee_body = ")
            .push_bind(body.as_str().to_owned());
    }
    if let Some(q) = &filter.q {
        query
            .push(" AND v.search @@ websearch_to_tsquery('simple', ")
            .push_bind(q.clone())
            .push(")");
    }
    if sort == Sort::ClosingSoon {
        query.push(" AND v.status = 'open' AND v.closes_at IS NOT NULL");
    }
    if let Some(cursor) = cursor {
        query.push(format_args!(
            " AND ({key}, v.petition_id) {} (",
            if descending { "<" } else { ">" }
        ));
        match sort {
            Sort::MostSigned => query.push_bind(cursor.key),
            Sort::Newest | Sort::ClosingSoon => query.push_bind(cursor.key_as_time()?),
        };
        query.push(", ").push_bind(cursor.id).push(")");
    }
    let direction = if descending { "DESC" } else { "ASC" };
    query.push(format_args!(
        " ORDER BY {key} {direction}, v.petition_id {direction} LIMIT "
    ));
    // One row more than asked tells whether another page exists.
    query.push_bind(limit as i64 + 1);

    let mut rows: Vec<PetitionRow> = query.build_query_as().fetch_all(pool).await?;
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|row| row.cursor(sort).encode())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|row| row.into_detail().map(PetitionSummary::from))
        .collect::<Result<_, _>>()?;
    Ok(PetitionPage { items, next_cursor })
}

pub(crate) async fn detail(pool: &PgPool, id: PetitionId) -> Result<Option<PetitionDetail>, ReadError> {
    let row: Option<PetitionRow> = sqlx::query_as(concat!(
        select_petition!(),
        " WHERE v.petition_id = $1 AND ",
        reachable!()
    ))
    .bind(id.as_uuid())
    .fetch_optional(pool)
    .await?;
    row.map(PetitionRow::into_detail).transpose()
}

pub(crate) async fn count(pool: &PgPool, id: PetitionId) -> Result<Option<SignatureCount>, ReadError> {
    let row: Option<(Option<i32>, i64)> = sqlx::query_as(concat!(
        "SELECT v.threshold, COALESCE(c.signatures, 0) FROM petition_view v \
         LEFT JOIN petition_counts c ON c.petition_id = v.petition_id \
         WHERE v.petition_id = $1 AND ",
        reachable!()
    ))
    .bind(id.as_uuid())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(threshold, signatures)| SignatureCount {
        petition_id: id,
        signatures,
        threshold,
        progress: Progress::of(signatures, threshold),
    }))
}

// The per-petition series below LEFT JOIN from the view in one round trip: no row means
// "not public", one all-null row means "public, nothing counted yet".

pub(crate) async fn regions(pool: &PgPool, id: PetitionId) -> Result<Option<RegionBreakdown>, ReadError> {
    let rows: Vec<(Option<String>, Option<i64>)> = sqlx::query_as(concat!(
        "SELECT r.region, r.signatures FROM petition_view v \
         LEFT JOIN petition_region_counts r ON r.petition_id = v.petition_id \
         WHERE v.petition_id = $1 AND ",
        reachable!()
    ))
    .bind(id.as_uuid())
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let table = crate::disclosure::regional_table(
        id.as_uuid().as_bytes(),
        rows.into_iter()
            .filter_map(|(code, signatures)| Some((code?, signatures?))),
    );
    Ok(Some(RegionBreakdown {
        petition_id: id,
        regions: table.regions,
        unspecified: table.unspecified,
        total: table.total,
    }))
}

pub(crate) async fn hourly(pool: &PgPool, id: PetitionId) -> Result<Option<HourlySeries>, ReadError> {
    let rows: Vec<(Option<OffsetDateTime>, Option<i64>)> = sqlx::query_as(concat!(
        "SELECT h.hour, h.signatures FROM petition_view v \
         LEFT JOIN petition_hourly h ON h.petition_id = v.petition_id \
         WHERE v.petition_id = $1 AND ",
        reachable!(),
        " ORDER BY h.hour"
    ))
    .bind(id.as_uuid())
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let points = rows
        .into_iter()
        .filter_map(|(hour, signatures)| {
            Some(HourlyPoint {
                hour: hour?,
                signatures: signatures?,
            })
        })
        .collect();
    Ok(Some(HourlySeries {
        petition_id: id,
        points,
    }))
}

type TimelineRow = (
    Option<i64>,
    Option<String>,
    Option<OffsetDateTime>,
    Option<serde_json::Value>,
);

pub(crate) async fn timeline(pool: &PgPool, id: PetitionId) -> Result<Option<Timeline>, ReadError> {
    let rows: Vec<TimelineRow> = sqlx::query_as(concat!(
        "SELECT t.sequence, t.event_type, t.occurred_at, t.details FROM petition_view v \
         LEFT JOIN petition_timeline t ON t.petition_id = v.petition_id \
         WHERE v.petition_id = $1 AND ",
        reachable!(),
        " ORDER BY t.sequence"
    ))
    .bind(id.as_uuid())
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let entries = rows
        .into_iter()
        .filter_map(|(sequence, event_type, occurred_at, details)| {
            Some(TimelineEntry {
                sequence: sequence?,
                event_type: event_type?,
                occurred_at: occurred_at?,
                details: details?,
            })
        })
        .collect();
    Ok(Some(Timeline {
        petition_id: id,
        entries,
    }))
}
