//! "My page": a citizen's signatures (withdraw from here), their petitions and where each
//! stands, their comments with the answers they got, and the erasure of their personal data.
//! Everything comes from the command API's `/me/…` reads: only it can turn the verified IIN
//! into the pseudonym these records are filed under.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;
use tyndau_read_model::LocalizedString;

use super::Visitor;
use super::forms::{self, Context, Errors};
use super::petitions::{CsrfOnly, Outcome, command, guard, private, refused_status};
use super::session::Flash;
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

#[derive(Debug, Deserialize)]
pub(crate) struct OwnSignatures {
    pub signatures: Vec<OwnSignature>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OwnSignature {
    pub petition_id: String,
    pub title: LocalizedString,
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<OffsetDateTime>,
    /// The receipt for the public log, shown as the verifier takes it.
    #[serde(default)]
    pub receipt: Option<Value>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OwnPetitions {
    pub petitions: Vec<OwnPetition>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OwnPetition {
    pub petition_id: String,
    pub title: LocalizedString,
    pub status: String,
    pub addressee: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub moderation_due: Option<OffsetDateTime>,
    pub rejection: Option<Rejection>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Rejection {
    pub reason: tyndau_events::petition::RejectionReason,
    pub explanation: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OwnComments {
    pub comments: Vec<OwnComment>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OwnComment {
    pub consultation_id: String,
    pub comment_id: String,
    pub parent_id: Option<String>,
    pub provision: Option<String>,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub posted_at: OffsetDateTime,
    pub hidden_reason: Option<String>,
    pub disposition: Option<String>,
    pub answer_reason: Option<Value>,
}

/// What My page needs of the notification settings.
#[derive(Debug, Deserialize)]
pub(crate) struct MailState {
    pub email_state: String,
    pub email_problem: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Inbox {
    pub items: Vec<Notice>,
    pub unread: i64,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Notice {
    pub id: i64,
    pub kind: String,
    pub subject: String,
    pub details: Value,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub unread: bool,
}

pub(crate) struct NoticeRow {
    pub text: String,
    pub href: String,
    pub when: String,
    pub unread: bool,
}

/// One notification as a sentence in the page's language, and where it leads.
fn notice_row(lang: Lang, notice: &Notice) -> NoticeRow {
    let code = lang.code();
    let detail = |name: &str| {
        notice
            .details
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let decision = || {
        serde_json::from_value::<tyndau_events::petition::Decision>(notice.details["decision"].clone())
            .map(|d| i18n::decision(lang, d).to_owned())
            .unwrap_or_default()
    };
    let (id, arg): (&str, String) = match notice.kind.as_str() {
        "petition_published" => ("notice-petition-published", String::new()),
        "petition_rejected" => (
            "notice-petition-rejected",
            serde_json::from_value::<tyndau_events::petition::RejectionReason>(
                notice.details["reason"].clone(),
            )
            .map(|r| i18n::rejection_reason(lang, r).to_owned())
            .unwrap_or_default(),
        ),
        "petition_threshold_reached" => ("notice-petition-threshold-reached", String::new()),
        "petition_answered" => ("notice-petition-answered", decision()),
        "petition_answer_overdue" => ("notice-petition-answer-overdue", String::new()),
        "petition_closed" => ("notice-petition-closed", String::new()),
        "petition_stopped" => ("notice-petition-stopped", detail("explanation").to_owned()),
        "comment_replied" => ("notice-comment-replied", String::new()),
        "proposal_answered" => (
            "notice-proposal-answered",
            i18n::disposition(lang, detail("disposition")),
        ),
        "comment_hidden" => ("notice-comment-hidden", i18n::hide_reason(lang, detail("reason"))),
        "consultation_version" => (
            "notice-consultation-version",
            notice.details["version"]
                .as_i64()
                .map(|v| i18n::version(lang, i32::try_from(v).unwrap_or(0)))
                .unwrap_or_default(),
        ),
        "consultation_opened" => ("notice-consultation-opened", String::new()),
        _ => ("notice-consultation-report", String::new()),
    };
    let (kind, key) = notice.subject.split_once(':').unwrap_or(("petition", ""));
    let anchor = match detail("comment") {
        "" => String::new(),
        comment => format!("#c-{comment}"),
    };
    NoticeRow {
        text: i18n::fmt(lang, id, &[("detail", i18n::FluentValue::from(arg))]),
        href: match kind {
            "consultation" => format!("/{code}/consultations/{key}{anchor}"),
            _ => format!("/{code}/petitions/{key}"),
        },
        when: i18n::date_time(lang, notice.occurred_at),
        unread: notice.unread,
    }
}

/// A title in the page's language if the author gave it, else another.
pub(crate) fn title_of(lang: Lang, title: &LocalizedString) -> Option<String> {
    i18n::pick_string(lang, title).map(|s| s.value)
}

/// The status of one's own petition, including the stages the public never sees.
pub(crate) fn own_status(lang: Lang, status: &str) -> &'static str {
    let t = lang.t();
    match status {
        "draft" => t.status_draft,
        "submitted" => t.status_submitted,
        other => tyndau_read_model::PetitionStatus::ALL
            .into_iter()
            .find(|s| s.code() == other)
            .map_or(t.status_submitted, |s| i18n::petition_status(lang, s)),
    }
}

pub(crate) struct SignatureRow {
    pub title: String,
    pub href: String,
    pub status: &'static str,
    pub signed: String,
    pub withdrawn: Option<String>,
    pub withdraw_href: Option<String>,
    /// The receipt's JSON, for `tyndau-verify receipt`.
    pub receipt: Option<String>,
}

pub(crate) struct PetitionRow {
    pub title: String,
    /// Public petitions link to their page; drafts and submitted ones are the author's only.
    pub href: Option<String>,
    pub addressee: String,
    pub status: &'static str,
    pub due: Option<String>,
    pub rejection: Option<(String, String)>,
}

pub(crate) struct CommentRow {
    pub href: String,
    pub kind: &'static str,
    pub provision: Option<String>,
    pub text: String,
    pub posted: String,
    pub hidden: Option<String>,
    pub answer: Option<String>,
    pub reason: Option<String>,
}

#[derive(Template)]
#[template(path = "account/me.html")]
pub(crate) struct MePage {
    pub chrome: Chrome,
    pub name: String,
    pub signatures: Vec<SignatureRow>,
    pub petitions: Vec<PetitionRow>,
    pub comments: Vec<CommentRow>,
    pub notices: Vec<NoticeRow>,
    /// "3 unread", when any are.
    pub unread: Option<String>,
    /// The mark-all-read form's target and the newest notification's id.
    pub mark_read: Option<(String, i64)>,
    pub csrf: String,
    pub new_petition_href: String,
    pub erase_href: String,
    pub settings_href: String,
    pub settings_text: &'static str,
    /// A read that failed: the page says so rather than showing an empty list.
    pub problem: Option<String>,
    /// Why mail to their address stopped, when it did.
    pub bounced: Option<String>,
}

/// `GET /{lang}/me`.
pub(crate) async fn page(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let user = match forms::require_citizen(&visitor) {
        Ok(user) => user,
        Err(why) => return Ok(forms::not_signed_in(&app, lang, why, uri.path())),
    };
    let (signatures, petitions, comments, inbox, settings) = tokio::join!(
        command::<OwnSignatures>(&app, &visitor, Method::GET, "/me/signatures", None),
        command::<OwnPetitions>(&app, &visitor, Method::GET, "/me/petitions", None),
        command::<OwnComments>(&app, &visitor, Method::GET, "/me/comments", None),
        command::<Inbox>(&app, &visitor, Method::GET, "/me/notifications?limit=20", None),
        command::<MailState>(&app, &visitor, Method::GET, "/me/notification-settings", None),
    );
    // A refused address is said here, where the person looks, not only on the settings page.
    let bounced = settings.ok().filter(|s| s.email_state == "bounced").map(|s| {
        i18n::fmt(
            lang,
            "notify-bounced",
            &[(
                "code",
                i18n::FluentValue::from(s.email_problem.unwrap_or_default()),
            )],
        )
    });
    let mut problem = None;
    let mut signed_out = None;
    let mut take = |outcome: Result<(), Outcome>| match outcome {
        Ok(()) => {}
        Err(Outcome::NotSignedIn(why)) => signed_out = Some(why),
        Err(Outcome::Command(error)) => {
            problem = Some(forms::problem_text(lang, &error, Context::default()));
        }
    };
    let (signatures, petitions, comments, inbox) = (
        split(signatures, &mut take),
        split(petitions, &mut take),
        split(comments, &mut take),
        split(inbox, &mut take),
    );
    if let Some(why) = signed_out {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let t = lang.t();
    let code = lang.code();
    let mut chrome =
        Chrome::new(lang, t.my_page.to_owned(), "me", "/me", &app.site.query_api_url).with_visitor(&visitor);
    chrome.nav = "me";
    let page = MePage {
        chrome,
        name: user.display_name.clone().unwrap_or_default(),
        signatures: signatures
            .map(|s| s.signatures)
            .unwrap_or_default()
            .into_iter()
            .map(|s| SignatureRow {
                title: title_of(lang, &s.title).unwrap_or_default(),
                href: format!("/{code}/petitions/{}", s.petition_id),
                status: own_status(lang, &s.status),
                signed: i18n::date(lang, s.signed_at),
                withdrawn: s.withdrawn_at.map(|at| i18n::date(lang, at)),
                withdraw_href: (s.withdrawn_at.is_none() && s.status == "open")
                    .then(|| format!("/{code}/petitions/{}/withdraw", s.petition_id)),
                receipt: s.receipt.as_ref().and_then(|r| serde_json::to_string(r).ok()),
            })
            .collect(),
        petitions: petitions
            .map(|p| p.petitions)
            .unwrap_or_default()
            .into_iter()
            .map(|p| PetitionRow {
                title: title_of(lang, &p.title).unwrap_or_default(),
                href: (!matches!(p.status.as_str(), "draft" | "submitted"))
                    .then(|| format!("/{code}/petitions/{}", p.petition_id)),
                addressee: crate::bodies::name(lang, &p.addressee),
                status: own_status(lang, &p.status),
                due: (p.status == "submitted")
                    .then_some(p.moderation_due)
                    .flatten()
                    .map(|at| i18n::date(lang, at)),
                rejection: p
                    .rejection
                    .map(|r| (i18n::rejection_reason(lang, r.reason).to_owned(), r.explanation)),
            })
            .collect(),
        comments: comments
            .map(|c| c.comments)
            .unwrap_or_default()
            .into_iter()
            .map(|c| CommentRow {
                href: format!(
                    "/{code}/consultations/{}#c-{}",
                    c.consultation_id,
                    c.parent_id.as_deref().unwrap_or(&c.comment_id)
                ),
                kind: if c.parent_id.is_some() {
                    t.kind_reply
                } else {
                    t.kind_proposal
                },
                provision: c.provision.map(|p| i18n::provision(lang, &p)),
                text: c.text,
                posted: i18n::date(lang, c.posted_at),
                hidden: c.hidden_reason.map(|r| i18n::hide_reason(lang, &r)),
                answer: c.disposition.map(|d| i18n::disposition(lang, &d)),
                reason: c
                    .answer_reason
                    .as_ref()
                    .and_then(|r| i18n::pick_json(lang, r))
                    .map(|s| s.value),
            })
            .collect(),
        notices: inbox
            .as_ref()
            .map(|i| i.items.iter().map(|n| notice_row(lang, n)).collect())
            .unwrap_or_default(),
        unread: inbox.as_ref().filter(|i| i.unread > 0).map(|i| {
            i18n::fmt(
                lang,
                "notifications-unread",
                &[("count", i18n::FluentValue::from(i.unread))],
            )
        }),
        mark_read: inbox
            .as_ref()
            .filter(|i| i.unread > 0)
            .and_then(|i| i.items.first())
            .map(|n| (format!("/{code}/me/notifications/read"), n.id)),
        csrf: user.csrf.clone(),
        new_petition_href: format!("/{code}/petitions/new"),
        erase_href: format!("/{code}/me/erase"),
        settings_href: format!("/{code}/me/notifications/settings"),
        settings_text: i18n::text(lang, "notify-settings-link"),
        bounced,
        problem,
    };
    Ok(private(html(StatusCode::OK, &page)))
}

/// The value of a read, reporting its failure to `report`.
fn split<T>(outcome: Result<T, Outcome>, report: &mut impl FnMut(Result<(), Outcome>)) -> Option<T> {
    match outcome {
        Ok(value) => Some(value),
        Err(error) => {
            report(Err(error));
            None
        }
    }
}

// ----- erasure -----

#[derive(Template)]
#[template(path = "account/erase.html")]
pub(crate) struct ErasePage {
    pub chrome: Chrome,
    pub errors: Errors,
    pub action: String,
    pub back_href: String,
    pub csrf: String,
}

fn erase_page(app: &App, visitor: &Visitor, lang: Lang, errors: Errors) -> ErasePage {
    let t = lang.t();
    let mut chrome = Chrome::new(
        lang,
        forms::title(lang, t.erase_title, &errors),
        "me",
        "/me/erase",
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    chrome.nav = "me";
    ErasePage {
        chrome,
        errors,
        action: format!("/{}/me/erase", lang.code()),
        back_href: format!("/{}/me", lang.code()),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
    }
}

/// `GET /{lang}/me/erase`: what erasure does, and a confirmation.
pub(crate) async fn erase_form(
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
    Ok(private(html(
        StatusCode::OK,
        &erase_page(&app, &visitor, lang, Errors::default()),
    )))
}

#[derive(Debug, Deserialize)]
struct Erased {
    keys_deleted: u64,
}

/// `POST /{lang}/me/erase`.
pub(crate) async fn erase(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let erased: Result<Erased, Outcome> = command(&app, &visitor, Method::DELETE, "/me", None).await;
    match erased {
        Ok(erased) => {
            super::flash(
                &visitor,
                Flash::Erased {
                    keys: erased.keys_deleted,
                },
            )
            .await;
            Ok(forms::see_other(&format!("/{}/me", lang.code())))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, uri.path())),
        Err(Outcome::Command(error)) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            Ok(private(html(
                refused_status(&error),
                &erase_page(&app, &visitor, lang, errors),
            )))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MarkReadForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    up_to: String,
}

/// `POST /{lang}/me/notifications/read`: everything shown counts as read.
pub(crate) async fn mark_read(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<MarkReadForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let me = format!("/{}/me", lang.code());
    let Ok(up_to) = form.up_to.trim().parse::<i64>() else {
        return Ok(forms::see_other(&me));
    };
    let body = serde_json::json!({ "up_to": up_to });
    let marked: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::POST,
        "/me/notifications/read",
        Some(&body),
    )
    .await;
    match marked {
        Ok(_) => super::flash(&visitor, Flash::NotificationsRead).await,
        Err(Outcome::NotSignedIn(why)) => return Ok(forms::not_signed_in(&app, lang, why, &me)),
        // Nothing is lost: the notifications stay unread, and My page says what went wrong.
        Err(Outcome::Command(error)) => {
            tyndau_telemetry::log_error_chain("marking notifications read failed", &error);
        }
    }
    Ok(forms::see_other(&format!("{me}#notifications")))
}
