//! The command API's one error type and the one place it becomes HTTP.

use axum::response::{IntoResponse, Response};
use cqrs_es::AggregateError;
use http_status::StatusCode;
use tyndau_domain::{DomainRejection, RejectionKind};
use tyndau_http::Problem;

use axum::http as http_status;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("no such petition")]
    PetitionNotFound,
    #[error("the domain refused the command")]
    Rejected {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
    #[error("the command conflicted with a concurrent one")]
    Conflict,
    #[error("rate limited: {}", scope.describe())]
    RateLimited {
        scope: crate::limits::LimitScope,
        retry_after_s: u64,
    },
    #[error("a dependency is unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("unexpected failure")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

fn status_of(kind: RejectionKind) -> StatusCode {
    match kind {
        RejectionKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        RejectionKind::Forbidden => StatusCode::FORBIDDEN,
        RejectionKind::NotFound => StatusCode::NOT_FOUND,
        RejectionKind::Conflict => StatusCode::CONFLICT,
        RejectionKind::Gone => StatusCode::GONE,
    }
}

impl<E> From<AggregateError<E>> for ApiError
where
    E: DomainRejection + std::error::Error,
{
    fn from(error: AggregateError<E>) -> Self {
        match error {
            AggregateError::UserError(rejection) => ApiError::Rejected {
                status: status_of(rejection.kind()),
                code: rejection.code(),
                detail: rejection.to_string(),
            },
            AggregateError::AggregateConflict => ApiError::Conflict,
            AggregateError::DatabaseConnectionError(e) => ApiError::Unavailable(e),
            // postgres-es passes a database error it does not recognise as unexpected, a
            // primary that crashed mid-statement ("terminating connection due to unexpected
            // postmaster exit") included: that one is a failover, not a bug.
            AggregateError::UnexpectedError(e) if tyndau_db::caused_by_transient(e.as_ref()) => {
                ApiError::Unavailable(e)
            }
            AggregateError::DeserializationError(e) | AggregateError::UnexpectedError(e) => {
                ApiError::Internal(e)
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Unavailable(Box::new(error))
    }
}

impl From<tyndau_read_model::ReadError> for ApiError {
    fn from(error: tyndau_read_model::ReadError) -> Self {
        if error.is_transient() {
            ApiError::Unavailable(Box::new(error))
        } else {
            ApiError::Internal(Box::new(error))
        }
    }
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        match self {
            ApiError::Forbidden(why) => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden").with_detail(*why)
            }
            ApiError::PetitionNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "petition_not_found",
                "No such petition, or not open for signing",
            ),
            ApiError::Rejected { status, code, detail } => {
                Problem::new(*status, code, "The request was refused").with_detail(detail.clone())
            }
            ApiError::RateLimited { scope, retry_after_s } => {
                Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests")
                    .with_detail(format!("{}; retry in {retry_after_s} s", scope.describe()))
            }
            ApiError::Conflict => Problem::new(
                StatusCode::CONFLICT,
                "concurrent_modification",
                "Another change to this petition happened at the same time; retry",
            ),
            ApiError::Unavailable(e) => {
                Problem::unavailable("command failed: dependency unavailable", e.as_ref())
            }
            ApiError::Internal(e) => Problem::internal("command failed unexpectedly", e.as_ref()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.problem().into_response();
        if let ApiError::RateLimited { retry_after_s, .. } = self
            && let Ok(value) = http_status::HeaderValue::from_str(&retry_after_s.to_string())
        {
            response
                .headers_mut()
                .insert(http_status::header::RETRY_AFTER, value);
        }
        response
    }
}
