//! The service's one error type and its one mapping to problem+json.

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use tyndau_http::Problem;
use tyndau_read_model::ReadError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Absent, or not public (a draft): the two are indistinguishable on purpose.
    #[error("no public petition has this id")]
    PetitionNotFound,
    #[error("the page cursor is invalid")]
    InvalidCursor,
    /// Absent, or still a draft.
    #[error("no public consultation has this id")]
    ConsultationNotFound,
    #[error("no such comment in this consultation")]
    CommentNotFound,
    #[error("the thread scope is not one of all, draft, orphaned")]
    InvalidScope,
    #[error("reading the read model failed")]
    ReadModel(#[source] ReadError),
}

impl From<ReadError> for ApiError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::InvalidCursor => ApiError::InvalidCursor,
            other => ApiError::ReadModel(other),
        }
    }
}

impl From<ApiError> for Problem {
    fn from(error: ApiError) -> Self {
        match &error {
            ApiError::PetitionNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "petition_not_found",
                "No public petition has this id",
            ),
            ApiError::ConsultationNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "consultation_not_found",
                "No public consultation (or no such version) has this id",
            ),
            ApiError::CommentNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "comment_not_found",
                "No such comment in this consultation",
            ),
            ApiError::InvalidScope => Problem::new(StatusCode::BAD_REQUEST, "invalid_query", "Invalid query")
                .with_detail("scope is one of all, draft, orphaned"),
            ApiError::InvalidCursor => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_cursor",
                "The page cursor is invalid",
            )
            .with_detail("Use the next_cursor of a previous page, with the same sort."),
            // Logged here with the cause chain; the client sees an opaque problem.
            ApiError::ReadModel(cause) if cause.is_transient() => {
                Problem::unavailable("read model unavailable", &error)
            }
            ApiError::ReadModel(_) => Problem::internal("read model query failed", &error),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        Problem::from(self).into_response()
    }
}
