//! Bulk invalidation of signatures by a moderator, with a published reason.

use std::net::IpAddr;

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_events::petition::InvalidationRule;
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_ids::{InvalidationId, PetitionId};
use tyndau_store::invalidation::{Invalidation, invalidate};

use super::dto::{InvalidateSignatures, InvalidationDone, InvalidationPreview};
use super::event_metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

fn invalid(detail: &str) -> ApiError {
    ApiError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_rule",
        detail: detail.to_owned(),
    }
}

/// The network as the signatures recorded it (`a.b.c.0/24`, `x:y:z::/48`).
fn network(text: &str) -> Result<String, ApiError> {
    let (addr, prefix) = text
        .split_once('/')
        .ok_or_else(|| invalid("network must look like 203.0.113.0/24"))?;
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| invalid("network must look like 203.0.113.0/24"))?;
    let normal = tyndau_http::origin::network_of(addr);
    if normal.ends_with(&format!("/{prefix}")) {
        Ok(normal)
    } else {
        Err(invalid(
            "networks are recorded as /24 (IPv4) or /48 (IPv6) prefixes",
        ))
    }
}

/// The request as the store takes it, after the rule's own checks.
fn request(
    principal: &tyndau_auth::Principal,
    petition_id: PetitionId,
    body: InvalidateSignatures,
) -> Result<Invalidation, ApiError> {
    authz::moderator(principal)?;
    let rule = body.rule;
    if rule.signed_from.is_none() && rule.signed_until.is_none() && rule.network.is_none() {
        return Err(invalid(
            "a rule needs a time window or a network: it never takes every signature",
        ));
    }
    if let (Some(from), Some(until)) = (rule.signed_from, rule.signed_until)
        && from >= until
    {
        return Err(invalid("signed_from must be before signed_until"));
    }
    let at = OffsetDateTime::now_utc();
    Ok(Invalidation {
        petition_id,
        invalidation: InvalidationId::new(),
        reason: body.reason,
        explanation: body.explanation,
        rule: InvalidationRule {
            signed_from: rule.signed_from,
            signed_until: rule.signed_until,
            network: rule.network.as_deref().map(network).transpose()?,
        },
        at,
        metadata: event_metadata(authz::actor(principal, None), at),
    })
}

/// Remove every standing signature matching a rule (moderator). The count, reason and rule
/// (less the network) are published on the petition; counts are corrected everywhere.
#[utoipa::path(post, path = "/petitions/{id}/invalidations", operation_id = "invalidate_signatures", tag = "moderation", request_body = InvalidateSignatures,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = InvalidationDone), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    ValidJson(body): ValidJson<InvalidateSignatures>,
) -> Result<(StatusCode, Json<InvalidationDone>), ApiError> {
    let request = request(&principal, petition_id, body)?;
    let invalidation_id = request.invalidation;
    let removed = invalidate(&state.pool, &state.petition_services, request).await?;
    Ok((
        StatusCode::OK,
        Json(InvalidationDone {
            invalidation_id,
            removed,
        }),
    ))
}

/// How many signatures a rule would remove now (moderator), refused as the removal itself would
/// be; nothing changes.
#[utoipa::path(post, path = "/petitions/{id}/invalidations/preview", operation_id = "preview_invalidation", tag = "moderation", request_body = InvalidateSignatures,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = InvalidationPreview), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn preview(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    ValidJson(body): ValidJson<InvalidateSignatures>,
) -> Result<Json<InvalidationPreview>, ApiError> {
    let request = request(&principal, petition_id, body)?;
    let would_remove =
        tyndau_store::invalidation::preview(&state.pool, &state.petition_services, request).await?;
    Ok(Json(InvalidationPreview { would_remove }))
}
