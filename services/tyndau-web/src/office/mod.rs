//! The back office: state bodies answer petitions and run consultations, moderators work their
//! queues, administrators read the audit trail, all in the browser.
//!
//! It reuses the citizens' sign-in, sessions, anti-forgery tokens and command API client
//! ([`crate::account`]); there is no second way in. Pages read the read models (including what
//! the public does not see yet: drafts, submitted petitions); every action is one call to the
//! command API with the signed-in person's token, which decides. The role checks here only
//! decide what to show: a page a role cannot use says so, and the API refuses anyway.
//!
//! - [`desk`]: the landing page of each role;
//! - [`petitions`]: answering a petition;
//! - [`consultations`]: drafting from pasted text, opening, new versions, the report;
//! - [`proposals`]: the proposals queue and answers;
//! - [`moderation`]: petitions to moderate, flagged comments, signature invalidation;
//! - [`audit`]: the audit trail.

pub(crate) mod audit;
pub(crate) mod consultations;
pub(crate) mod desk;
pub(crate) mod moderation;
pub(crate) mod petitions;
pub(crate) mod proposals;

use std::sync::LazyLock;

use axum::response::Response;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use time::{Date, OffsetDateTime};
use tyndau_calendar::WorkingCalendar;
use tyndau_ids::BodyId;

use crate::account::commands::CommandError;
use crate::account::forms::{self, Context, Errors};
use crate::account::petitions::{Outcome, command, guard};
use crate::account::session::{Flash, SignedIn};
use crate::account::{NotSignedIn, Visitor};
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::App;
use crate::views::{Chrome, MessagePage};

/// What a signed-in member of staff may work on here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// An official of this state body.
    Official(BodyId),
    Moderator,
    Admin,
}

