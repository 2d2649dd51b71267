//! How a citizen is told: their notification settings (email address, language, how often),
//! what they hear about (stop, resume, unfollow), "Follow" on petitions, consultations and
//! state bodies, and the page behind an email's one-click unsubscribe link (RFC 8058), which
//! works without signing in: the signed link is the authority, checked by the command API.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Visitor;
use super::commands::CommandError;
use super::forms::{self, Context, Errors};
use super::petitions::{Outcome, command, guard, private, refused_status};
use super::session::Flash;
use crate::i18n::{self, Lang};
use crate::office::Tr;
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

#[derive(Debug, Default, Deserialize)]
struct Settings {
    language: String,
    frequency: String,
    email: Option<String>,
    email_state: String,
    email_problem: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Webhooks {
    items: Vec<Webhook>,
}

#[derive(Debug, Deserialize)]
struct Webhook {
    endpoint_id: String,
    url: String,
    topics: Vec<String>,
    state: String,
    disabled_reason: Option<String>,
    deliveries: Vec<WebhookDelivery>,
}

#[derive(Debug, Deserialize)]
struct WebhookDelivery {
    status: String,
}

/// One endpoint as its owner sees it.
pub(crate) struct WebhookRow {
    pub url: String,
    pub topics: String,
    pub state: String,
    pub log: String,
    pub enable_action: Option<String>,
    pub delete_action: String,
}

#[derive(Debug, Deserialize)]
struct Subscriptions {
    items: Vec<Subscription>,
}

#[derive(Debug, Deserialize)]
struct Subscription {
    subject: String,
    reason: Option<String>,
    choice: Option<String>,
    active: bool,
}

/// One line of "what you hear about".
pub(crate) struct SubscriptionRow {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    pub why: &'static str,
    pub subject: String,
    pub stopped: bool,
    /// The button: (choice to post, its label).
    pub action: (&'static str, &'static str),
}

#[derive(Template)]
#[template(path = "account/notify.html")]
pub(crate) struct NotifyPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub action: String,
    pub choose_action: String,
    pub back_href: String,
    pub csrf: String,
    pub email: String,
    pub language: String,
    pub frequency: String,
    pub bounced: Option<String>,
    pub rows: Vec<SubscriptionRow>,
    pub webhooks: Vec<WebhookRow>,
    pub webhook_action: String,
    pub webhook_url: String,
    pub webhook_topics: String,
}

impl NotifyPage {
    pub(crate) fn frequencies(&self) -> [(&'static str, &'static str); 4] {
        [
            ("immediate", "notify-frequency-immediate"),
            ("daily", "notify-frequency-daily"),
            ("weekly", "notify-frequency-weekly"),
            ("off", "notify-frequency-off"),
        ]
    }

