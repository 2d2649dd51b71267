//! Public reads of consultations: catalogue, draft by version, threads, diff, outcome report
//! (JSON, and CSV streamed page by page so a 100,000-proposal report never sits in memory).

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, header};
use serde::Deserialize;
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_db::sqlx;
use tyndau_events::petition::Language;
use tyndau_http::{PathParam, Problem, QueryParams};
use tyndau_ids::{BodyId, ProvisionPath};
use tyndau_read_model::{
    self as read_model, CommentDetail, CommentPage, ConsultationDetail, ConsultationFilter, ConsultationPage,
    ConsultationStatus, DraftView, OutcomeReport, ReportRow, ThreadScope,
};
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use crate::error::ApiError;
use crate::routes::Public;

pub(crate) fn api() -> Router<PgPool> {
    Router::new()
        .route("/consultations", get(list))
        .route("/consultations/{id}", get(detail))
        .route("/consultations/{id}/draft", get(draft))
        .route("/consultations/{id}/diff", get(diff))
        .route("/consultations/{id}/comments", get(threads))
        .route("/consultations/{id}/comments/{comment_id}", get(comment))
        .route("/consultations/{id}/comments/{comment_id}/replies", get(replies))
        .route("/consultations/{id}/report", get(report))
}

/// The CSV export streams from the database as the client reads: never held in memory, so never
/// behind the response cache.
pub(crate) fn exports() -> Router<PgPool> {
    Router::new().route("/consultations/{id}/report.csv", get(report_csv))
}

