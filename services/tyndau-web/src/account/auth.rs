//! `/auth/login`, `/auth/callback`, `/auth/logout`: signing in and out.
//!
//! - Login stores `state`, `nonce`, the PKCE verifier and the return path in the (new)
//!   session, then sends the browser to the provider. The return path is one of this site's
//!   pages or nothing (no open redirect).
//! - The callback accepts only the `state` this browser's session expects, once, within ten
//!   minutes; it then replaces the session id (no fixation) and stores who signed in.
//! - Logout is a form (anti-forgery token): the session is deleted here first, then the
//!   browser goes to the provider's end-session endpoint (RP-initiated logout).

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;

use super::session::{self, Flash, PendingSignIn, SignedIn, State as SessionState};
use super::{Visitor, csrf};
use crate::i18n::Lang;
use crate::routes::{App, lang_of};
use crate::views::MessagePage;

/// The longest return path kept; anything longer goes home.
const MAX_RETURN_PATH: usize = 2_000;

/// A path of this site's pages to come back to, or `None` (then the home page): it must be a
/// local path under a language prefix — never another host (`//evil`, `/\evil`), never a
/// scheme, never control characters.
pub(crate) fn safe_return_path(candidate: &str) -> Option<String> {
    let ok = candidate.len() <= MAX_RETURN_PATH
        && candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control)
        && !candidate.contains("/auth/");
    if !ok {
        return None;
    }
    let first = candidate[1..].split(['/', '?', '#']).next().unwrap_or_default();
    Lang::from_code(first).map(|_| candidate.to_owned())
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LoginQuery {
    return_to: Option<String>,
    lang: Option<String>,
}