    pub(crate) fn languages(&self) -> [(&'static str, &'static str); 3] {
        [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
    }
}

/// The title of each subject in the page's language (a body's name; empty when unknown), read
/// in one query.
async fn titles(app: &App, lang: Lang, subjects: &[String]) -> Vec<String> {
    let contents = tyndau_read_model::delivery::contents(&app.pool, subjects)
        .await
        .unwrap_or_default();
    subjects
        .iter()
        .map(|subject| match subject.split_once(':') {
            Some(("body", body)) => crate::bodies::name(lang, body),
            _ => contents
                .get(subject)
                .map(|content| crate::office::title_of(lang, content))
                .unwrap_or_default(),
        })
        .collect()
}

fn href(lang: Lang, subject: &str) -> String {
    let code = lang.code();
    match subject.split_once(':') {
        Some(("petition", id)) => format!("/{code}/petitions/{id}"),
        Some(("consultation", id)) => format!("/{code}/consultations/{id}"),
        Some(("body", id)) => format!("/{code}/bodies/{id}"),
        _ => format!("/{code}/me"),
    }
}

async fn page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    errors: Errors,
    typed: Option<SettingsForm>,
) -> Result<NotifyPage, Outcome> {
    let (settings, subscriptions, webhooks) = tokio::join!(
        command::<Settings>(app, visitor, Method::GET, "/me/notification-settings", None),
        command::<Subscriptions>(app, visitor, Method::GET, "/me/subscriptions", None),
        command::<Webhooks>(app, visitor, Method::GET, "/me/webhooks", None),
    );
    let settings = settings?;
    let subscriptions = subscriptions?.items;
    let webhooks = webhooks?.items;
    let subjects: Vec<String> = subscriptions.iter().map(|s| s.subject.clone()).collect();
    let titles = titles(app, lang, &subjects).await;
    let rows = subscriptions
        .into_iter()
        .zip(titles)
        .map(|(s, title)| {
            let kind = s.subject.split_once(':').map_or("", |(kind, _)| kind);
            let following = s.choice.as_deref() == Some("follow");
            SubscriptionRow {
                kind: match kind {
                    "petition" => "notify-subject-petition",
                    "consultation" => "notify-subject-consultation",
                    "body" => "notify-subject-body",
                    _ => "notify-subject-comment",
                },
                title,
                href: href(lang, &s.subject),
                why: match (s.reason.as_deref(), following) {
                    (_, true) => "notify-reason-follow",
                    (Some("signed"), _) => "notify-reason-signed",
                    (Some("author"), _) => "notify-reason-author",
                    _ => "notify-reason-proposal",
                },
                stopped: !s.active,
                action: if following {
                    ("default", "notify-unfollow")
                } else if s.active {
                    ("mute", "notify-stop")
                } else {
                    ("default", "notify-resume")
                },
                subject: s.subject,
            }
        })
        .collect();
    let code = lang.code();
    let mut chrome = Chrome::new(
        lang,
        forms::title(lang, i18n::text(lang, "notify-title"), &errors),
        "me",
        "/me/notifications/settings",
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    chrome.nav = "me";
    let webhooks = webhooks
        .into_iter()
        .map(|w| {
            let count = |status: &str| w.deliveries.iter().filter(|d| d.status == status).count() as i64;
            let arg = |n: i64| i18n::FluentValue::from(n);
            WebhookRow {
                topics: if w.topics.is_empty() {
                    i18n::text(lang, "webhook-all").to_owned()
                } else {
                    w.topics.join(", ")
                },
                state: if w.state == "disabled" {
                    i18n::fmt(
                        lang,
                        "webhook-disabled",
                        &[(
                            "reason",
                            i18n::FluentValue::from(w.disabled_reason.unwrap_or_default()),
                        )],
                    )
                } else {
                    i18n::text(lang, "webhook-active").to_owned()
                },
                log: i18n::fmt(
                    lang,
                    "webhook-log",
                    &[
                        ("delivered", arg(count("delivered"))),
                        ("failed", arg(count("failed"))),
                        ("pending", arg(count("pending"))),
                    ],
                ),
                enable_action: (w.state == "disabled")
                    .then(|| format!("/{code}/me/webhooks/{}/enable", w.endpoint_id)),
                delete_action: format!("/{code}/me/webhooks/{}/delete", w.endpoint_id),
                url: w.url,
            }
        })
        .collect();
    let typed = typed.unwrap_or_else(|| SettingsForm {
        email: settings.email.clone().unwrap_or_default(),
        language: settings.language.clone(),
        frequency: settings.frequency.clone(),
        ..SettingsForm::default()
    });
    Ok(NotifyPage {
        chrome,
        tr: Tr(lang),
        errors,
        action: format!("/{code}/me/notifications/settings"),
        choose_action: format!("/{code}/me/subscriptions"),
        back_href: format!("/{code}/me"),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        email: typed.email,
        language: if typed.language.is_empty() {
            code.to_owned()
        } else {
            typed.language
        },
        frequency: if typed.frequency.is_empty() {
            "immediate".to_owned()
        } else {
            typed.frequency
        },
        bounced: (settings.email_state == "bounced").then(|| {
            i18n::fmt(
                lang,
                "notify-bounced",
                &[(
                    "code",
                    i18n::FluentValue::from(settings.email_problem.unwrap_or_default()),
                )],
            )
        }),
        rows,
        webhooks,
        webhook_action: format!("/{code}/me/webhooks"),
        webhook_url: String::new(),
        webhook_topics: String::new(),
    })
}

fn respond(
    app: &App,
    lang: Lang,
    here: &str,
    status: StatusCode,
    page: Result<NotifyPage, Outcome>,
) -> Response {
    match page {
        Ok(page) => private(html(status, &page)),
        Err(Outcome::NotSignedIn(why)) => forms::not_signed_in(app, lang, why, here),
        Err(Outcome::Command(error)) => unavailable(app, lang, &error),
    }
}

/// `GET /{lang}/me/notifications/settings`.
pub(crate) async fn settings_page(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let built = page(&app, &visitor, lang, Errors::default(), None).await;
    Ok(respond(&app, lang, uri.path(), StatusCode::OK, built))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    frequency: String,
}

/// `POST /{lang}/me/notifications/settings`.
pub(crate) async fn save_settings(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<SettingsForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let email = form.email.trim();
    let body = json!({
        "language": form.language,
        "frequency": form.frequency,
        "email": (!email.is_empty()).then_some(email),
    });
    let saved: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::PUT,
        "/me/notification-settings",
        Some(&body),
    )
    .await;
    match saved {
        Ok(_) => {
            super::flash(
                &visitor,
                Flash::Office {
                    message: "notify-saved".to_owned(),
                },
            )
            .await;
            Ok(forms::see_other(uri.path()))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, uri.path())),
        Err(Outcome::Command(error)) => {
            // The address is the one free-text field: a refusal of the input is about it.
            let field = match error.code() {
                Some("invalid_input" | "invalid_body") => "email",
                _ => "",
            };
            let errors = forms::refused(lang, field, &error, Context::default());
            let status = refused_status(&error);
            let built = page(&app, &visitor, lang, errors, Some(form)).await;
            Ok(respond(&app, lang, uri.path(), status, built))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChooseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    subject: String,
    /// `follow`, `mute` or `default`.
    #[serde(default)]
    choice: String,
    /// Where to go back to: a path on this site.
    #[serde(default)]
    back: String,
}

/// `POST /{lang}/me/subscriptions`: follow, stop, resume or unfollow one subject.
pub(crate) async fn choose(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<ChooseForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let code = lang.code();
    // Only a path of this site in this language: never an open redirect.
    let back = if form.back.starts_with(&format!("/{code}/")) && !form.back.starts_with("//") {
        form.back.clone()
    } else {
        format!("/{code}/me/notifications/settings")
    };
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, &back) {
        return Ok(response);
    }
    let Some((kind, id)) = form.subject.split_once(':') else {
        return Ok(forms::see_other(&back));
    };
    let choice = match form.choice.as_str() {
        "follow" => json!("follow"),
        "mute" => json!("mute"),
        _ => Value::Null,
    };
    // Both parts go into the API's path: only what a subject can be made of passes.
    let plain = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !plain(kind) || !plain(id) {
        return Ok(forms::see_other(&back));
    }
    let path = format!("/me/subscriptions/{kind}/{id}");
    let chosen: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::PUT,
        &path,
        Some(&json!({ "choice": choice })),
    )
    .await;
    match chosen {
        Ok(_) => {
            let message = if form.choice == "follow" {
                "notify-followed"
            } else {
                "notify-saved"
            };
            super::flash(
                &visitor,
                Flash::Office {
                    message: message.to_owned(),
                },
            )
            .await;
        }
        Err(Outcome::NotSignedIn(why)) => return Ok(forms::not_signed_in(&app, lang, why, &back)),
        Err(Outcome::Command(error)) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            let status = refused_status(&error);
            let built = page(&app, &visitor, lang, errors, None).await;
            return Ok(respond(&app, lang, &back, status, built));
        }
    }
    Ok(forms::see_other(&back))
}

