//! Petition lifecycle commands.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_domain::PetitionCommand;
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_ids::{BodyId, PetitionId};
use tyndau_store::closing;

use super::dto::{Accepted, AnswerPetition, CreatePetition, RejectPetition, StopPetition};
use super::metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

type Reply = Result<(StatusCode, Json<Accepted>), ApiError>;

fn accepted(status: StatusCode, petition_id: PetitionId, outcome: &'static str, at: OffsetDateTime) -> Reply {
    Ok((
        status,
        Json(Accepted {
            petition_id,
            outcome,
            at,
        }),
    ))
}

/// Draft a petition (citizen).
#[utoipa::path(post, path = "/petitions", operation_id = "create_petition", request_body = CreatePetition, tag = "petitions",
    responses((status = 201, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<CreatePetition>,
) -> Reply {
    let citizen = authz::citizen(&principal)?;
    let author = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&author.to_hex())?;
    let addressee: BodyId = body.addressee.parse().map_err(|_| ApiError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "unknown_body",
        detail: "no state body has this id".to_owned(),
    })?;
    let petition_id = PetitionId::new();
    let at = OffsetDateTime::now_utc();
    let command = PetitionCommand::Draft {
        petition_id,
        author,
        addressee,
        content: body.texts(),
        at,
    };
    state
        .petitions
        .execute_with_metadata(
            &petition_id.to_string(),
            command,
            metadata(authz::actor(&principal, Some(author)), at),
        )
        .await?;
    accepted(StatusCode::CREATED, petition_id, "drafted", at)
}

/// Submit a draft for moderation (its author).
#[utoipa::path(post, path = "/petitions/{id}/submit", tag = "petitions",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
) -> Reply {
    let citizen = authz::citizen(&principal)?;
    let by = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&by.to_hex())?;
    let at = OffsetDateTime::now_utc();
    execute(
        &state,
        petition_id,
        PetitionCommand::Submit { by, at },
        authz::actor(&principal, Some(by)),
        at,
    )
    .await?;
    accepted(StatusCode::OK, petition_id, "submitted", at)
}

/// Publish a submitted petition (moderator): it opens for signatures.
#[utoipa::path(post, path = "/petitions/{id}/publish", tag = "moderation",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn publish(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
) -> Reply {
    authz::moderator(&principal)?;
    let at = OffsetDateTime::now_utc();
    execute(
        &state,
        petition_id,
        PetitionCommand::Publish { at },
        authz::actor(&principal, None),
        at,
    )
    .await?;
    accepted(StatusCode::OK, petition_id, "published", at)
}

/// Refuse publication with a reason from the published list (moderator).
#[utoipa::path(post, path = "/petitions/{id}/reject", tag = "moderation", request_body = RejectPetition,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    ValidJson(body): ValidJson<RejectPetition>,
) -> Reply {
    authz::moderator(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = PetitionCommand::Reject {
        reason: body.reason,
        explanation: body.explanation,
        at,
    };
    execute(&state, petition_id, command, authz::actor(&principal, None), at).await?;
    accepted(StatusCode::OK, petition_id, "rejected", at)
}

/// Stop an open petition (moderator); the closing count is exact.
#[utoipa::path(post, path = "/petitions/{id}/stop", tag = "moderation", request_body = StopPetition,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn stop(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    ValidJson(body): ValidJson<StopPetition>,
) -> Reply {
    authz::moderator(&principal)?;
    let at = OffsetDateTime::now_utc();
    closing::execute_with_final_count(
        &state.petitions,
        &state.petition_repository,
        &state.gate,
        &state.petition_services,
        petition_id,
        |final_count| PetitionCommand::Stop {
            reason: body.reason,
            explanation: body.explanation.clone(),
            final_count,
            at,
        },
        metadata(authz::actor(&principal, None), at),
    )
    .await?;
    accepted(StatusCode::OK, petition_id, "stopped", at)
}

/// Answer a petition that reached its threshold (an official of the addressed body).
#[utoipa::path(post, path = "/petitions/{id}/answer", operation_id = "answer_petition", tag = "answers", request_body = AnswerPetition,
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    ValidJson(body): ValidJson<AnswerPetition>,
) -> Reply {
    let official = authz::official(&principal)?;
    let at = OffsetDateTime::now_utc();
    let command = PetitionCommand::Answer {
        by: official.organisation.clone(),
        decision: body.decision,
        text: body.text,
        at,
    };
    execute(&state, petition_id, command, authz::actor(&principal, None), at).await?;
    accepted(StatusCode::OK, petition_id, "answered", at)
}

async fn execute(
    state: &AppState,
    petition_id: PetitionId,
    command: PetitionCommand,
    actor: tyndau_events::Actor,
    at: OffsetDateTime,
) -> Result<(), ApiError> {
    state
        .petitions
        .execute_with_metadata(&petition_id.to_string(), command, metadata(actor, at))
        .await?;
    Ok(())
}