/// `GET /auth/login`: off to the identity provider.
pub(crate) async fn login(
    State(app): State<App>,
    visitor: Visitor,
    query: Result<Query<LoginQuery>, QueryRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = crate::routes::query(query);
    let return_to = query.return_to.as_deref().and_then(safe_return_path);
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .or_else(|| {
            return_to
                .as_deref()
                .map(|p| lang_of(&p.parse().unwrap_or_default(), &headers))
        })
        .unwrap_or_else(|| lang_of(&uri, &headers));
    let (Some(accounts), Some(session)) = (&app.accounts, visitor.session) else {
        return unavailable(&app, lang);
    };
    let authorization = match accounts.oidc.authorize(lang.code()) {
        Ok(authorization) => authorization,
        Err(error) => {
            tyndau_telemetry::log_error_chain("sign-in cannot start", &error);
            return unavailable(&app, lang);
        }
    };
    let mut state = session::load(&session).await;
    state.pending = Some(PendingSignIn {
        state: authorization.state,
        nonce: authorization.nonce,
        pkce_verifier: authorization.pkce_verifier,
        return_to: return_to.unwrap_or_else(|| format!("/{}/", lang.code())),
        started_at: session::now(),
    });
    if let Err(error) = session::store(&session, &state).await {
        tyndau_telemetry::log_error_chain("session could not be saved", &error);
        return unavailable(&app, lang);
    }
    Redirect::to(&authorization.url).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/callback`: the provider sends the browser back with a code (or an error).
pub(crate) async fn callback(
    State(app): State<App>,
    visitor: Visitor,
    query: Result<Query<CallbackQuery>, QueryRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let fallback_lang = lang_of(&uri, &headers);
    let (Some(accounts), Some(session)) = (&app.accounts, visitor.session) else {
        return unavailable(&app, fallback_lang);
    };
    let query = crate::routes::query(query);
    let mut state = session::load(&session).await;
    // One use only: whatever happens next, this sign-in attempt is spent.
    let pending = state.pending.take();
    let Some(pending) = pending.filter(|p| {
        query.state.as_deref() == Some(p.state.as_str())
            && session::now() - p.started_at <= session::SIGN_IN_WINDOW_S
    }) else {
        if let Err(error) = session::store(&session, &state).await {
            tyndau_telemetry::log_error_chain("session could not be saved", &error);
        }
        return failed(&app, fallback_lang, StatusCode::BAD_REQUEST);
    };
    let lang = lang_of(&pending.return_to.parse().unwrap_or_default(), &headers);
    let code = match (query.code, query.error) {
        (Some(code), None) => code,
        _ => {
            // Cancelled at the provider (or refused there): back where they were.
            state.flash = Some(Flash::SignInCancelled);
            if let Err(error) = session::store(&session, &state).await {
                tyndau_telemetry::log_error_chain("session could not be saved", &error);
            }
            return Redirect::to(&pending.return_to).into_response();
        }
    };
    let tokens = match accounts
        .oidc
        .finish(code, &pending.nonce, pending.pkce_verifier.clone())
        .await
    {
        Ok(tokens) => tokens,
        Err(error) => {
            tyndau_telemetry::log_error_chain("sign-in refused", &error);
            if let Err(error) = session::store(&session, &state).await {
                tyndau_telemetry::log_error_chain("session could not be saved", &error);
            }
            return failed(&app, lang, StatusCode::BAD_REQUEST);
        }
    };
    // A new id for the signed-in session: an id planted before sign-in is worthless after it.
    if let Err(error) = session.cycle_id().await {
        tyndau_telemetry::log_error_chain("session id could not be replaced", &error);
        return unavailable(&app, lang);
    }
    let principal = tokens.principal.clone();
    if matches!(principal, tyndau_auth::Principal::Citizen(_)) {
        first_notification_settings(accounts, &tokens, lang, visitor.client).await;
    }
    let user = SignedIn::new(&principal, tokens, session::random_token(), session::now());
    // Staff who signed in from a home page land on their desk, the page they came for.
    let home = format!("/{}/", lang.code());
    let return_to = if crate::office::is_staff(&user) && pending.return_to == home {
        format!("/{}/office", lang.code())
    } else {
        pending.return_to.clone()
    };
    let state = SessionState {
        pending: None,
        user: Some(user),
        flash: Some(Flash::SignedIn),
    };
    if let Err(error) = session::store(&session, &state).await {
        tyndau_telemetry::log_error_chain("session could not be saved", &error);
        return unavailable(&app, lang);
    }
    tracing::info!(role = principal.role_name(), "signed in");
    Redirect::to(&return_to).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogoutForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

/// `POST /auth/logout`: ends the session here, then at the provider.
pub(crate) async fn logout(
    State(app): State<App>,
    visitor: Visitor,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let lang = Lang::from_code(&form.lang).unwrap_or_else(|| lang_of(&uri, &headers));
    let (Some(accounts), Some(session)) = (&app.accounts, &visitor.session) else {
        return Redirect::to(&format!("/{}/", lang.code())).into_response();
    };
    let Some(user) = &visitor.user else {
        // Already signed out (the session ended): nothing to end.
        return Redirect::to(&format!("/{}/", lang.code())).into_response();
    };
    if let Err(refusal) = csrf::check(&headers, &accounts.origin, &user.csrf, &form.csrf) {
        return super::forms::forbidden(&app, lang, refusal);
    }
    if let Err(error) = session.flush().await {
        tyndau_telemetry::log_error_chain("session could not be deleted", &error);
    }
    match accounts.oidc.logout_url(user.id_token.as_deref(), lang.code()) {
        Some(url) => Redirect::to(&url).into_response(),
        None => Redirect::to(&format!("/{}/", lang.code())).into_response(),
    }
}

/// A citizen's first notification settings: the language they signed in with and the address
/// the provider vouches for. The command API keeps whatever they chose before; a failure here
/// only means they set it themselves on My page.
async fn first_notification_settings(
    accounts: &super::Accounts,
    tokens: &super::oidc::Tokens,
    lang: Lang,
    client: Option<std::net::IpAddr>,
) {
    let body = serde_json::json!({ "language": lang.code(), "email": tokens.verified_email });
    let stored: Result<serde_json::Value, _> = accounts
        .commands
        .call(
            http::Method::POST,
            "/me/notification-settings/defaults",
            &tokens.access_token,
            client,
            Some(&body),
        )
        .await;
    if let Err(error) = stored {
        tyndau_telemetry::log_error_chain("first notification settings were not stored", &error);
    }
}

fn unavailable(app: &App, lang: Lang) -> Response {
    let t = lang.t();
    MessagePage::render(
        app,
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        t.sign_in_unavailable_title,
        t.sign_in_unavailable_text,
    )
}

fn failed(app: &App, lang: Lang, status: StatusCode) -> Response {
    let t = lang.t();
    MessagePage::render(app, lang, status, t.sign_in_failed_title, t.sign_in_failed_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_pages_are_return_paths() {
        for good in [
            "/kk/",
            "/ru/petitions/abc/sign",
            "/en/consultations/x?path=a1#c",
            "/kk",
        ] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example/kk/",
            "/\\evil.example",
            "/%2F%2Fevil.example",
            "evil",
            "",
            "/de/",
            "/kk/\u{0}x",
            "/kk/\nLocation: x",
            "javascript:alert(1)",
            "/auth/logout",
            "/kk/../auth/callback",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/kk/{}", "a".repeat(3_000))), None);
    }
}
