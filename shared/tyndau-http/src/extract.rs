//! Extractors whose rejections are problem+json, never axum's plain text.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::StatusCode;
use http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
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
        if !is_json(req.headers()) {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "The body must be application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "The body is too large",
                )
            } else {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "unreadable_body",
                    "The body could not be read",
                )
                .with_detail(e.body_text())
            }
        })?;
        let axum::Json(value) = axum::Json::<T>::from_bytes(&bytes).map_err(json_rejection)?;
        // After the typed parse, so malformed or mistyped bodies keep their own problem codes.
        unique_keys(&bytes)?;
        value.validate().map_err(validation_problem)?;
        Ok(Self(value))
    }
}

/// `application/json` or any `application/*+json`, parameters ignored (axum's rule).
fn is_json(headers: &http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

/// Refuses a body in which any object, at any depth, names a member twice. serde's derived
/// structs refuse a repeated field, but maps keep the last value: a petition's `content` with
/// `"ru"` twice would be read as one of them, and another parser might pick the other.
fn unique_keys(body: &[u8]) -> Result<(), Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let checked = UniqueKeys::deserialize(&mut deserializer).and_then(|_| deserializer.end());
    checked.map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            "The body does not match the schema",
        )
        .with_detail(e.to_string()),
        _ => Problem::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "The body is not valid JSON",
        ),
    })
}

/// Walks any JSON value, failing on a repeated object member.
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueKeysVisitor)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = UniqueKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_i64<E>(self, _: i64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_u64<E>(self, _: u64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_f64<E>(self, _: f64) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_str<E>(self, _: &str) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_unit<E>(self) -> Result<UniqueKeys, E> {
        Ok(UniqueKeys)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueKeys, A::Error> {
        while seq.next_element::<UniqueKeys>()?.is_some() {}
        Ok(UniqueKeys)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                return Err(serde::de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            map.next_value::<UniqueKeys>()?;
            seen.insert(key);
        }
        Ok(UniqueKeys)
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
        let invalid = || {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid_query",
                "A query parameter is malformed",
            )
        };
        if let Some(query) = parts.uri.query()
            && !decodes_as_utf8(query)
        {
            return Err(invalid().with_detail("A query parameter is not valid UTF-8"));
        }
        let axum::extract::Query(value) = axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e: QueryRejection| invalid().with_detail(e.body_text()))?;
        value.validate().map_err(validation_problem)?;
        Ok(Self(value))
    }
}

/// True when every name and value of a query string percent-decodes to UTF-8. The form decoder
/// behind `Query` replaces broken sequences with U+FFFD, which would turn `q=%F0%9F%98` into a
/// search for a replacement character instead of a clear 400.
fn decodes_as_utf8(query: &str) -> bool {
    query
        .split('&')
        .flat_map(|pair| pair.split('='))
        .all(|part| percent_encoding::percent_decode_str(part).decode_utf8().is_ok())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_member_is_refused_at_every_depth() {
        let code = |body: &str| unique_keys(body.as_bytes()).err().map(|p| p.status().as_u16());
        assert_eq!(
            code(r#"{"a": 1, "b": {"ru": "x", "kk": "y"}, "c": [{"d": 1}, {"d": 2}]}"#),
            None
        );
        assert_eq!(code(r#"{"a": 1, "a": 2}"#), Some(422));
        assert_eq!(
            code(r#"{"content": {"ru": {"title": "a"}, "ru": {"title": "b"}}}"#),
            Some(422)
        );
        assert_eq!(code(r#"[{"x": [{"y": 1, "y": 1}]}]"#), Some(422));
        // Escapes name the same member.
        assert_eq!(code(r#"{"ru": 1, "\u0072u": 2}"#), Some(422));
        assert_eq!(code(r#"{"a": 1,"#), Some(400));
        assert_eq!(code(r#"{"a": 1} trailing"#), Some(400));
    }

    #[test]
    fn queries_must_decode_to_utf8() {
        assert!(decodes_as_utf8(
            "q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82&sort=newest"
        ));
        assert!(decodes_as_utf8("q=a+b&empty=&flag"));
        assert!(decodes_as_utf8("q=%F0%9F%98%80"));
        assert!(!decodes_as_utf8("q=%F0%9F%98"), "a truncated sequence");
        assert!(!decodes_as_utf8("q=%C0%AF%C0%AF"), "overlong encodings");
        assert!(!decodes_as_utf8("%FF=x"), "names too");
    }
}
