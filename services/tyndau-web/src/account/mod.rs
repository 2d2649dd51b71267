//! People acting in the browser: sign-in through the identity provider, server-side sessions,
//! and the forms through which a citizen signs, withdraws, starts a petition, comments on a
//! draft and manages their own data.
//!
//! The web front still decides nothing: every action is a call to the command API with the
//! signed-in person's token ([`commands`]), and its refusals come back as translated messages
//! on the page, with what the person typed kept. Every action is an HTML form that posts and
//! redirects (POST/redirect/GET); script only enhances.
//!
//! - [`oidc`]: the relying party (code flow with PKCE, state, nonce; RP-initiated logout);
//! - [`session`]: what a session holds, its timeouts;
//! - [`csrf`]: the synchronizer token and the same-origin check on every form;
//! - [`commands`]: the command API client;
//! - [`auth`]: `/auth/login`, `/auth/callback`, `/auth/logout`;
//! - [`forms`]: the shared form machinery (errors, return paths);
//! - [`petitions`], [`new_petition`], [`comments`], [`me`]: the pages.

pub(crate) mod auth;
pub mod commands;
pub(crate) mod comments;
pub(crate) mod csrf;
pub(crate) mod forms;
pub(crate) mod me;
pub(crate) mod new_petition;
pub(crate) mod notify;
pub mod oidc;
pub(crate) mod petitions;
pub mod session;

use std::net::IpAddr;
use std::sync::Arc;

use tyndau_db::sqlx;

use axum::extract::FromRequestParts;
use http::request::Parts;
use tower_sessions::Session;

pub use commands::CommandApiSettings;
pub use oidc::{Oidc, OidcSettings};
pub use session::SessionSettings;

use crate::routes::App;
use session::{Flash, SignedIn, State};

/// Everything the signed-in side needs, shared by the handlers.
pub struct Accounts {
    pub(crate) oidc: Arc<Oidc>,
    pub(crate) commands: commands::Commands,
    pub(crate) sessions: SessionSettings,
    /// This site's origin (`http://host:port`): forms must come from it.
    pub(crate) origin: String,
    /// The policy's terms per addressee, for the petition form.
    pub(crate) terms: crate::cache::Ttl<Vec<new_petition::Terms>>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Accounts")
            .field("oidc", &self.oidc)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Accounts {
    pub fn new(
        oidc: Arc<Oidc>,
        command_api: &CommandApiSettings,
        sessions: SessionSettings,
        origin: &str,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            oidc,
            commands: commands::Commands::new(command_api)?,
            sessions,
            origin: origin.trim_end_matches('/').to_owned(),
            terms: crate::cache::Ttl::new(std::time::Duration::from_secs(60)),
        })
    }

    pub fn oidc(&self) -> &Arc<Oidc> {
        &self.oidc
    }
}

/// The session middleware: sessions in PostgreSQL, the cookie as the settings say (`__Host-`,
/// `Secure`, `HttpOnly`, `SameSite=Lax`, path `/`); the record expires after the idle period.
pub(crate) fn session_layer(
    pool: &sqlx::PgPool,
    settings: &SessionSettings,
) -> tower_sessions::SessionManagerLayer<tower_sessions_sqlx_store::PostgresStore> {
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool.clone());
    tower_sessions::SessionManagerLayer::new(store)
        .with_name(settings.cookie_name.clone())
        .with_secure(settings.secure_cookie)
        .with_http_only(true)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_path("/")
        .with_expiry(tower_sessions::Expiry::OnInactivity(time::Duration::minutes(
            settings.idle_minutes,
        )))
}

/// Deletes expired session records every `period` until `shutdown`.
pub fn spawn_session_sweeper(
    pool: sqlx::PgPool,
    period: std::time::Duration,
    shutdown: tokio_util::sync::CancellationToken,
) -> tokio::task::JoinHandle<()> {
    use tower_sessions::ExpiredDeletion;
    let store = tower_sessions_sqlx_store::PostgresStore::new(pool);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(period) => {}
            }
            if let Err(error) = store.delete_expired().await {
                tyndau_telemetry::log_error_chain("expired sessions could not be deleted", &error);
            }
        }
    })
}

/// The one-time message in the page's language.
pub(crate) fn flash_text(lang: crate::i18n::Lang, flash: &Flash) -> String {
    let t = lang.t();
    match flash {
        Flash::Signed { .. } => t.flash_signed.to_owned(),
        Flash::Withdrawn { .. } => t.flash_withdrawn.to_owned(),
        Flash::PetitionSubmitted { .. } => t.flash_petition_submitted.to_owned(),
        Flash::CommentPosted => t.flash_comment_posted.to_owned(),
        Flash::ReplyPosted => t.flash_reply_posted.to_owned(),
        Flash::CommentEdited => t.flash_comment_edited.to_owned(),
        Flash::StanceTaken => t.flash_stance_taken.to_owned(),
        Flash::Flagged => t.flash_flagged.to_owned(),
        Flash::Erased { keys } => crate::i18n::fmt(
            lang,
            "flash-erased",
            &[(
                "count",
                crate::i18n::FluentValue::from(i64::try_from(*keys).unwrap_or(i64::MAX)),
            )],
        ),
        Flash::SignedIn => t.flash_signed_in.to_owned(),
        Flash::SessionEnded => t.flash_session_ended.to_owned(),
        Flash::SignInCancelled => t.flash_sign_in_cancelled.to_owned(),
        Flash::NotificationsRead => t.flash_notifications_read.to_owned(),
        Flash::Office { message } => crate::i18n::fmt(lang, message, &[]),
        Flash::WebhookAdded { secret } => crate::i18n::fmt(
            lang,
            "webhook-added",
            &[("secret", crate::i18n::FluentValue::from(secret.as_str()))],
        ),
    }
}

