//! The audit trail for administrators: who did what, from which network, newest first.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use http::header;
use serde::Deserialize;
use tyndau_db::audit::{AuditFilter, AuditPage, audit_trail};
use tyndau_http::{Authenticated, QueryParams};
use utoipa::IntoParams;
use validator::Validate;

use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `citizen`, `moderator`, `official`, `admin` or `system`.
    #[validate(length(min = 1, max = 16))]
    pub actor_kind: Option<String>,
    /// A citizen's pseudonym, a staff subject or a component name.
    #[validate(length(min = 1, max = 255), custom(function = "tyndau_http::extract::no_nul"))]
    pub actor_id: Option<String>,
    /// `petition`, `signature`, `consultation`, `comment`, `comment_reaction`.
    #[validate(length(min = 1, max = 32))]
    pub aggregate_type: Option<String>,
    /// An aggregate id, or a petition or consultation id (its signatures or comments too).
    #[validate(length(min = 1, max = 200), custom(function = "tyndau_http::extract::no_nul"))]
    pub aggregate_id: Option<String>,
    /// The previous page's `next_before`.
    #[validate(range(min = 1))]
    pub before: Option<i64>,
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Who did what, newest first (admin).
#[utoipa::path(get, path = "/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = AuditPage),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<impl IntoResponse, ApiError> {
    authz::admin(&principal)?;
    let filter = AuditFilter {
        actor_kind: query.actor_kind,
        actor_id: query.actor_id,
        aggregate_type: query.aggregate_type,
        aggregate_id: query.aggregate_id,
        before: query.before,
        limit: i64::from(query.limit.unwrap_or(100)),
    };
    let page = audit_trail(&state.pool, &filter).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(page)))
}