impl Role {
    fn of(user: &SignedIn) -> Option<Role> {
        match user.role.as_str() {
            "official" => user
                .organisation
                .as_deref()
                .and_then(|o| o.parse().ok())
                .map(Role::Official),
            "moderator" => Some(Role::Moderator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub(crate) fn body(&self) -> Option<&BodyId> {
        match self {
            Role::Official(body) => Some(body),
            _ => None,
        }
    }
}

/// Whether a signed-in person works here (the header links them to the office, not "My page").
pub(crate) fn is_staff(user: &SignedIn) -> bool {
    Role::of(user).is_some()
}

/// The interface texts of the office pages, looked up by message id in the templates
/// (`tr.t("office-desk")`): the office has many texts used on one page each, and a field per
/// text in [`crate::i18n::Texts`] would say nothing more.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tr(pub Lang);

impl Tr {
    pub(crate) fn t(&self, id: &'static str) -> &'static str {
        i18n::text(self.0, id)
    }
}

/// The visitor's office role, or the response instead: sign in first, or a page saying this
/// part of the office is not theirs.
pub(crate) fn require(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    here: &str,
    allowed: impl Fn(&Role) -> bool,
) -> Result<Role, Response> {
    let Some(user) = &visitor.user else {
        return Err(forms::not_signed_in(app, lang, NotSignedIn::SignIn, here));
    };
    match Role::of(user) {
        Some(role) if allowed(&role) => Ok(role),
        _ => Err(not_yours(app, lang)),
    }
}

pub(crate) fn not_yours(app: &App, lang: Lang) -> Response {
    let tr = Tr(lang);
    MessagePage::render(
        app,
        lang,
        StatusCode::FORBIDDEN,
        tr.t("office-not-yours-title"),
        tr.t("office-not-yours-text"),
    )
}

/// The office page frame: the form script on, never cached.
pub(crate) fn chrome(app: &App, visitor: &Visitor, lang: Lang, title: String, rest: &str) -> Chrome {
    let mut chrome = Chrome::new(lang, title, "office", rest, &app.site.query_api_url).with_visitor(visitor);
    chrome.form_script = true;
    chrome
}

/// Why an office action did not happen, as the handler answers it.
pub(crate) enum Refusal {
    /// A response already made: sign in, or a forged post.
    Response(Response),
    /// The command API refused, or could not be reached: shown on the form.
    Command(CommandError),
}

/// One action: the anti-forgery checks, then the call as the signed-in person.
// The form's identity (visitor, headers, token, path) and the call's (method, path, body) are
// what an action is; bundling them in a struct for the lint would only rename them.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn act<T: DeserializeOwned>(
    app: &App,
    visitor: &Visitor,
    headers: &HeaderMap,
    lang: Lang,
    csrf: &str,
    form_path: &str,
    method: Method,
    api_path: &str,
    body: Option<&Value>,
) -> Result<T, Refusal> {
    guard(app, visitor, headers, lang, csrf, form_path).map_err(Refusal::Response)?;
    command(app, visitor, method, api_path, body)
        .await
        .map_err(|outcome| match outcome {
            Outcome::NotSignedIn(why) => Refusal::Response(forms::not_signed_in(app, lang, why, form_path)),
            Outcome::Command(error) => Refusal::Command(error),
        })
}

/// A read of the command API as the signed-in person (the audit trail, the terms).
pub(crate) async fn read<T: DeserializeOwned>(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    here: &str,
    api_path: &str,
) -> Result<T, Refusal> {
    command(app, visitor, Method::GET, api_path, None)
        .await
        .map_err(|outcome| match outcome {
            Outcome::NotSignedIn(why) => Refusal::Response(forms::not_signed_in(app, lang, why, here)),
            Outcome::Command(error) => Refusal::Command(error),
        })
}

/// The command API's refusal as the form's error, on `field` (empty: the whole form).
pub(crate) fn refused(lang: Lang, field: &'static str, error: &CommandError) -> Errors {
    forms::refused(lang, field, error, Context::default())
}

/// A refusal's status on the re-rendered form.
pub(crate) fn status(error: &CommandError) -> StatusCode {
    crate::account::petitions::refused_status(error)
}

/// Leaves "done" for the next page: `message` is an office message id.
pub(crate) async fn done(visitor: &Visitor, message: &'static str) {
    crate::account::flash(
        visitor,
        Flash::Office {
            message: message.to_owned(),
        },
    )
    .await;
}

/// Waits (briefly) until the read model shows what the command API just accepted, so that the
/// page after the redirect shows it too: the projection is asynchronous, usually milliseconds
/// behind. Gives up quietly after two seconds; the page then shows the state before.
pub(crate) async fn settled(
    app: &App,
    id: tyndau_ids::ConsultationId,
    done: impl Fn(&tyndau_read_model::office::OfficeConsultation) -> bool,
) {
    for _ in 0..40 {
        if let Ok(Some(c)) = tyndau_read_model::office::consultation(&app.pool, id).await
            && done(&c)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

static CALENDAR: LazyLock<WorkingCalendar> = LazyLock::new(WorkingCalendar::embedded);

/// Working days from today (in Kazakhstan) to the day of `due`: negative once it has passed.
/// Shown, not enforced: the deadlines themselves are the command side's.
pub(crate) fn working_days_left(due: OffsetDateTime, now: OffsetDateTime) -> i64 {
    let today = tyndau_calendar::kazakhstan_date(now);
    let day = tyndau_calendar::kazakhstan_date(due);
    let (from, to, sign) = if day >= today {
        (today, day, 1)
    } else {
        (day, today, -1)
    };
    let mut count = 0i64;
    let mut date: Date = from;
    while date < to {
        date = date.next_day().unwrap_or(to);
        if CALENDAR.is_working_day(date) {
            count += 1;
        }
    }
    sign * count
}

/// A deadline as the desk shows it: the date, and the working days left or overdue.
#[derive(Clone, Debug)]
pub(crate) struct Due {
    pub date: String,
    pub left: String,
    pub overdue: bool,
}

impl Due {
    pub(crate) fn of(lang: Lang, due: OffsetDateTime, now: OffsetDateTime) -> Self {
        let left = working_days_left(due, now);
        let overdue = due < now;
        let text = if overdue {
            i18n::fmt(
                lang,
                "office-overdue-by",
                &[("days", FluentValue::from(left.abs()))],
            )
        } else {
            i18n::fmt(lang, "office-days-left", &[("days", FluentValue::from(left))])
        };
        Due {
            date: i18n::date(lang, due),
            left: text,
            overdue,
        }
    }
}

/// One radio button: `id` is `{name}-{value}` with dashes, so the error summary can link the
/// first of a group.
#[derive(Clone, Debug)]
pub(crate) struct Choice {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

impl Choice {
    pub(crate) fn new(name: &str, value: &str, label: impl Into<String>, checked: bool) -> Self {
        Choice {
            id: format!("{name}-{}", value.replace('_', "-")),
            value: value.to_owned(),
            label: label.into(),
            checked,
        }
    }
}

/// A petition's title, request and text in the page's language (or the nearest one given).
pub(crate) fn petition_texts(lang: Lang, content: &tyndau_read_model::Content) -> (String, String, String) {
    let pick = |get: fn(&tyndau_read_model::PetitionTextView) -> &String| {
        i18n::pick(lang, |l| {
            match l {
                Lang::Kk => content.kk.as_ref(),
                Lang::Ru => content.ru.as_ref(),
                Lang::En => content.en.as_ref(),
            }
            .map(get)
            .filter(|s| !s.trim().is_empty())
            .cloned()
        })
        .map(|s| s.value)
        .unwrap_or_default()
    };
    (pick(|t| &t.title), pick(|t| &t.request), pick(|t| &t.text))
}

/// A title from a `{"kk": {"title": …}, …}` content object, in the page's language when it
/// has one.
pub(crate) fn title_of(lang: Lang, content: &Value) -> String {
    i18n::pick(lang, |l| {
        content
            .get(l.code())
            .and_then(|c| c.get("title"))
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    })
    .map(|shown| shown.value)
    .unwrap_or_else(|| "—".to_owned())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn working_days_skip_weekends_and_holidays_both_ways() {
        // Friday 2026-12-11 to Monday 2026-12-14: one working day. 16 December is
        // Independence Day.
        let now = datetime!(2026-12-11 10:00 +5);
        assert_eq!(working_days_left(datetime!(2026-12-14 18:00 +5), now), 1);
        assert_eq!(working_days_left(datetime!(2026-12-18 18:00 +5), now), 4);
        assert_eq!(working_days_left(datetime!(2026-12-11 18:00 +5), now), 0);
        assert_eq!(working_days_left(datetime!(2026-12-08 18:00 +5), now), -3);
    }
}
