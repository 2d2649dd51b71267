//! Routing, the HTML response helpers and the one place where failures become pages.
//!
//! Every page lives under its language prefix (`/kk/…`, `/ru/…`, `/en/…`); `/` picks one by
//! `Accept-Language`. An unknown path gets a localised HTML 404 page rather than the shared
//! middleware's problem+json.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use sqlx::PgPool;
use tower_http::set_header::SetResponseHeaderLayer;
use tyndau_db::sqlx;
use tyndau_ids::PetitionId;
use tyndau_read_model::ReadError;

use crate::cache::Caches;
use crate::i18n::Lang;
use crate::live::{LiveHub, Snapshot};
use crate::views::{Chrome, ErrorPage};
use crate::{SiteSettings, assets, pages};

/// The policy of every response of this service: own scripts and styles only, no inline code,
/// no framing, forms only to this origin.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy, with the identity provider's origin allowed as a form target: signing out posts
/// here, and the answer redirects to the provider's end-session endpoint, which `form-action`
/// also governs.
fn content_security_policy(app: &App) -> HeaderValue {
    let policy = match app.accounts.as_ref().and_then(|a| a.oidc.issuer_origin()) {
        Some(origin) => CSP.replace("form-action 'self'", &format!("form-action 'self' {origin}")),
        None => CSP.to_owned(),
    };
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(CSP))
}
/// Pages may be cached for a second by a shared cache in front: counts stay seconds fresh, and
/// the live counter takes over in the browser.
const PAGE_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=1, stale-while-revalidate=5");

#[derive(Clone)]
pub(crate) struct App {
    pub(crate) pool: PgPool,
    pub(crate) hub: LiveHub,
    pub(crate) site: Arc<SiteSettings>,
    pub(crate) caches: Arc<Caches>,
    /// Sign-in and the forms that act; `None`: a read-only site.
    pub(crate) accounts: Option<Arc<crate::account::Accounts>>,
}