fn found<T>(value: Option<T>) -> Result<Public<T>, ApiError> {
    value.map(Public).ok_or(ApiError::ConsultationNotFound)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsultationQuery {
    pub status: Option<ConsultationStatus>,
    /// Only consultations of this developing body.
    #[param(value_type = Option<String>)]
    pub body: Option<BodyId>,
    /// Full-text search in titles and summaries (web-search syntax).
    #[validate(length(max = 200), custom(function = "tyndau_http::extract::no_nul"))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[validate(length(min = 1, max = 256))]
    #[param(min_length = 1, max_length = 256)]
    pub cursor: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// List public consultations, most recently opened first.
#[utoipa::path(get, path = "/consultations", tag = "consultations", params(ConsultationQuery),
    responses(
        (status = 200, description = "One page of consultations", body = ConsultationPage),
        (status = "4XX", description = "Malformed parameter or cursor", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn list(
    State(pool): State<PgPool>,
    QueryParams(query): QueryParams<ConsultationQuery>,
) -> Result<Public<ConsultationPage>, ApiError> {
    let filter = ConsultationFilter {
        status: query.status,
        body: query.body.map(|b| b.to_string()),
        q: query.q,
    };
    Ok(Public(
        read_model::list_consultations(&pool, &filter, query.cursor.as_deref(), query.limit).await?,
    ))
}

/// One consultation: texts, versions, dates and totals.
#[utoipa::path(get, path = "/consultations/{id}", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id")),
    responses(
        (status = 200, description = "The consultation", body = ConsultationDetail),
        (status = "4XX", description = "Malformed id, or no public consultation (`consultation_not_found`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn detail(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Public<ConsultationDetail>, ApiError> {
    found(read_model::consultation_detail(&pool, id).await?)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// The version; the latest by default.
    #[validate(range(min = 1, max = 10000))]
    #[param(minimum = 1, maximum = 10000)]
    pub version: Option<i32>,
}

/// The draft as of a version, provision by provision, with proposal counts.
#[utoipa::path(get, path = "/consultations/{id}/draft", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), DraftQuery),
    responses(
        (status = 200, description = "The draft", body = DraftView),
        (status = "4XX", description = "Malformed input, or no such consultation or version", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn draft(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(query): QueryParams<DraftQuery>,
) -> Result<Public<DraftView>, ApiError> {
    found(read_model::draft(&pool, id, query.version).await?)
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    #[validate(range(min = 1, max = 10000))]
    #[param(minimum = 1, maximum = 10000)]
    pub from: i32,
    #[validate(range(min = 1, max = 10000))]
    #[param(minimum = 1, maximum = 10000)]
    pub to: i32,
}

/// The comparative table between two versions: each provision added, removed, changed (word by
/// word) or unchanged, with the body's reason.
#[utoipa::path(get, path = "/consultations/{id}/diff", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), DiffQuery),
    responses(
        (status = 200, description = "Rows in reading order", body = Vec<Object>),
        (status = "4XX", description = "Malformed input, or no such consultation or version", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn diff(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(query): QueryParams<DiffQuery>,
) -> Result<Public<Vec<tyndau_drafts::ProvisionChange>>, ApiError> {
    found(read_model::diff(&pool, id, query.from, query.to).await?)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// Proposals on this provision (as anchored in the latest version).
    #[param(value_type = Option<String>)]
    pub provision: Option<ProvisionPath>,
    /// `all` (default), `draft` (on the whole draft) or `orphaned`; ignored with `provision`.
    #[validate(length(max = 16))]
    #[param(max_length = 16)]
    pub scope: Option<String>,
    #[validate(length(min = 1, max = 256))]
    #[param(min_length = 1, max_length = 256)]
    pub cursor: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Proposals with their answers, agreement and reply counts, oldest first.
#[utoipa::path(get, path = "/consultations/{id}/comments", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), ThreadQuery),
    responses(
        (status = 200, description = "One page of proposals", body = CommentPage),
        (status = "4XX", description = "Malformed input, or no public consultation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn threads(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(query): QueryParams<ThreadQuery>,
) -> Result<Public<CommentPage>, ApiError> {
    let scope = match (query.provision, query.scope.as_deref()) {
        (Some(path), _) => ThreadScope::Provision(path.to_string()),
        (None, None | Some("all")) => ThreadScope::All,
        (None, Some("draft")) => ThreadScope::WholeDraft,
        (None, Some("orphaned")) => ThreadScope::Orphaned,
        (None, Some(_)) => return Err(ApiError::InvalidScope),
    };
    found(read_model::threads(&pool, id, &scope, query.cursor.as_deref(), query.limit).await?)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[validate(length(min = 1, max = 256))]
    #[param(min_length = 1, max_length = 256)]
    pub cursor: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// One comment with its answer history, earlier wordings and re-anchorings.
#[utoipa::path(get, path = "/consultations/{id}/comments/{comment_id}", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), ("comment_id" = Uuid, Path, description = "The comment id")),
    responses(
        (status = 200, description = "The comment", body = CommentDetail),
        (status = "4XX", description = "Malformed id, or no such comment", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn comment(
    State(pool): State<PgPool>,
    PathParam((id, comment_id)): PathParam<(Uuid, Uuid)>,
) -> Result<Public<CommentDetail>, ApiError> {
    read_model::comment_detail(&pool, id, comment_id)
        .await?
        .map(Public)
        .ok_or(ApiError::CommentNotFound)
}

/// The replies in a proposal's thread, oldest first.
#[utoipa::path(get, path = "/consultations/{id}/comments/{comment_id}/replies", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), ("comment_id" = Uuid, Path, description = "The proposal (thread) id"), PageQuery),
    responses(
        (status = 200, description = "One page of replies", body = CommentPage),
        (status = "4XX", description = "Malformed input, or no public consultation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn replies(
    State(pool): State<PgPool>,
    PathParam((id, thread)): PathParam<(Uuid, Uuid)>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Public<CommentPage>, ApiError> {
    found(read_model::replies(&pool, id, thread, query.cursor.as_deref(), query.limit).await?)
}

/// The outcome report: totals by answer, channel, region and provision; answer times; what
/// changed from the first version. Proposals themselves: `/comments`, or all at once as CSV.
#[utoipa::path(get, path = "/consultations/{id}/report", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id")),
    responses(
        (status = 200, description = "The report", body = OutcomeReport),
        (status = "4XX", description = "Malformed id, or no public consultation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn report(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
) -> Result<Public<OutcomeReport>, ApiError> {
    found(read_model::outcome_report(&pool, id).await?)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CsvQuery {
    /// The language of the `answer` labels and of the reasons (falls back to another one the
    /// body wrote); Kazakh by default.
    #[param(value_type = Option<String>)]
    pub lang: Option<Language>,
}

const CSV_PAGE: i64 = 2_000;

/// A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn answer_label(disposition: &str, language: Language) -> &'static str {
    match (disposition, language) {
        ("accepted", Language::Kk) => "Қабылданды",
        ("accepted", Language::Ru) => "Принято",
        ("accepted", Language::En) => "Accepted",
        ("partially_accepted", Language::Kk) => "Ішінара қабылданды",
        ("partially_accepted", Language::Ru) => "Принято частично",
        ("partially_accepted", Language::En) => "Partially accepted",
        ("rejected", Language::Kk) => "Қабылданбады",
        ("rejected", Language::Ru) => "Не принято",
        ("rejected", Language::En) => "Rejected",
        ("noted", Language::Kk) => "Назарға алынды",
        ("noted", Language::Ru) => "Принято к сведению",
        ("noted", Language::En) => "Noted",
        ("out_of_scope", Language::Kk) => "Жобаның мәнінен тыс",
        ("out_of_scope", Language::Ru) => "Вне предмета проекта",
        ("out_of_scope", Language::En) => "Out of scope",
        ("duplicate", Language::Kk) => "Қайталау",
        ("duplicate", Language::Ru) => "Дубликат",
        ("duplicate", Language::En) => "Duplicate",
        _ => "",
    }
}

fn localized(value: Option<&serde_json::Value>, language: Language) -> String {
    let Some(map) = value.and_then(serde_json::Value::as_object) else {
        return String::new();
    };
    let wanted = match language {
        Language::Kk => "kk",
        Language::Ru => "ru",
        Language::En => "en",
    };
    [wanted, "kk", "ru", "en"]
        .iter()
        .find_map(|l| map.get(*l).and_then(serde_json::Value::as_str))
        .unwrap_or_default()
        .to_owned()
}

const CSV_HEADER: [&str; 12] = [
    "provision",
    "comment",
    "answer",
    "likes",
    "dislikes",
    "decision",
    "reason",
    "changed_provision",
    "comment_id",
    "channel",
    "posted_at",
    "answered_at",
];

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn csv_rows(rows: &[ReportRow], language: Language, header: bool) -> Result<bytes::Bytes, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 256));
    if header {
        writer.write_record(CSV_HEADER)?;
    }
    for row in rows {
        let provision = match (&row.provision, row.orphaned) {
            (Some(path), _) => path.clone(),
            (None, true) => "orphaned".to_owned(),
            (None, false) => "whole draft".to_owned(),
        };
        let disposition = row.disposition.as_deref().unwrap_or_default();
        let changed = match (row.changed_version, &row.changed_path) {
            (Some(version), Some(path)) => format!("v{version} {path}"),
            _ => String::new(),
        };
        writer.write_record([
            cell(&provision),
            cell(row.text.as_deref().unwrap_or("[hidden by a moderator]")),
            answer_label(disposition, language).to_owned(),
            row.agree.to_string(),
            row.disagree.to_string(),
            disposition.to_owned(),
            cell(&localized(row.reason.as_ref(), language)),
            changed,
            row.comment_id.to_string(),
            row.channel.clone(),
            rfc3339(row.posted_at),
            row.answered_at.map(rfc3339).unwrap_or_default(),
        ])?;
    }
    writer
        .into_inner()
        .map(bytes::Bytes::from)
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The outcome report's proposals as CSV: the Kazakh report's columns (provision, comment,
/// answer, likes, dislikes) plus decision, reason and the changed provision.
#[utoipa::path(get, path = "/consultations/{id}/report.csv", tag = "consultations",
    params(("id" = Uuid, Path, description = "The consultation id"), CsvQuery),
    responses(
        (status = 200, description = "CSV, one row per proposal", content_type = "text/csv", body = String),
        (status = "4XX", description = "Malformed input, or no public consultation", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn report_csv(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<Uuid>,
    QueryParams(query): QueryParams<CsvQuery>,
) -> Result<Response, ApiError> {
    if read_model::consultation_detail(&pool, id).await?.is_none() {
        return Err(ApiError::ConsultationNotFound);
    }
    let language = query.lang.unwrap_or(Language::Kk);
    // Pages are fetched as the client reads; a failure mid-stream ends the body early and is
    // logged (the status line has gone by then).
    let pages = futures::stream::try_unfold(Some(None), move |state| {
        let pool = pool.clone();
        async move {
            let Some(after) = state else {
                return Ok::<_, std::io::Error>(None);
            };
            let rows = read_model::report_rows(&pool, id, after, CSV_PAGE)
                .await
                .map_err(|e| {
                    tyndau_telemetry::log_error_chain("report export failed", &e);
                    std::io::Error::other("report export failed")
                })?;
            let next = (i64::try_from(rows.len()).unwrap_or(0) == CSV_PAGE)
                .then(|| rows.last().map(|r| (r.posted_at, r.comment_id)));
            let chunk = csv_rows(&rows, language, after.is_none()).map_err(std::io::Error::other)?;
            Ok(Some((chunk, next)))
        }
    });
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"outcome-report.csv\""),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            ),
        ],
        Body::from_stream(pages),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_is_kept() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+7 701"), "'+7 701");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Бап 3"), "Бап 3");
    }

    #[test]
    fn a_report_row_is_quoted_as_csv_needs() {
        let row = ReportRow {
            comment_id: Uuid::nil(),
            provision: Some("a1.p2".to_owned()),
            orphaned: false,
            channel: "citizen".to_owned(),
            text: Some("line one, \"two\"\n=cmd".to_owned()),
            agree: 3,
            disagree: 1,
            disposition: Some("partially_accepted".to_owned()),
            reason: Some(serde_json::json!({"ru": "частично", "kk": "ішінара"})),
            changed_version: Some(2),
            changed_path: Some("a1.p2".to_owned()),
            posted_at: OffsetDateTime::UNIX_EPOCH,
            answered_at: None,
        };
        let bytes = csv_rows(&[row], Language::Ru, true).unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "a1.p2");
        assert_eq!(&record[1], "line one, \"two\"\n=cmd");
        assert_eq!(&record[2], "Принято частично");
        assert_eq!(&record[6], "частично");
        assert_eq!(&record[7], "v2 a1.p2");
    }
}
