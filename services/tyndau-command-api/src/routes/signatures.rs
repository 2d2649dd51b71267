//! Signing and withdrawing: the hot path. One token verification, one keyed hash, a cached
//! terms lookup, and a share of one batched transaction.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_domain::{SignatureCommand, SignatureError};
use tyndau_events::signature::signature_aggregate_id;
use tyndau_http::{Authenticated, PathParam};
use tyndau_ids::PetitionId;

use super::dto::Accepted;
use super::metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

/// Sign a petition, once (citizen). Eligibility comes from the verified token.
#[utoipa::path(post, path = "/petitions/{id}/signature", tag = "signatures",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 201, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn sign(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
) -> Result<(StatusCode, Json<Accepted>), ApiError> {
    let citizen = authz::citizen(&principal)?;
    let terms = state
        .signing_terms(petition_id)
        .await?
        .ok_or(ApiError::PetitionNotFound)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&signer.to_hex())?;
    state.limits.petition(petition_id)?;
    let at = OffsetDateTime::now_utc();
    let command = |terms| SignatureCommand::Sign {
        terms,
        signer,
        birth_date: citizen.iin.birth_date(),
        residence: citizen.region,
        at,
    };
    let id = signature_aggregate_id(petition_id, signer);
    let md = metadata(authz::actor(&principal, Some(signer)), at);
    let signed = state
        .signing
        .execute_with_metadata(&id, command(terms), md.clone())
        .await;
    match signed {
        // Signing blind cannot tell "signed" from "withdrawn earlier": ask the loaded history.
        Err(cqrs_es::AggregateError::UserError(SignatureError::AlreadySigned)) => {
            state
                .signatures_loaded
                .execute_with_metadata(&id, command(terms), md)
                .await?;
        }
        other => other?,
    }
    Ok((
        StatusCode::CREATED,
        Json(Accepted {
            petition_id,
            outcome: "signed",
            at,
        }),
    ))
}

/// Withdraw one's own signature while the petition is open (citizen).
#[utoipa::path(delete, path = "/petitions/{id}/signature", tag = "signatures",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Accepted), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn withdraw(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
) -> Result<Json<Accepted>, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let terms = state
        .signing_terms(petition_id)
        .await?
        .ok_or(ApiError::PetitionNotFound)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&signer.to_hex())?;
    let at = OffsetDateTime::now_utc();
    let id = signature_aggregate_id(petition_id, signer);
    let md = metadata(authz::actor(&principal, Some(signer)), at);
    state
        .signatures_loaded
        .execute_with_metadata(&id, SignatureCommand::Withdraw { terms, signer, at }, md)
        .await?;
    Ok(Json(Accepted {
        petition_id,
        outcome: "withdrawn",
        at,
    }))
}
