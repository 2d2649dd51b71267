//! `Authorization: Bearer <JWT>` → a verified [`Principal`]. Verification itself lives in
//! `tyndau-auth`; this is only the HTTP edge of it.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use http::request::Parts;
use http::{StatusCode, header};
use tyndau_auth::{AuthError, Principal, Verifier};

use crate::problem::Problem;

#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl<S> FromRequestParts<S> for Authenticated
where
    Arc<Verifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<Verifier>::from_ref(state);
        let token = bearer_token(parts).ok_or_else(|| unauthorized(&AuthError::MissingToken))?;
        verifier
            .verify(token)
            .map(Authenticated)
            .map_err(|e| unauthorized(&e))
    }
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

fn unauthorized(error: &AuthError) -> Problem {
    tracing::debug!(code = error.code(), "token refused");
    Problem::new(StatusCode::UNAUTHORIZED, error.code(), "Authentication failed")
}
