//! Consultation lifecycle commands: the developing body drafts, opens, revises, closes and
//! reports.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_domain::{Closer, ConsultationCommand};
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_ids::ConsultationId;

use super::consultation_dto::{
    ConsultationAccepted, CreateConsultation, OpenConsultation, PublishReport, PublishVersion,
};
use super::metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) type Reply = Result<(StatusCode, Json<ConsultationAccepted>), ApiError>;

pub(crate) fn accepted(
    status: StatusCode,
    consultation_id: ConsultationId,
    outcome: &'static str,
    at: OffsetDateTime,
) -> (StatusCode, Json<ConsultationAccepted>) {
    (
        status,
        Json(ConsultationAccepted {
            consultation_id,
            comment_id: None,
            version: None,
            outcome,
            at,
        }),
    )
}

async fn execute(
    state: &AppState,
    consultation_id: ConsultationId,
    command: ConsultationCommand,
    actor: tyndau_events::Actor,
    at: OffsetDateTime,
) -> Result<(), ApiError> {
    state
        .consultations
        .execute_with_metadata(&consultation_id.to_string(), command, metadata(actor, at))
        .await?;
    Ok(())
}

/// Draft a consultation of the caller's own body (official).
#[utoipa::path(post, path = "/consultations", operation_id = "create_consultation", request_body = CreateConsultation, tag = "consultations",
    responses((status = 201, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<CreateConsultation>,
) -> Reply {
    let official = authz::official(&principal)?;
    let consultation_id = ConsultationId::new();
    let at = OffsetDateTime::now_utc();
    let (content, provisions) = body.into_parts();
    let command = ConsultationCommand::Draft {
        consultation_id,
        by: official.organisation.clone(),
        content,
        provisions,
        at,
    };
    execute(
        &state,
        consultation_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(accepted(StatusCode::CREATED, consultation_id, "drafted", at))
}

/// Open the draft for public comment until `closes_at` (official of the developing body).
#[utoipa::path(post, path = "/consultations/{id}/open", request_body = OpenConsultation, tag = "consultations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn open(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(consultation_id): PathParam<ConsultationId>,
    ValidJson(body): ValidJson<OpenConsultation>,
) -> Reply {
    let official = authz::official(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = ConsultationCommand::Open {
        by: official.organisation.clone(),
        closes_at: body.closes_at,
        at,
    };
    execute(
        &state,
        consultation_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(accepted(StatusCode::OK, consultation_id, "opened", at))
}

/// Publish a revised draft, while open or after closing (official of the developing body).
/// Comments are then re-anchored to it.
#[utoipa::path(post, path = "/consultations/{id}/versions", request_body = PublishVersion, tag = "consultations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 201, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn publish_version(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(consultation_id): PathParam<ConsultationId>,
    ValidJson(body): ValidJson<PublishVersion>,
) -> Reply {
    let official = authz::official(&principal)?;
    let at = OffsetDateTime::now_utc();
    let (provisions, changes) = body.into_parts();
    let command = ConsultationCommand::PublishVersion {
        by: official.organisation.clone(),
        provisions,
        changes,
        at,
    };
    execute(
        &state,
        consultation_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    let version = state
        .consultation_states
        .get(consultation_id)
        .await?
        .current_version();
    let (status, Json(mut reply)) = accepted(StatusCode::CREATED, consultation_id, "version_published", at);
    reply.version = Some(version);
    Ok((status, Json(reply)))
}

/// Close the comment period early (official of the developing body).
#[utoipa::path(post, path = "/consultations/{id}/close", tag = "consultations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn close(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(consultation_id): PathParam<ConsultationId>,
) -> Reply {
    let official = authz::official(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = ConsultationCommand::Close {
        by: Closer::Body(official.organisation.clone()),
        at,
    };
    execute(
        &state,
        consultation_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(accepted(StatusCode::OK, consultation_id, "closed", at))
}

/// Publish the outcome report; refused while any proposal is unanswered (official of the
/// developing body).
#[utoipa::path(post, path = "/consultations/{id}/report", request_body = PublishReport, tag = "consultations",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = ConsultationAccepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn publish_report(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(consultation_id): PathParam<ConsultationId>,
    ValidJson(body): ValidJson<PublishReport>,
) -> Reply {
    let official = authz::official(&principal)?;
    let at = OffsetDateTime::now_utc();
    let unanswered = tyndau_store::unanswered_proposals(&state.pool, consultation_id).await?;
    let command = ConsultationCommand::PublishReport {
        by: official.organisation.clone(),
        unanswered,
        summary: body.summary,
        at,
    };
    execute(
        &state,
        consultation_id,
        command,
        authz::actor(&principal, None),
        at,
    )
    .await?;
    Ok(accepted(StatusCode::OK, consultation_id, "report_published", at))
}
