//! How a citizen is told: their language, email address and frequency, what they follow or
//! stopped, and the one-click unsubscribe links in emails (RFC 8058), which need no sign-in.

use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_auth::links::LinkError;
use tyndau_auth::seal::SubjectKey;
use tyndau_http::{Authenticated, PathParam, ValidJson};
use tyndau_ids::{BodyId, SignerKey};
use tyndau_read_model::delivery::{
    self, Choice, EmailState, Frequency, NewSettings, PERSONAL_KEY_PETITION, Subscription, UnsubscribeScope,
};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::authz;
use crate::error::ApiError;
use crate::state::AppState;

/// The interface languages a person can be written to in.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Kk,
    Ru,
    En,
}

impl Language {
    const fn code(self) -> &'static str {
        match self {
            Self::Kk => "kk",
            Self::Ru => "ru",
            Self::En => "en",
        }
    }
}

/// A person's notification settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSettings {
    /// The language emails are written in.
    pub language: String,
    pub frequency: Frequency,
    /// The address mail goes to; null when none was given.
    pub email: Option<String>,
    pub email_state: EmailState,
    /// Why the receiving server refused the address, when it did.
    pub email_problem: Option<String>,
}

/// What to store. Leaving `email` out (or null) removes the address; in-app notifications
/// always stay.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetNotificationSettings {
    pub language: Language,
    pub frequency: Frequency,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
}

/// Settings at sign-in: the sign-in's language and, when the identity provider vouches for it,
/// the address; kept only when the person has none yet.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultNotificationSettings {
    pub language: Language,
    #[validate(email, length(max = 254))]
    pub email: Option<String>,
}

fn no_store<T: IntoResponse>(body: T) -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "private, no-store")], body)
}

