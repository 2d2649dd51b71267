//! What a citizen can see of their own participation. Served here, not by the public query API,
//! because only the command side holds the pepper that turns a verified IIN into a pseudonym.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use http::header;
use tyndau_http::Authenticated;
use tyndau_read_model::OwnSignatures;

use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

/// The caller's own signatures, newest first, withdrawn ones included (citizen).
#[utoipa::path(get, path = "/me/signatures", tag = "signatures",
    responses((status = 200, body = OwnSignatures),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn signatures(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    let own = tyndau_read_model::signatures_of(&state.pool, signer).await?;
    // Personal data: never stored by a shared cache.
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(own)))
}

/// The caller's own comments and replies, newest first, with answers (citizen).
#[utoipa::path(get, path = "/me/comments", operation_id = "own_comments", tag = "comments",
    responses((status = 200, body = tyndau_read_model::OwnComments),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn comments(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let author = state.pseudonymizer.signer_key(&citizen.iin);
    let own = tyndau_read_model::comments_of(&state.pool, author).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(own)))
}

/// The petitions the caller started, at every stage, newest first (citizen): drafts and
/// petitions awaiting moderation are shown to their author only, with a rejection's reason.
#[utoipa::path(get, path = "/me/petitions", operation_id = "own_petitions", tag = "petitions",
    responses((status = 200, body = tyndau_read_model::OwnPetitions),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn petitions(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let author = state.pseudonymizer.signer_key(&citizen.iin);
    let own = tyndau_read_model::petitions_of(&state.pool, author).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(own)))
}

/// What an erasure did.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Erased {
    /// Subject keys deleted: names shown on that many signatures are now unreadable everywhere.
    pub keys_deleted: u64,
    /// Signatures stay counted: the count is public record, the person is not.
    pub signatures_kept: bool,
}

/// Erase the caller's personal data (citizen): their keys are deleted, so every name they chose
/// to show becomes unreadable in the event store and disappears from public lists; their
/// signatures still count.
#[utoipa::path(delete, path = "/me", tag = "signatures",
    responses((status = 200, body = Erased),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn erase(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&key.to_hex())?;
    // Keys first: if recording fails, a retry finds nothing more to delete and records it then.
    let keys_deleted = tyndau_db::subject_keys::delete_for_signer(&state.pool, &key.to_hex()).await?;
    let at = time::OffsetDateTime::now_utc();
    state
        .privacy
        .execute_with_metadata(
            &key.to_hex(),
            tyndau_domain::PrivacyCommand::RecordErasure {
                citizen: key,
                keys_deleted: u32::try_from(keys_deleted).unwrap_or(u32::MAX),
                at,
            },
            super::metadata(authz::actor(&principal, Some(key)), at),
        )
        .await?;
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(Erased {
            keys_deleted,
            signatures_kept: true,
        }),
    ))
}
