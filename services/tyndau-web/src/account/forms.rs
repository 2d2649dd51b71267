//! What every form page shares: field errors in page order with an error summary, the
//! "Error: " title prefix, the refusal of forged posts, the way to sign-in and back, and the
//! command API's refusals as translated sentences.

use axum::response::{IntoResponse, Redirect, Response};
use http::StatusCode;

use super::commands::CommandError;
use super::csrf::Forgery;
use super::{NotSignedIn, Visitor};
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::App;
use crate::views::MessagePage;

/// One problem with one field: the field's id (the summary links to it) and the message, worded
/// the same in the summary and beside the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub id: &'static str,
    pub text: String,
}

/// The problems of one submission, in the order the fields appear on the page.
#[derive(Clone, Debug, Default)]
pub(crate) struct Errors(pub Vec<FieldError>);

impl Errors {
    pub(crate) fn add(&mut self, id: &'static str, text: impl Into<String>) {
        self.0.push(FieldError {
            id,
            text: text.into(),
        });
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for one field, for the inline error.
    pub(crate) fn of(&self, id: &str) -> Option<&str> {
        self.0.iter().find(|e| e.id == id).map(|e| e.text.as_str())
    }
}

/// A page title, prefixed with "Error: " when the form came back with errors (the summary's
/// fallback for screen readers without script).
pub(crate) fn title(lang: Lang, title: &str, errors: &Errors) -> String {
    if errors.is_empty() {
        title.to_owned()
    } else {
        format!("{}{title}", lang.t().error_prefix)
    }
}

/// Text fields are measured as people count: characters, not bytes.
pub(crate) fn chars(text: &str) -> usize {
    text.chars().count()
}

/// 303 to a page of this site after a successful post.
pub(crate) fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// To the identity provider, then back to `return_to`.
pub(crate) fn sign_in_then(lang: Lang, return_to: &str) -> Response {
    see_other(&sign_in_href(lang, return_to))
}

pub(crate) fn sign_in_href(lang: Lang, return_to: &str) -> String {
    format!(
        "/auth/login?lang={}&return_to={}",
        lang.code(),
        crate::pages::encode(return_to)
    )
}

/// The answer to a visitor who cannot act: sign in first, or a page saying this account cannot.
pub(crate) fn not_signed_in(app: &App, lang: Lang, why: NotSignedIn, return_to: &str) -> Response {
    match why {
        NotSignedIn::SignIn => sign_in_then(lang, return_to),
        NotSignedIn::WrongRole => {
            let t = lang.t();
            MessagePage::render(
                app,
                lang,
                StatusCode::FORBIDDEN,
                t.citizens_only_title,
                t.citizens_only_text,
            )
        }
    }
}

/// The signed-in citizen, or why not.
pub(crate) fn require_citizen(visitor: &Visitor) -> Result<&super::session::SignedIn, NotSignedIn> {
    match &visitor.user {
        None => Err(NotSignedIn::SignIn),
        Some(user) if user.is_citizen() => Ok(user),
        Some(_) => Err(NotSignedIn::WrongRole),
    }
}

/// A forged or stale post: 403, nothing changed, and how to go on.
pub(crate) fn forbidden(app: &App, lang: Lang, refusal: Forgery) -> Response {
    tracing::warn!(%refusal, "form refused");
    let t = lang.t();
    MessagePage::render(
        app,
        lang,
        StatusCode::FORBIDDEN,
        t.forbidden_title,
        t.forbidden_text,
    )
}

/// What the page says about a refused command, with what the refusal needs to make sense
/// (the region a local petition is open to, the age limit).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Context<'a> {
    pub region: Option<&'a str>,
    pub min_age: Option<i64>,
}

/// The errors of a form the command API refused: its sentence, linked to `field` when the
/// refusal is about one (empty: not linked).
pub(crate) fn refused(lang: Lang, field: &'static str, error: &CommandError, context: Context<'_>) -> Errors {
    let mut errors = Errors::default();
    errors.add(field, problem_text(lang, error, context));
    errors
}

pub(crate) fn problem_text(lang: Lang, error: &CommandError, context: Context<'_>) -> String {
    match error {
        CommandError::Unavailable(source) => {
            tyndau_telemetry::log_error_chain("command API unavailable", source.as_ref());
            i18n::fmt(lang, "problem-unavailable", &[])
        }
        CommandError::Refused {
            code, retry_after, ..
        } => {
            let id = i18n::problem_id(code);
            let region = context.region.unwrap_or("—").to_owned();
            let seconds = i64::try_from(retry_after.unwrap_or(1)).unwrap_or(i64::MAX);
            i18n::fmt(
                lang,
                id,
                &[
                    ("code", FluentValue::from(code.clone())),
                    ("region", FluentValue::from(region)),
                    ("age", FluentValue::from(context.min_age.unwrap_or(18))),
                    ("seconds", FluentValue::from(seconds)),
                ],
            )
        }
    }
}
