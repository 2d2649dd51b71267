//! Signing and withdrawing: the hot path. One token verification, one keyed hash, a cached
//! terms lookup, and a share of one batched transaction.

use axum::Json;
use axum::extract::State;
use http::StatusCode;
use time::OffsetDateTime;
use tyndau_auth::seal::{SubjectKey, first_name_and_initial};
use tyndau_domain::{SignatureCommand, SignatureError};
use tyndau_events::sealed::SealedText;
use tyndau_http::{Authenticated, PathParam, QueryParams};
use tyndau_ids::{PetitionId, SignatureId};

use super::dto::Accepted;
use super::metadata;
use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

/// Whether the signer's name appears on the public list of signers.
#[derive(Debug, Default, serde::Deserialize, validator::Validate, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SignOptions {
    /// Show "first name + initial" (from the identity token) publicly; hidden by default.
    pub show_name: Option<bool>,
}

/// The name to show, sealed under this signature's own key (crypto-shredding: deleting the key
/// on erasure or after the retention period makes it unreadable everywhere).
async fn sealed_name(
    state: &AppState,
    citizen: &tyndau_auth::Citizen,
    petition_id: PetitionId,
    signer: tyndau_ids::SignerKey,
) -> Result<SealedText, ApiError> {
    let name = citizen
        .display_name
        .as_deref()
        .and_then(first_name_and_initial)
        .ok_or_else(|| ApiError::Rejected {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "no_display_name",
            detail: "the identity token carries no name to show".to_owned(),
        })?;
    let fresh = SubjectKey::generate().map_err(|e| ApiError::Internal(Box::new(e)))?;
    let key = tyndau_db::subject_keys::key_for(
        &state.pool,
        *petition_id.as_uuid(),
        &signer.to_hex(),
        fresh.as_bytes(),
    )
    .await?;
    let key = SubjectKey::from_bytes(&key).map_err(|e| ApiError::Internal(Box::new(e)))?;
    key.seal(&SignatureId::new(petition_id, signer).to_string(), &name)
        .map_err(|e| ApiError::Internal(Box::new(e)))
}

/// Sign a petition, once (citizen). Eligibility comes from the verified token.
#[utoipa::path(post, path = "/petitions/{id}/signature", tag = "signatures",
    params(("id" = String, Path, format = Uuid), SignOptions),
    responses((status = 201, body = Signed), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn sign(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
    QueryParams(options): QueryParams<SignOptions>,
) -> Result<(StatusCode, Json<Signed>), ApiError> {
    let citizen = authz::citizen(&principal)?;
    let terms = state
        .signing_terms(petition_id)
        .await?
        .ok_or(ApiError::PetitionNotFound)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&signer.to_hex())?;
    state.limits.petition(petition_id)?;
    let display_name = match options.show_name {
        Some(true) => Some(sealed_name(&state, citizen, petition_id, signer).await?),
        _ => None,
    };
    let at = OffsetDateTime::now_utc();
    let command = |terms| SignatureCommand::Sign {
        terms,
        signer,
        birth_date: citizen.iin.birth_date(),
        residence: citizen.region,
        display_name: display_name.clone(),
        at,
    };
    let id = SignatureId::new(petition_id, signer).to_string();
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
    let receipt = state
        .receipts
        .as_ref()
        .map(|receipts| receipts.of(&SignatureId::new(petition_id, signer)));
    Ok((
        StatusCode::CREATED,
        Json(Signed {
            accepted: Accepted {
                petition_id,
                outcome: "signed",
                at,
            },
            receipt,
        }),
    ))
}

/// A signature's acceptance, with the signer's receipt for the public log.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Signed {
    #[serde(flatten)]
    pub accepted: Accepted,
    /// Present when the platform runs its transparency log: keep it to check later, with
    /// `tyndau-verify receipt`, that the signature is in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<crate::receipts::SignatureReceipt>,
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
    let id = SignatureId::new(petition_id, signer).to_string();
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

/// The caller's signature on one petition, straight from the record: what the petition page
/// shows its signer ("You signed this on …"), right after signing, without waiting for a
/// projection.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OwnSignatureState {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    /// `unsigned`, `signed`, `withdrawn` or `invalidated`.
    pub status: &'static str,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub signed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
}

/// The caller's own signature on a petition (citizen).
#[utoipa::path(get, path = "/petitions/{id}/signature", operation_id = "own_signature", tag = "signatures",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = OwnSignatureState), (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn own(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(petition_id): PathParam<PetitionId>,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    let signature = state
        .signature_reader
        .current(SignatureId::new(petition_id, signer))
        .await?;
    let status = match signature.status() {
        tyndau_domain::SignatureStatus::Unsigned => "unsigned",
        tyndau_domain::SignatureStatus::Signed => "signed",
        tyndau_domain::SignatureStatus::Withdrawn => "withdrawn",
        tyndau_domain::SignatureStatus::Invalidated => "invalidated",
    };
    Ok((
        [(http::header::CACHE_CONTROL, "private, no-store")],
        Json(OwnSignatureState {
            petition_id,
            status,
            signed_at: signature.signed_at(),
            withdrawn_at: signature.withdrawn_at(),
        }),
    ))
}