pub(crate) fn router(app: App) -> Router {
    use crate::account::{auth, comments, me, new_petition, notify, petitions};
    use crate::office;
    let pages = Router::new()
        .route("/", get(root))
        .route("/{lang}", get(language_root))
        .route("/{lang}/", get(pages::home))
        .route(
            "/{lang}/petitions/new",
            get(new_petition::start).post(new_petition::step),
        )
        .route("/{lang}/petitions/{id}", get(pages::petition))
        .route(
            "/{lang}/petitions/{id}/sign",
            get(petitions::sign_form).post(petitions::sign),
        )
        .route(
            "/{lang}/petitions/{id}/withdraw",
            get(petitions::withdraw_form).post(petitions::withdraw),
        )
        .route("/{lang}/petitions/{id}/sent", get(new_petition::sent))
        .route("/{lang}/consultations/{id}", get(pages::consultation))
        .route(
            "/{lang}/consultations/{id}/comment",
            get(comments::comment_form).post(comments::comment),
        )
        .route(
            "/{lang}/consultations/{id}/comments/{comment}/stance",
            axum::routing::post(comments::stance),
        )
        .route(
            "/{lang}/consultations/{id}/comments/{comment}/flag",
            get(comments::comment_action_form).post(comments::flag),
        )
        .route(
            "/{lang}/consultations/{id}/comments/{comment}/{action}",
            get(comments::comment_action_form).post(comments::comment_action),
        )
        .route("/{lang}/bodies", get(pages::bodies))
        .route("/{lang}/bodies/{body}", get(pages::body))
        .route("/{lang}/statistics", get(pages::statistics))
        .route("/{lang}/verify", get(crate::verify::page))
        .route("/{lang}/me", get(me::page))
        .route(
            "/{lang}/me/notifications/settings",
            get(notify::settings_page).post(notify::save_settings),
        )
        .route("/{lang}/me/subscriptions", axum::routing::post(notify::choose))
        .route("/{lang}/me/webhooks", axum::routing::post(notify::add_webhook))
        .route(
            "/{lang}/me/webhooks/{id}/{action}",
            axum::routing::post(notify::webhook_action),
        )
        .route(
            "/{lang}/unsubscribe",
            get(notify::unsubscribe_form).post(notify::unsubscribe),
        )
        .route("/{lang}/me/erase", get(me::erase_form).post(me::erase))
        .route(
            "/{lang}/me/notifications/read",
            axum::routing::post(me::mark_read),
        )
        .route("/{lang}/petitions/{id}/feed.atom", get(crate::feeds::petition))
        .route(
            "/{lang}/consultations/{id}/feed.atom",
            get(crate::feeds::consultation),
        )
        .route("/{lang}/bodies/{body}/feed.atom", get(crate::feeds::body))
        .route("/{lang}/feeds/petitions.atom", get(crate::feeds::new_petitions))
        .route("/{lang}/feeds/answers.atom", get(crate::feeds::answers))
        .route("/{lang}/office", get(office::desk::page))
        .route(
            "/{lang}/office/petitions/{id}",
            get(office::petitions::answer_form).post(office::petitions::answer),
        )
        .route(
            "/{lang}/office/consultations/new",
            get(office::consultations::new_form).post(office::consultations::create),
        )
        .route(
            "/{lang}/office/consultations/{id}",
            get(office::consultations::manage).post(office::consultations::manage_action),
        )
        .route(
            "/{lang}/office/consultations/{id}/versions/new",
            get(office::consultations::version_form).post(office::consultations::publish_version),
        )
        .route(
            "/{lang}/office/consultations/{id}/proposals",
            get(office::proposals::queue),
        )
        .route(
            "/{lang}/office/consultations/{id}/proposals/duplicates",
            axum::routing::post(office::proposals::duplicates),
        )
        .route(
            "/{lang}/office/consultations/{id}/proposals/{comment}",
            get(office::proposals::answer_form).post(office::proposals::answer),
        )
        .route("/{lang}/office/moderation", get(office::moderation::queues))
        .route(
            "/{lang}/office/moderation/petitions/{id}",
            get(office::moderation::petition_form).post(office::moderation::moderate_petition),
        )
        .route(
            "/{lang}/office/moderation/petitions/{id}/invalidation",
            get(office::moderation::invalidation_form).post(office::moderation::invalidate),
        )
        .route(
            "/{lang}/office/moderation/comments/{consultation}/{comment}",
            get(office::moderation::comment_form).post(office::moderation::moderate_comment),
        )
        .route("/{lang}/office/audit", get(office::audit::page))
        .route("/auth/login", get(auth::login))
        .route("/auth/callback", get(auth::callback))
        .route("/auth/logout", axum::routing::post(auth::logout))
        .fallback(unknown_path)
        .layer(axum::middleware::from_fn_with_state(app.clone(), error_pages))
        .layer(axum::middleware::from_fn_with_state(app.clone(), personal_pages));
    let pages = match &app.accounts {
        Some(accounts) => pages.layer(crate::account::session_layer(&app.pool, &accounts.sessions)),
        None => pages,
    };
    // Static files and live counts need no session: no cookie is read or set for them.
    let csp = content_security_policy(&app);
    let pages = Router::new()
        .route("/static/site.css", get(assets::css))
        .route("/static/live.js", get(assets::js))
        .route("/static/forms.js", get(assets::forms_js))
        .route("/{lang}/petitions/{id}/live", get(live))
        .merge(pages)
        .with_state(app)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        // Other sites learn nothing of where their visitors came from, but this site's own
        // forms carry their origin: under `no-referrer` a browser sends `Origin: null` with
        // every form post, and the anti-forgery origin check could not tell our forms apart
        // from a sandboxed attacker's.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ));
    // Mounted behind a catch-all so that unknown paths reach the fallback above instead of the
    // shared middleware's problem+json one. (A catch-all route beside `/{lang}/…` would
    // conflict, and `route_service` refuses a `Router`, hence the plain service.) The
    // catch-all's own `rest` parameter is why handlers read parameters by name.
    let pages = pages.into_service::<axum::body::Body>();
    Router::new()
        .route_service("/", pages.clone())
        .route_service("/{*rest}", pages)
}

/// A page shown to a signed-in browser is about that person: never kept by a shared cache, and
/// a cache in front keeps anonymous and signed-in pages apart (`Vary: Cookie`).
async fn personal_pages(State(app): State<App>, request: Request, next: Next) -> Response {
    let cookie = app
        .accounts
        .as_ref()
        .map(|a| format!("{}=", a.sessions.cookie_name));
    let signed_in = cookie.is_some_and(|cookie| {
        request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains(&cookie))
    });
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("cookie"));
    if signed_in {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// `/`: the best of our languages for the browser, Kazakh when undecided.
async fn root(headers: HeaderMap) -> Response {
    let lang = Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let mut response = Redirect::to(&format!("/{}/", lang.code())).into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    response
}

async fn language_root(path: Params, uri: Uri, headers: HeaderMap) -> Response {
    match params(path, [], &uri, &headers) {
        Ok((lang, [])) => Redirect::permanent(&format!("/{}/", lang.code())).into_response(),
        Err(failure) => failure.into_response(),
    }
}

async fn unknown_path(uri: Uri, headers: HeaderMap) -> Response {
    Failure::NotFound(lang_of(&uri, &headers)).into_response()
}

/// The language of a page that could not be served: its prefix if it has one of ours, else
/// the browser's preference.
pub(crate) fn lang_of(uri: &Uri, headers: &HeaderMap) -> Lang {
    uri.path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| {
            Lang::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
        })
}

/// The path after the language prefix, with the query: what the language switch keeps.
pub(crate) fn rest_of(uri: &Uri) -> String {
    let path = uri.path().trim_start_matches('/');
    let rest = path.split_once('/').map_or("", |(_, rest)| rest);
    match uri.query() {
        Some(query) => format!("/{rest}?{query}"),
        None => format!("/{rest}"),
    }
}