fn unavailable(app: &App, lang: Lang, error: &CommandError) -> Response {
    tyndau_telemetry::log_error_chain("the command API is unavailable", error);
    let t = lang.t();
    crate::views::MessagePage::render(
        app,
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        t.error_title,
        t.unavailable_text,
    )
}

// ----- webhooks -----

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WebhookForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    topics: String,
}

#[derive(Debug, Deserialize)]
struct Registered {
    secret: String,
}

/// `POST /{lang}/me/webhooks`: registers an endpoint; its secret is shown once, on the page
/// that follows.
pub(crate) async fn add_webhook(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<WebhookForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let here = format!("/{}/me/notifications/settings", lang.code());
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, &here) {
        return Ok(response);
    }
    let topics: Vec<&str> = form
        .topics
        .lines()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let body = json!({ "url": form.url.trim(), "topics": topics });
    let added: Result<Registered, Outcome> =
        command(&app, &visitor, Method::POST, "/me/webhooks", Some(&body)).await;
    match added {
        Ok(registered) => {
            super::flash(
                &visitor,
                Flash::WebhookAdded {
                    secret: registered.secret,
                },
            )
            .await;
            Ok(forms::see_other(&format!("{here}#webhooks")))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, &here)),
        Err(Outcome::Command(error)) => {
            let field = match error.code() {
                Some("invalid_subject") => "webhook-topics",
                _ => "webhook-url",
            };
            let errors = forms::refused(lang, field, &error, Context::default());
            let status = refused_status(&error);
            let mut built = page(&app, &visitor, lang, errors, None).await;
            // What was typed stays, beside its error.
            if let Ok(page) = &mut built {
                page.webhook_url = form.url;
                page.webhook_topics = form.topics;
            }
            Ok(respond(&app, lang, &here, status, built))
        }
    }
}