/// Who is looking at a page: signed out, or signed in (and as whom), with the session that
/// says so and the one-time message waiting for them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Visitor {
    pub session: Option<Session>,
    pub user: Option<SignedIn>,
    pub flash: Option<Flash>,
    /// The browser's address as this service sees it (for the command API's limits and audit).
    pub client: Option<IpAddr>,
    /// Whether sign-in is offered at all (an identity provider is configured).
    pub accounts: bool,
}

impl Visitor {
    pub(crate) fn citizen(&self) -> Option<&SignedIn> {
        self.user.as_ref().filter(|u| u.is_citizen())
    }
}

impl FromRequestParts<App> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let client = tyndau_http::ClientOrigin::of(parts).addr;
        let Some(accounts) = &app.accounts else {
            return Ok(Visitor {
                client,
                ..Visitor::default()
            });
        };
        let Some(session) = parts.extensions.get::<Session>().cloned() else {
            return Ok(Visitor {
                client,
                accounts: true,
                ..Visitor::default()
            });
        };
        let mut state = session::load(&session).await;
        let now = session::now();
        let mut changed = false;
        if let Some(user) = state.user.as_mut() {
            if session::expired(user, &accounts.sessions, now) {
                state.user = None;
                state.flash = Some(Flash::SessionEnded);
                changed = true;
            } else if session::due_for_touch(user, now) {
                user.last_seen = now;
                changed = true;
            }
        }
        let flash = state.flash.take();
        changed |= flash.is_some();
        if changed && let Err(error) = session::store(&session, &state).await {
            tyndau_telemetry::log_error_chain("session could not be saved", &error);
        }
        Ok(Visitor {
            session: Some(session),
            user: state.user,
            flash,
            client,
            accounts: true,
        })
    }
}

/// Why an action could not be carried out for this visitor.
#[derive(Debug)]
pub(crate) enum NotSignedIn {
    /// Nobody is signed in (or the session ended): sign in, then come back.
    SignIn,
    /// Signed in, but not as someone who may do this (e.g. staff signing a petition).
    WrongRole,
}

/// A valid access token for the signed-in person, refreshed when it is about to expire. A
/// failed refresh ends the session (the person signs in again).
pub(crate) async fn access_token(app: &App, visitor: &Visitor) -> Result<String, NotSignedIn> {
    let (Some(accounts), Some(session), Some(user)) = (&app.accounts, &visitor.session, &visitor.user) else {
        return Err(NotSignedIn::SignIn);
    };
    let now = session::now();
    if user.access_expires_at - now > 30 {
        return Ok(user.access_token.clone());
    }
    let mut state: State = session::load(session).await;
    let Some(current) = state.user.as_mut() else {
        return Err(NotSignedIn::SignIn);
    };
    let refreshed = match current.refresh_token.as_deref() {
        Some(refresh) => accounts.oidc.refresh(refresh).await,
        None => Err(oidc::SignInError::NoIdToken),
    };
    match refreshed {
        Ok(tokens) if tokens.principal.subject() == current.subject => {
            current.access_token = tokens.access_token;
            current.access_expires_at = tokens.access_expires_at;
            if tokens.refresh_token.is_some() {
                current.refresh_token = tokens.refresh_token;
            }
            if tokens.id_token.is_some() {
                current.id_token = tokens.id_token;
            }
            let token = current.access_token.clone();
            if let Err(error) = session::store(session, &state).await {
                tyndau_telemetry::log_error_chain("session could not be saved", &error);
            }
            Ok(token)
        }
        outcome => {
            if let Err(error) = outcome {
                tyndau_telemetry::log_error_chain("token refresh failed; the session ends", &error);
            }
            state.user = None;
            state.flash = Some(Flash::SessionEnded);
            if let Err(error) = session::store(session, &state).await {
                tyndau_telemetry::log_error_chain("session could not be saved", &error);
            }
            Err(NotSignedIn::SignIn)
        }
    }
}

/// Leaves a one-time message for the next page of this session.
pub(crate) async fn flash(visitor: &Visitor, flash: Flash) {
    let Some(session) = &visitor.session else {
        return;
    };
    let mut state = session::load(session).await;
    state.flash = Some(flash);
    if let Err(error) = session::store(session, &state).await {
        tyndau_telemetry::log_error_chain("session could not be saved", &error);
    }
}