/// Path parameters by name.
pub(crate) type Params = Result<Path<HashMap<String, String>>, PathRejection>;

/// The page's language and its other named path parameters, or the 404 page when they cannot
/// be read (never axum's plain text).
pub(crate) fn params<const N: usize>(
    path: Params,
    names: [&str; N],
    uri: &Uri,
    headers: &HeaderMap,
) -> Result<(Lang, [String; N]), Failure> {
    let not_found = || Failure::NotFound(lang_of(uri, headers));
    let Path(map) = path.map_err(|_| not_found())?;
    let lang = map
        .get("lang")
        .and_then(|code| Lang::from_code(code))
        .ok_or_else(not_found)?;
    let mut values: [String; N] = std::array::from_fn(|_| String::new());
    for (value, name) in values.iter_mut().zip(names) {
        *value = map.get(name).cloned().ok_or(Failure::NotFound(lang))?;
    }
    Ok((lang, values))
}

/// Query parameters; unreadable ones are treated as absent.
pub(crate) fn query<T: Default>(query: Result<Query<T>, QueryRejection>) -> T {
    query.map(|Query(value)| value).unwrap_or_default()
}

/// A rendered page with its status; a template that fails to render (it cannot, short of a
/// formatter error) becomes a bare 500.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut response = (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                body,
            )
                .into_response();
            if status == StatusCode::OK {
                response.headers_mut().insert(header::CACHE_CONTROL, PAGE_CACHE);
            }
            response
        }
        Err(error) => {
            tyndau_telemetry::log_error_chain("rendering a page failed", &error);
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Why a page could not be shown. Rendered as a localised HTML page; database failures are
/// logged here with their cause chain and shown as an opaque error.
#[derive(Debug)]
pub(crate) enum Failure {
    NotFound(Lang),
    Read(Lang, ReadError),
}

impl Failure {
    pub(crate) fn read(lang: Lang) -> impl FnOnce(ReadError) -> Failure {
        move |error| match error {
            // A cursor we did not issue names no page.
            ReadError::InvalidCursor => Failure::NotFound(lang),
            other => Failure::Read(lang, other),
        }
    }
}

/// A failure on its way to becoming a page: [`error_pages`] renders it, knowing the request's
/// path (the error page's language switch keeps it, like every page's).
#[derive(Clone, Copy, Debug)]
struct ErrorPageSpec {
    lang: Lang,
    heading: &'static str,
    message: &'static str,
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (lang, status, heading, message) = match &self {
            Failure::NotFound(lang) => {
                let t = lang.t();
                (*lang, StatusCode::NOT_FOUND, t.not_found_title, t.not_found_text)
            }
            Failure::Read(lang, error) => {
                let t = lang.t();
                if error.is_transient() {
                    tyndau_telemetry::log_error_chain("read model unavailable", error);
                    (
                        *lang,
                        StatusCode::SERVICE_UNAVAILABLE,
                        t.error_title,
                        t.unavailable_text,
                    )
                } else {
                    tyndau_telemetry::log_error_chain("read model query failed", error);
                    (
                        *lang,
                        StatusCode::INTERNAL_SERVER_ERROR,
                        t.error_title,
                        t.error_text,
                    )
                }
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPageSpec {
            lang,
            heading,
            message,
        });
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Renders the error pages of [`Failure`]s with the request's path at hand.
async fn error_pages(State(app): State<App>, request: Request, next: Next) -> Response {
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let Some(spec) = response.extensions().get::<ErrorPageSpec>().copied() else {
        return response;
    };
    let page = ErrorPage {
        chrome: Chrome::new(
            spec.lang,
            spec.heading.to_owned(),
            "",
            &rest_of(&uri),
            &app.site.query_api_url,
        ),
        heading: spec.heading,
        message: spec.message,
    };
    let (parts, _) = response.into_parts();
    let mut rendered = html(parts.status, &page);
    if let Some(retry) = parts.headers.get(header::RETRY_AFTER) {
        rendered.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    rendered
}

/// `GET /{lang}/petitions/{id}/live`: the petition's count as Server-Sent Events.
async fn live(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let count = tyndau_read_model::petition_count(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))?;
    let receiver = app.hub.subscribe(id, Snapshot::from(&count));
    let mut response = crate::live::stream(lang, receiver).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Reverse proxies must pass events through as they come, not buffer them.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_keeps_the_path_and_query() {
        let uri: Uri = "/kk/consultations/abc?version=2&scope=all"
            .parse()
            .unwrap_or_default();
        assert_eq!(rest_of(&uri), "/consultations/abc?version=2&scope=all");
        let uri: Uri = "/ru/".parse().unwrap_or_default();
        assert_eq!(rest_of(&uri), "/");
        let uri: Uri = "/en".parse().unwrap_or_default();
        assert_eq!(rest_of(&uri), "/");
    }
}
