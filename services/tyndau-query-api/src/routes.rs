//! Thin handlers: extract, call the read model, map. No SQL and no rules live here.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderValue, header};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tyndau_db::sqlx;
use tyndau_events::petition::{Level, RejectionReason};
use tyndau_http::{PathParam, Problem, QueryParams};
use tyndau_ids::{BodyId, PetitionId, Region};
use tyndau_read_model::{
    self as read_model, HourlySeries, ListFilter, PageRequest, PetitionDetail, PetitionPage, PetitionStatus,
    RegionBreakdown, SignatureCount, Sort, Timeline, schema,
};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::cache::ResponseCache;
use crate::error::ApiError;

/// A second of freshness, then five more served stale while a cache revalidates: a viral
/// petition's crowd hits the cache, not PostgreSQL, and counts are never more than seconds old.
const PUBLIC_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=1, stale-while-revalidate=5");

/// A successful public response: JSON, cacheable. Errors keep the middleware's `no-store`.
pub(crate) struct Public<T>(pub(crate) T);

impl<T: Serialize> IntoResponse for Public<T> {
    fn into_response(self) -> Response {
        ([(header::CACHE_CONTROL, PUBLIC_CACHE)], axum::Json(self.0)).into_response()
    }
}

/// The routes; the pages go through `cache` when there is one.
pub(crate) fn api(pool: PgPool, cache: Option<ResponseCache>) -> Router {
    let pages = Router::new()
        .route("/petitions", get(list_petitions))
        .route("/petitions/{id}", get(petition_detail))
        .route("/petitions/{id}/count", get(petition_count))
        .route("/petitions/{id}/regions", get(region_breakdown))
        .route("/petitions/{id}/hourly", get(hourly_series))
        .route("/petitions/{id}/timeline", get(timeline))
        .route("/petitions/{id}/invalidations", get(removed_signatures))
        .route("/petitions/{id}/signers", get(shown_signers))
        .route("/rejection-reasons", get(rejection_reasons))
        .route("/openapi.json", get(openapi_document))
        .merge(crate::consultations::api());
    let pages = match cache {
        Some(cache) => pages.layer(axum::middleware::from_fn_with_state(cache, crate::cache::serve)),
        None => pages,
    };
    pages.merge(crate::consultations::exports()).with_state(pool)
}

/// Catalogue query parameters. Unknown parameters are refused (400), so a typo such as
/// `stauts=open` is reported instead of silently listing everything.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only petitions in this status.
    pub status: Option<PetitionStatus>,
    /// Only petitions to bodies of this level.
    #[param(schema_with = schema::level)]
    pub level: Option<Level>,
    /// Only petitions addressed within this region.
    #[param(schema_with = schema::region)]
    pub region: Option<Region>,
    /// Only petitions addressed to this body.
    #[param(schema_with = schema::body)]
    pub addressee: Option<BodyId>,
    /// Full-text search in web-search syntax (`"exact phrase"`, `or`, `-word`); empty means none.
    #[validate(length(max = 200), custom(function = "tyndau_http::extract::no_nul"))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Ordering; `closing_soon` lists open petitions only. Default `newest`.
    pub sort: Option<Sort>,
    /// The `next_cursor` of the previous page (same sort and filters).
    #[validate(length(min = 1, max = 256))]
    #[param(min_length = 1, max_length = 256)]
    pub cursor: Option<String>,
    /// Page size, 1 to 100; default 20.
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

impl ListQuery {
    fn into_request(self) -> (ListFilter, PageRequest) {
        let filter = ListFilter {
            status: self.status,
            level: self.level,
            region: self.region,
            addressee: self.addressee,
            // An empty search box submits `q=`: that is no search, not a search for nothing.
            q: self.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
            sort: self.sort.unwrap_or_default(),
        };
        let page = PageRequest {
            limit: self.limit.unwrap_or(read_model::DEFAULT_PAGE_SIZE),
            cursor: self.cursor,
        };
        (filter, page)
    }
}

/// List publicly listed petitions.
///
/// Open petitions appear once past their start-up gate; rejected ones appear with their reason.
/// Paging is by keyset: follow `next_cursor` until it is null.
#[utoipa::path(
    get,
    path = "/petitions",
    tag = "petitions",
    params(ListQuery),
    responses(
        (status = 200, description = "One page of petitions", body = PetitionPage),
        (status = 400, description = "Unknown or malformed parameter, or invalid cursor (`invalid_query`, `invalid_cursor`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range (`invalid_input`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn list_petitions(
    State(pool): State<PgPool>,
    QueryParams(query): QueryParams<ListQuery>,
) -> Result<Public<PetitionPage>, ApiError> {
    let (filter, page) = query.into_request();
    Ok(Public(read_model::list_petitions(&pool, &filter, &page).await?))
}

/// One petition: texts, addressee, dates, live count, outcome and what happens next.
///
/// Reachable by direct link even before the petition is listed.
#[utoipa::path(
    get,
    path = "/petitions/{id}",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The petition", body = PetitionDetail),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn petition_detail(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<PetitionDetail>, ApiError> {
    found(read_model::petition_detail(&pool, id).await?)
}

