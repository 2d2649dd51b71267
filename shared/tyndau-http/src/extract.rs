//! Extractors whose rejections are problem+json, never axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::StatusCode;
use http::request::Parts;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::problem::{FieldProblem, Problem};

/// A JSON body, deserialised (unknown fields are refused by the types) and validated.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidJson<T>
where
    T: DeserializeOwned + Validate,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state)
            .await
            .map_err(json_rejection)?;
        value.validate().map_err(validation_problem)?;
        Ok(Self(value))
    }
}

fn json_rejection(rejection: JsonRejection) -> Problem {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "The body must be application/json",
        ),
        JsonRejection::JsonDataError(e) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "The body does not match the schema",
        )
        .with_detail(e.body_text()),
        JsonRejection::JsonSyntaxError(_) => Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "The body is not valid JSON",
        ),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "The body is too large",
        ),
        other => Problem::new(
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            "The body could not be read",
        )
        .with_detail(other.body_text()),
    }
}

pub fn validation_problem(errors: validator::ValidationErrors) -> Problem {
    let mut fields: Vec<FieldProblem> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, errs)| {
            errs.iter().map(move |e| FieldProblem {
                field: field.to_string(),
                code: e.code.to_string(),
            })
        })
        .collect();
    fields.sort_by(|a, b| a.field.cmp(&b.field));
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
        "Some fields are invalid",
    )
    .with_errors(fields)
}

/// A path parameter; a malformed one (not a UUID, say) is a 400 problem, not a 404 or 500.
#[derive(Debug, Clone, Copy)]
pub struct PathParam<T>(pub T);

impl<S, T> FromRequestParts<S> for PathParam<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|e: PathRejection| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_path",
                    "A path parameter is malformed",
                )
                .with_detail(e.body_text())
            })
    }
}

/// Query parameters, validated.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryParams<T>(pub T);

impl<S, T> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned + Validate + Send,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e: QueryRejection| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    "A query parameter is malformed",
                )
                .with_detail(e.body_text())
            })?;
        value.validate().map_err(validation_problem)?;
        Ok(Self(value))
    }
}

/// Refuses text with NUL characters: no legitimate text has them, and PostgreSQL cannot store
/// them in text or JSON. For `#[validate(custom(function = "tyndau_http::extract::no_nul"))]`.
pub fn no_nul(text: &str) -> Result<(), validator::ValidationError> {
    if text.contains('\0') {
        Err(validator::ValidationError::new("nul_character"))
    } else {
        Ok(())
    }
}

/// [`no_nul`] for every value of a map of texts by language.
pub fn no_nul_in_values<K>(
    texts: &std::collections::BTreeMap<K, String>,
) -> Result<(), validator::ValidationError> {
    texts.values().try_for_each(|text| no_nul(text))
}