/// The caller's notification settings (citizen); the defaults when they saved none.
#[utoipa::path(get, path = "/me/notification-settings", operation_id = "own_notification_settings",
    tag = "notifications",
    responses((status = 200, body = NotificationSettings),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn settings(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    Ok(no_store(Json(view(&state, key).await?)))
}

/// Stores the caller's notification settings (citizen). The address is sealed under the
/// person's own key: erasing them shreds it.
#[utoipa::path(put, path = "/me/notification-settings", operation_id = "set_notification_settings",
    tag = "notifications",
    request_body = SetNotificationSettings,
    responses((status = 200, body = NotificationSettings),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn set_settings(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<SetNotificationSettings>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&key.to_hex())?;
    let new = NewSettings {
        language: body.language.code().to_owned(),
        frequency: body.frequency,
        email: seal_email(&state, key, body.email.as_deref()).await?,
    };
    delivery::save_settings(&state.pool, key, &new).await?;
    Ok(no_store(Json(view(&state, key).await?)))
}

/// Stores first settings at sign-in unless the caller has some (citizen); answers what is
/// stored either way.
#[utoipa::path(post, path = "/me/notification-settings/defaults", operation_id = "default_notification_settings",
    tag = "notifications",
    request_body = DefaultNotificationSettings,
    responses((status = 200, body = NotificationSettings),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn default_settings(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    ValidJson(body): ValidJson<DefaultNotificationSettings>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    if delivery::settings(&state.pool, key).await?.is_none() {
        let new = NewSettings {
            language: body.language.code().to_owned(),
            frequency: Frequency::Immediate,
            email: seal_email(&state, key, body.email.as_deref()).await?,
        };
        delivery::default_settings(&state.pool, key, &new).await?;
    }
    Ok(no_store(Json(view(&state, key).await?)))
}

async fn seal_email(
    state: &AppState,
    recipient: SignerKey,
    email: Option<&str>,
) -> Result<Option<tyndau_events::sealed::SealedText>, ApiError> {
    let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    let key = personal_key(state, recipient).await?;
    key.seal(&delivery::email_seal_subject(recipient), email)
        .map(Some)
        .map_err(|e| ApiError::Internal(Box::new(e)))
}

async fn personal_key(state: &AppState, recipient: SignerKey) -> Result<SubjectKey, ApiError> {
    let fresh = SubjectKey::generate().map_err(|e| ApiError::Internal(Box::new(e)))?;
    let key = tyndau_db::subject_keys::key_for(
        &state.pool,
        PERSONAL_KEY_PETITION,
        &recipient.to_hex(),
        fresh.as_bytes(),
    )
    .await?;
    SubjectKey::from_bytes(&key).map_err(|e| ApiError::Internal(Box::new(e)))
}

async fn view(state: &AppState, recipient: SignerKey) -> Result<NotificationSettings, ApiError> {
    let Some(stored) = delivery::settings(&state.pool, recipient).await? else {
        return Ok(NotificationSettings {
            language: "kk".to_owned(),
            frequency: Frequency::Immediate,
            email: None,
            email_state: EmailState::None,
            email_problem: None,
        });
    };
    let email = match &stored.email {
        Some(sealed) => {
            let key = personal_key(state, recipient).await?;
            key.open(&delivery::email_seal_subject(recipient), sealed)
        }
        None => None,
    };
    Ok(NotificationSettings {
        language: stored.language,
        frequency: stored.frequency,
        email_state: if email.is_some() {
            stored.email_state
        } else {
            EmailState::None
        },
        email,
        email_problem: stored.email_problem,
    })
}

/// What the caller hears about.
#[derive(Debug, Serialize, ToSchema)]
pub struct Subscriptions {
    pub items: Vec<Subscription>,
}

/// The caller's subscriptions, follows and stops (citizen).
#[utoipa::path(get, path = "/me/subscriptions", operation_id = "own_subscriptions", tag = "notifications",
    responses((status = 200, body = Subscriptions),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn subscriptions(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    let items = delivery::subscriptions(&state.pool, key).await?;
    Ok(no_store(Json(Subscriptions { items })))
}

/// Follow, stop, or go back to the default.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChooseSubscription {
    /// `follow`, `mute`, or null for the default (subscribed when signing, starting or
    /// commenting; otherwise not).
    pub choice: Option<Choice>,
}

/// Follow a petition, consultation or state body, or stop hearing about one of them or about
/// the answers to a comment (citizen).
#[utoipa::path(put, path = "/me/subscriptions/{kind}/{id}", operation_id = "choose_subscription",
    tag = "notifications",
    params(("kind" = String, Path, description = "`petition`, `consultation`, `body` or `comment`"),
        ("id" = String, Path)),
    request_body = ChooseSubscription,
    responses((status = 204),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
pub async fn choose(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    PathParam((kind, id)): PathParam<(String, String)>,
    ValidJson(body): ValidJson<ChooseSubscription>,
) -> Result<impl IntoResponse, ApiError> {
    let citizen = authz::citizen(&principal)?;
    let key = state.pseudonymizer.signer_key(&citizen.iin);
    state.limits.citizen(&key.to_hex())?;
    let subject = subject_of(&kind, &id)?;
    if body.choice == Some(Choice::Follow) && kind == "comment" {
        return Err(unknown_subject(
            "a comment is not followed: its author hears of its answers",
        ));
    }
    if !delivery::subject_exists(&state.pool, &subject).await? {
        return Err(ApiError::Rejected {
            status: StatusCode::NOT_FOUND,
            code: "unknown_subject",
            detail: format!("there is no public {kind} with this id"),
        });
    }
    delivery::choose(&state.pool, key, &subject, body.choice).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn subject_of(kind: &str, id: &str) -> Result<String, ApiError> {
    match kind {
        "petition" | "consultation" | "comment" => Uuid::parse_str(id)
            .map(|id| format!("{kind}:{id}"))
            .map_err(|_| unknown_subject("the id is not a UUID")),
        "body" => id
            .parse::<BodyId>()
            .map(|body| format!("body:{body}"))
            .map_err(|_| unknown_subject("no state body has this id")),
        _ => Err(unknown_subject(
            "kind must be petition, consultation, body or comment",
        )),
    }
}

fn unknown_subject(detail: &str) -> ApiError {
    ApiError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_subject",
        detail: detail.to_owned(),
    }
}

/// A one-click unsubscribe link's token.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    #[validate(length(min = 1, max = 2048))]
    pub token: String,
}

/// What a link stopped.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    /// The subscription stopped (`petition:<id>`, …), or `*`: all email.
    pub scope: String,
}

/// Uses a one-click unsubscribe link from an email (RFC 8058): no sign-in, the signed link is
/// the authority. A link works once; a forged, altered or expired one is refused.
#[utoipa::path(post, path = "/unsubscribe", tag = "notifications",
    request_body = Unsubscribe,
    responses((status = 200, body = Unsubscribed),
        (status = "4XX", body = tyndau_http::Problem, content_type = "application/problem+json")))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    ValidJson(body): ValidJson<Unsubscribe>,
) -> Result<impl IntoResponse, ApiError> {
    let claims = state
        .links
        .verify(&body.token, OffsetDateTime::now_utc())
        .map_err(|error| match error {
            LinkError::Invalid => ApiError::Rejected {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid_link",
                detail: "this link was not issued by us or was altered".to_owned(),
            },
            LinkError::Expired => ApiError::Rejected {
                status: StatusCode::GONE,
                code: "link_expired",
                detail: "this link has expired; change your settings on your page".to_owned(),
            },
        })?;
    let recipient: SignerKey = claims.sub.parse().map_err(|_| ApiError::Rejected {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_link",
        detail: "this link was not issued by us or was altered".to_owned(),
    })?;
    let scope = if claims.scope == "*" {
        UnsubscribeScope::AllEmail
    } else {
        UnsubscribeScope::Subject(claims.scope.clone())
    };
    if !delivery::unsubscribe(&state.pool, &claims.jti, recipient, &scope).await? {
        return Err(ApiError::Rejected {
            status: StatusCode::CONFLICT,
            code: "link_used",
            detail: "this link was already used".to_owned(),
        });
    }
    Ok(no_store(Json(Unsubscribed { scope: claims.scope })))
}
