//! Webhook endpoints for organisations and media (any signed-in citizen may register some):
//! public events of the petitions, consultations and state bodies they choose, signed in the
//! Standard Webhooks format by the notifier. The secret is shown once, at registration.

use std::net::IpAddr;

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_read_model::webhooks::{self, Endpoint, MAX_ENDPOINTS};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

/// What to send where.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterWebhook {
    /// `https://…` (plain `http` and private addresses only where the deployment allows them).
    #[validate(length(min = 8, max = 2000))]
    pub url: String,
    /// `petition:<id>`, `consultation:<id>` or `body:<id>` (a body's petitions and
    /// consultations); empty or absent: every public event.
    #[serde(default)]
    #[validate(length(max = 50))]
    pub topics: Vec<String>,
}

/// A registered endpoint, with its secret: shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredWebhook {
    pub endpoint_id: Uuid,
    pub url: String,
    pub topics: Vec<String>,
    /// `whsec_…`: verify `webhook-signature` with it (Standard Webhooks). Not shown again.
    pub secret: String,
}

/// The caller's endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhooks {
    pub items: Vec<Endpoint>,
}

fn invalid(code: &'static str, detail: &str) -> ApiError {
    ApiError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code,
        detail: detail.to_owned(),
    }
}

/// Whether `host` is this machine, a private network or link-local: a webhook there would make
/// the platform a way into its own network.
fn is_internal(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback()
                || ip.is_private()
                || ip.is_link_local()
                || ip.is_unspecified()
                || ip.is_broadcast()
        }
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback()
                || ip.is_unspecified()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_loopback() || v4.is_private())
        }
        Err(_) => false,
    }
}

fn check_url(url: &str, allow_internal: bool) -> Result<String, ApiError> {
    let parsed = url::Url::parse(url).map_err(|_| invalid("invalid_url", "the address is not a URL"))?;
    let plain_allowed = allow_internal && parsed.scheme() == "http";
    if parsed.scheme() != "https" && !plain_allowed {
        return Err(invalid("invalid_url", "the address must be https"));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| invalid("invalid_url", "the address has no host"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("invalid_url", "put no credentials in the address"));
    }
    if !allow_internal && is_internal(host) {
        return Err(invalid("invalid_url", "the address is on a private network"));
    }
    Ok(parsed.to_string())
}

fn check_topic(topic: &str) -> Result<String, ApiError> {
    let valid = match topic.split_once(':') {
        Some(("petition" | "consultation", id)) => Uuid::parse_str(id).map(|id| id.to_string()).ok(),
        Some(("body", id)) => id.parse::<tyndau_ids::BodyId>().ok().map(|b| b.to_string()),
        _ => None,
    };
    let kind = topic.split_once(':').map_or("", |(k, _)| k);
    valid.map(|id| format!("{kind}:{id}")).ok_or_else(|| {
        invalid(
            "invalid_subject",
            "a topic is petition:<id>, consultation:<id> or body:<id>",
        )
    })
}

/// Registers a webhook endpoint (citizen; at most ten each).
#[utoipa::path(post, path = "/me/webhooks", operation_id = "register_webhook", tag = "notifications",
    request_body = RegisterWebhook,
    responses((status = 201, body = RegisteredWebhook),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<RegisterWebhook>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let owner = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&owner.to_hex())?;
    let url = check_url(&body.url, state.webhooks_allow_internal)?;
    let mut topics = body
        .topics
        .iter()
        .map(|t| check_topic(t))
        .collect::<Result<Vec<_>, _>>()?;
    topics.sort();
    topics.dedup();
    let mut random = [0u8; 32];
    aws_lc_rs::rand::fill(&mut random).map_err(|_| ApiError::Internal("no randomness".into()))?;
    let secret = format!(
        "whsec_{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, random)
    );
    let endpoint_id = Uuid::now_v7();
    if !webhooks::register(&state.pool, endpoint_id, owner, &url, &secret, &topics).await? {
        return Err(ApiError::Rejected {
            status: StatusCode::CONFLICT,
            code: "too_many_webhooks",
            detail: format!("at most {MAX_ENDPOINTS} endpoints each"),
        });
    }
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(RegisteredWebhook {
            endpoint_id,
            url,
            topics,
            secret,
        }),
    ))
}

/// The caller's endpoints, their state (and why one was disabled) and delivery log (citizen).
#[utoipa::path(get, path = "/me/webhooks", operation_id = "own_webhooks", tag = "notifications",
    responses((status = 200, body = Webhooks),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let owner = state.pseudonymizer.signer_key(&citizen.iin);
    let items = webhooks::endpoints_of(&state.pool, owner).await?;
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(Webhooks { items }),
    ))
}

fn no_such_endpoint() -> ApiError {
    ApiError::Rejected {
        status: StatusCode::NOT_FOUND,
        code: "unknown_webhook",
        detail: "you have no endpoint with this id".to_owned(),
    }
}

/// Deletes one of the caller's endpoints and its log (citizen).
#[utoipa::path(delete, path = "/me/webhooks/{id}", operation_id = "delete_webhook", tag = "notifications",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(id): PathParam<Uuid>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let owner = state.pseudonymizer.signer_key(&citizen.iin);
    if !webhooks::delete(&state.pool, owner, id).await? {
        return Err(no_such_endpoint());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Turns a disabled endpoint back on (citizen).
#[utoipa::path(post, path = "/me/webhooks/{id}/enable", operation_id = "enable_webhook", tag = "notifications",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 204),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn enable(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam(id): PathParam<Uuid>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let owner = state.pseudonymizer.signer_key(&citizen.iin);
    if !webhooks::enable(&state.pool, owner, id).await? {
        return Err(no_such_endpoint());
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused_unless_allowed() {
        for url in [
            "http://example.org/hook",
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://169.254.169.254/latest",
            "https://user:pw@example.org/hook",
            "ftp://example.org/hook",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
        }
        assert!(check_url("https://news.example.kz/tyndau", false).is_ok());
        assert!(check_url("http://127.0.0.1:9/hook", true).is_ok());
    }
}