/// The live signature count and progress; cheap enough to poll.
#[utoipa::path(
    get,
    path = "/petitions/{id}/count",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The count", body = SignatureCount),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn petition_count(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<SignatureCount>, ApiError> {
    found(read_model::petition_count(&pool, id).await?)
}

/// Signatures by the signers' region: all 20 regions, with zeros.
#[utoipa::path(
    get,
    path = "/petitions/{id}/regions",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The breakdown", body = RegionBreakdown),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn region_breakdown(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<RegionBreakdown>, ApiError> {
    found(read_model::region_breakdown(&pool, id).await?)
}

/// Net signatures per hour, oldest first.
#[utoipa::path(
    get,
    path = "/petitions/{id}/hourly",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The series", body = HourlySeries),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn hourly_series(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<HourlySeries>, ApiError> {
    found(read_model::hourly_series(&pool, id).await?)
}

/// The public history of a petition, in order.
#[utoipa::path(
    get,
    path = "/petitions/{id}/timeline",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The timeline", body = Timeline),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn timeline(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<Timeline>, ApiError> {
    found(read_model::timeline(&pool, id).await?)
}

/// Signatures removed by moderators: how many, why, when, by which rule (network withheld).
#[utoipa::path(
    get,
    path = "/petitions/{id}/invalidations",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id")),
    responses(
        (status = 200, description = "The report", body = read_model::RemovedSignatures),
        (status = 400, description = "The id is not a UUID (`invalid_path`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No public petition has this id (`petition_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is unavailable; retry", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn removed_signatures(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
) -> Result<Public<read_model::RemovedSignatures>, ApiError> {
    found(read_model::removed_signatures(&pool, id).await?)
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SignersQuery {
    /// The previous page's `next_before`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[param(value_type = Option<String>, format = DateTime)]
    pub before: Option<time::OffsetDateTime>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// Signers who chose to show their name ("first name + initial"), newest first; everyone else is
/// only counted. Signer lists are otherwise never public.
#[utoipa::path(
    get,
    path = "/petitions/{id}/signers",
    tag = "petitions",
    params(("id" = uuid::Uuid, Path, description = "The petition id"), SignersQuery),
    responses(
        (status = 200, description = "One page of shown names", body = read_model::ShownSigners),
        (status = "4XX", description = "Malformed input, or no public petition", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn shown_signers(
    State(pool): State<PgPool>,
    PathParam(id): PathParam<PetitionId>,
    QueryParams(query): QueryParams<SignersQuery>,
) -> Result<Public<read_model::ShownSigners>, ApiError> {
    found(read_model::shown_signers(&pool, id, query.before, query.limit).await?)
}

fn found<T>(value: Option<T>) -> Result<Public<T>, ApiError> {
    value.map(Public).ok_or(ApiError::PetitionNotFound)
}

/// One published reason for refusing publication.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectionReasonInfo {
    /// The code found in a rejected petition's `rejection.reason`.
    #[schema(schema_with = schema::rejection_reason)]
    pub code: RejectionReason,
    pub description: String,
}

/// The published list of rejection reasons.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RejectionReasonList {
    pub reasons: Vec<RejectionReasonInfo>,
}

/// Why a moderator may refuse a petition: published so every refusal is checkable against it.
#[utoipa::path(
    get,
    path = "/rejection-reasons",
    tag = "reference",
    responses((status = 200, description = "Every reason, in the published order", body = RejectionReasonList))
)]
pub(crate) async fn rejection_reasons() -> Public<RejectionReasonList> {
    let reasons = RejectionReason::ALL
        .into_iter()
        .map(|code| RejectionReasonInfo {
            code,
            description: describe(code).to_owned(),
        })
        .collect();
    Public(RejectionReasonList { reasons })
}

/// Exhaustive, so a new reason cannot be published without its description.
fn describe(reason: RejectionReason) -> &'static str {
    match reason {
        RejectionReason::ProhibitedSubject => {
            "A subject petitions may not address: constitutional order, territory, borders, elections, \
             the judiciary, defence, state secrets and the like."
        }
        RejectionReason::UnlawfulContent => {
            "Calls to violence, extremism or discord; defamation; offensive content."
        }
        RejectionReason::Duplicate => "Already covered by an open petition.",
        RejectionReason::WrongAddressee => "Not within the competence of the chosen addressee.",
        RejectionReason::PersonalMatter => {
            "Not a public matter: a personal case belongs in an appeal (e-Otinish)."
        }
        RejectionReason::Unclear => "It is impossible to understand what is asked.",
        RejectionReason::Advertising => "Advertising or commercial promotion.",
    }
}

static OPENAPI: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(crate::openapi);

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "reference",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json"))
)]
pub(crate) async fn openapi_document() -> Public<&'static utoipa::openapi::OpenApi> {
    Public(LazyLock::force(&OPENAPI))
}