/// `POST /{lang}/me/webhooks/{id}/{enable|delete}`.
pub(crate) async fn webhook_action(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<super::petitions::CsrfOnly>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id, action]) = params(path, ["id", "action"], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let here = format!("/{}/me/notifications/settings", lang.code());
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, &here) {
        return Ok(response);
    }
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return Ok(forms::see_other(&here));
    };
    let (method, api_path, done) = match action.as_str() {
        "enable" => (
            Method::POST,
            format!("/me/webhooks/{id}/enable"),
            "webhook-enabled",
        ),
        "delete" => (Method::DELETE, format!("/me/webhooks/{id}"), "webhook-deleted"),
        _ => return Ok(forms::see_other(&here)),
    };
    let result: Result<Value, Outcome> = command(&app, &visitor, method, &api_path, None).await;
    match result {
        Ok(_) => {
            super::flash(
                &visitor,
                Flash::Office {
                    message: done.to_owned(),
                },
            )
            .await
        }
        Err(Outcome::NotSignedIn(why)) => return Ok(forms::not_signed_in(&app, lang, why, &here)),
        Err(Outcome::Command(error)) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            let status = refused_status(&error);
            let built = page(&app, &visitor, lang, errors, None).await;
            return Ok(respond(&app, lang, &here, status, built));
        }
    }
    Ok(forms::see_other(&format!("{here}#webhooks")))
}

// ----- one-click unsubscribe -----

#[derive(Template)]
#[template(path = "account/unsubscribe.html")]
pub(crate) struct UnsubscribePage {
    pub chrome: Chrome,
    pub tr: Tr,
    /// The confirmation form's action; `None` once done (or refused).
    pub action: Option<String>,
    pub message: Option<&'static str>,
    pub settings_href: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LinkQuery {
    #[serde(default)]
    t: String,
}

fn unsubscribe_page(app: &App, lang: Lang, token: &str, message: Option<&'static str>) -> UnsubscribePage {
    let code = lang.code();
    let chrome = Chrome::new(
        lang,
        i18n::text(lang, "unsubscribe-title").to_owned(),
        "",
        "/unsubscribe",
        &app.site.query_api_url,
    );
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("t", token)
        .finish();
    UnsubscribePage {
        chrome,
        tr: Tr(lang),
        action: message.is_none().then(|| format!("/{code}/unsubscribe?{query}")),
        message,
        settings_href: format!("/{code}/me/notifications/settings"),
    }
}

/// `GET /{lang}/unsubscribe?t=…`: a confirmation (a link scanner's GET must not unsubscribe).
pub(crate) async fn unsubscribe_form(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    query: Result<axum::extract::Query<LinkQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let query: LinkQuery = crate::routes::query(query);
    Ok(private(html(
        StatusCode::OK,
        &unsubscribe_page(&app, lang, &query.t, None),
    )))
}

/// `POST /{lang}/unsubscribe?t=…`: the mail client's one-click POST (body
/// `List-Unsubscribe=One-Click`) or the confirmation's button. No session and no anti-forgery
/// token: the signed, single-use link is the authority.
pub(crate) async fn unsubscribe(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    query: Result<axum::extract::Query<LinkQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let query: LinkQuery = crate::routes::query(query);
    let Some(accounts) = &app.accounts else {
        return Ok(unavailable(
            &app,
            lang,
            &CommandError::Unavailable("sign-in is not configured".into()),
        ));
    };
    let body = json!({ "token": query.t });
    let result: Result<Value, CommandError> = accounts
        .commands
        .call_without_token(Method::POST, "/unsubscribe", visitor.client, Some(&body))
        .await;
    let (status, message) = match &result {
        Ok(_) => (StatusCode::OK, "unsubscribe-done"),
        Err(error) => match error.code() {
            Some("link_used") => (StatusCode::OK, "unsubscribe-used"),
            Some("link_expired") => (StatusCode::GONE, "unsubscribe-expired"),
            Some(_) => (StatusCode::BAD_REQUEST, "unsubscribe-invalid"),
            None => return Ok(unavailable(&app, lang, error)),
        },
    };
    Ok(private(html(
        status,
        &unsubscribe_page(&app, lang, &query.t, Some(message)),
    )))
}
