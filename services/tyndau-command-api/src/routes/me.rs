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
