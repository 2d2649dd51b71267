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

/// One of the caller's signatures, with their receipt for the public log when the platform runs
/// one.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OwnSignatureWithReceipt {
    #[serde(flatten)]
    pub signature: tyndau_read_model::OwnSignature,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<crate::receipts::SignatureReceipt>,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OwnSignaturesWithReceipts {
    /// Newest first.
    pub signatures: Vec<OwnSignatureWithReceipt>,
}

/// The caller's own signatures, newest first, withdrawn ones included, each with its receipt
/// (citizen).
#[utoipa::path(get, path = "/me/signatures", tag = "signatures",
    responses((status = 200, body = OwnSignaturesWithReceipts),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn signatures(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let signer = state.pseudonymizer.signer_key(&citizen.iin);
    let own: OwnSignatures = tyndau_read_model::signatures_of(&state.pool, signer).await?;
    let signatures = own
        .signatures
        .into_iter()
        .map(|signature| OwnSignatureWithReceipt {
            receipt: state
                .receipts
                .as_ref()
                .map(|r| r.of(&tyndau_ids::SignatureId::new(signature.petition_id, signer))),
            signature,
        })
        .collect();
    // Personal data (the receipts' secrets too): never stored by a shared cache.
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(OwnSignaturesWithReceipts { signatures }),
    ))
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
    // What they had read; the notifier forgets their subscriptions and inbox on the event.
    tyndau_read_model::inbox::forget(&state.pool, key).await?;
    // Their address (already unreadable without the key), settings, follows and queued mail.
    tyndau_read_model::delivery::forget(&state.pool, key).await?;
    tyndau_read_model::webhooks::forget(&state.pool, key).await?;
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

#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// The previous page's `next_before`.
    #[validate(range(min = 1))]
    pub before: Option<i64>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The caller's notifications, newest first, with the unread count (citizen).
#[utoipa::path(get, path = "/me/notifications", operation_id = "own_notifications", tag = "notifications",
    params(InboxQuery),
    responses((status = 200, body = tyndau_read_model::inbox::Inbox),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn notifications(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    tyndau_http::QueryParams(query): tyndau_http::QueryParams<InboxQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    let inbox =
        tyndau_read_model::inbox::inbox(&state.pool, key, query.before, query.limit.unwrap_or(20)).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(inbox)))
}

#[derive(Debug, serde::Deserialize, validator::Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The highest notification id read: it and every earlier one count as read.
    #[validate(range(min = 1))]
    pub up_to: i64,
}

/// Marks the caller's notifications read up to one (citizen).
#[utoipa::path(post, path = "/me/notifications/read", operation_id = "mark_notifications_read", tag = "notifications",
    request_body = MarkRead,
    responses((status = 204),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn mark_read(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    tyndau_http::ValidJson(body): tyndau_http::ValidJson<MarkRead>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    tyndau_read_model::inbox::mark_read(&state.pool, key, body.up_to).await?;
    Ok(http::StatusCode::NO_CONTENT)
}
