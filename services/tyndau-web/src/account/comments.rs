//! Taking part in a consultation: a proposal on the whole draft or on one provision (quoting
//! the words it is about), a reply in a thread, agreeing or disagreeing, reporting a comment to
//! the moderators, and editing one's own comment until the first reply.
//!
//! Each is a form page and a post; after a post the browser lands on the thread, once the
//! projection shows the new comment (a short wait, so people see what they wrote).

use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use tyndau_read_model::{CommentView, ConsultationDetail, ConsultationStatus};
use uuid::Uuid;

use super::Visitor;
use super::forms::{self, Context, Errors};
use super::petitions::{Outcome, command, guard, private, refused_status};
use super::session::Flash;
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::{Chrome, TextView};

/// The longest comment, as the consultation policy's default (the command API has the final say).
const MAX_COMMENT_CHARS: usize = 5_000;
/// How long a post waits for its comment to be projected before redirecting anyway.
const SHOW_WITHIN: Duration = Duration::from_secs(3);

async fn consultation_for(app: &App, lang: Lang, id: &str) -> Result<ConsultationDetail, Failure> {
    let id: Uuid = id.parse().map_err(|_| Failure::NotFound(lang))?;
    tyndau_read_model::consultation_detail(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))
}

fn title_of(lang: Lang, detail: &ConsultationDetail) -> TextView {
    i18n::pick_json(lang, &detail.content["title"])
        .map(|s| TextView::quiet(lang, s))
        .unwrap_or_else(|| TextView::missing(lang))
}

/// The provision a comment is about, as shown above the form.
pub(crate) struct ProvisionShown {
    pub path: String,
    pub label: String,
    pub heading: Option<TextView>,
    pub text: Option<TextView>,
}

async fn provision(
    app: &App,
    lang: Lang,
    consultation: Uuid,
    path: &str,
) -> Result<Option<ProvisionShown>, Failure> {
    let draft = tyndau_read_model::draft(&app.pool, consultation, None)
        .await
        .map_err(Failure::read(lang))?;
    Ok(draft.and_then(|d| {
        d.provisions
            .into_iter()
            .find(|p| p.path == path)
            .map(|p| ProvisionShown {
                label: i18n::provision(lang, &p.path),
                heading: i18n::pick_json(lang, &p.heading).map(|s| TextView::quiet(lang, s)),
                text: i18n::pick_json(lang, &p.text).map(|s| TextView::quiet(lang, s)),
                path: p.path,
            })
    }))
}

/// Waits (briefly) until the read model shows `comment`, so the redirect lands on it.
async fn until_shown(app: &App, consultation: Uuid, comment: Uuid) {
    let deadline = tokio::time::Instant::now() + SHOW_WITHIN;
    while tokio::time::Instant::now() < deadline {
        if let Ok(Some(_)) = tyndau_read_model::comment_detail(&app.pool, consultation, comment).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The consultation page's address for a thread about `path` (or the whole draft).
fn thread_href(lang: Lang, consultation: Uuid, path: Option<&str>, comment: &str) -> String {
    let base = format!("/{}/consultations/{consultation}", lang.code());
    match path {
        Some(path) => format!("{base}?provision={}#c-{comment}", crate::pages::encode(path)),
        None => format!("{base}?scope=draft#c-{comment}"),
    }
}

fn languages(selected: &str) -> Vec<(&'static str, &'static str, bool)> {
    Lang::ALL
        .into_iter()
        .map(|l| (l.code(), l.endonym(), l.code() == selected))
        .collect()
}

/// The channels an official may speak through (a citizen speaks as a citizen).
fn channels(lang: Lang, selected: &str) -> Vec<(&'static str, String, bool)> {
    [
        "organisation",
        "business_chamber",
        "public_council",
        "expert_body",
    ]
    .into_iter()
    .map(|c| (c, i18n::channel(lang, c), c == selected))
    .collect()
}

// ----- a new proposal -----

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CommentQuery {
    path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    channel: String,
}

#[derive(Template)]
#[template(path = "account/comment.html")]
pub(crate) struct CommentPage {
    pub chrome: Chrome,
    pub errors: Errors,
    pub heading: &'static str,
    pub consultation_title: TextView,
    pub provision: Option<ProvisionShown>,
    pub action: String,
    pub back_href: String,
    pub csrf: String,
    pub path: String,
    pub quote: String,
    pub text: String,
    pub languages: Vec<(&'static str, &'static str, bool)>,
    /// Offered to officials only.
    pub channels: Vec<(&'static str, String, bool)>,
    pub text_hint: String,
    /// The comment replied to, shown above a reply.
    pub replying_to: Option<String>,
    /// `comment`, `reply` or `edit`: which fields the page has.
    pub kind: &'static str,
}

/// Who asks, where: what every page of this module is rendered for.
#[derive(Clone, Copy)]
struct Here<'a> {
    app: &'a App,
    visitor: &'a Visitor,
    lang: Lang,
}

struct Shown<'a> {
    detail: &'a ConsultationDetail,
    provision: Option<ProvisionShown>,
    replying_to: Option<String>,
}

fn comment_page(
    here: Here<'_>,
    kind: &'static str,
    action: String,
    shown: Shown<'_>,
    form: &CommentForm,
    errors: Errors,
) -> CommentPage {
    let Here { app, visitor, lang } = here;
    let t = lang.t();
    let heading = match (kind, &shown.provision) {
        ("reply", _) => t.reply_title,
        ("edit", _) => t.edit_title,
        (_, Some(_)) => t.comment_provision_title,
        (_, None) => t.comment_draft_title,
    };
    let base = format!("/{}/consultations/{}", lang.code(), shown.detail.id);
    let rest = action
        .strip_prefix(&format!("/{}", lang.code()))
        .unwrap_or(&action)
        .to_owned();
    let mut chrome = Chrome::new(
        lang,
        forms::title(lang, heading, &errors),
        "",
        &rest,
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    chrome.form_script = true;
    let official = visitor.user.as_ref().is_some_and(|u| u.role == "official");
    let language = if form.language.is_empty() {
        lang.code()
    } else {
        &form.language
    };
    CommentPage {
        chrome,
        errors,
        heading,
        consultation_title: title_of(lang, shown.detail),
        back_href: match &shown.provision {
            Some(p) => format!("{base}#p-{}", p.path),
            None => base.clone(),
        },
        provision: shown.provision,
        action,
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        path: form.path.clone(),
        quote: form.quote.clone(),
        text: form.text.clone(),
        languages: languages(language),
        channels: if official && kind != "edit" {
            channels(lang, &form.channel)
        } else {
            Vec::new()
        },
        text_hint: i18n::fmt(
            lang,
            "hint-comment",
            &[(
                "max",
                i18n::FluentValue::from(i64::try_from(MAX_COMMENT_CHARS).unwrap_or(i64::MAX)),
            )],
        ),
        replying_to: shown.replying_to,
        kind,
    }
}

fn check_text(lang: Lang, form: &CommentForm, errors: &mut Errors) {
    let t = lang.t();
    let length = forms::chars(form.text.trim());
    if length == 0 {
        errors.add("text", t.error_comment_empty);
    } else if length > MAX_COMMENT_CHARS {
        errors.add(
            "text",
            i18n::fmt(
                lang,
                "error-comment-long",
                &[(
                    "max",
                    i18n::FluentValue::from(i64::try_from(MAX_COMMENT_CHARS).unwrap_or(i64::MAX)),
                )],
            ),
        );
    }
    if Lang::from_code(&form.language).is_none() {
        errors.add("language-kk", t.error_choose_language);
    }
}

/// Which field a refusal from the command API is about, so the summary links to it.
fn field_of(code: Option<&str>) -> &'static str {
    match code {
        Some("quote_not_found" | "quote_without_provision") => "quote",
        Some("empty_text" | "text_too_long") => "text",
        Some("wrong_channel") => "channel",
        _ => "",
    }
}

fn refused_page(
    here: Here<'_>,
    kind: &'static str,
    action: String,
    shown: Shown<'_>,
    form: &CommentForm,
    error: &super::commands::CommandError,
) -> Response {
    let errors = forms::refused(here.lang, field_of(error.code()), error, Context::default());
    private(html(
        refused_status(error),
        &comment_page(here, kind, action, shown, form, errors),
    ))
}

fn closed(app: &App, lang: Lang) -> Response {
    let t = lang.t();
    crate::views::MessagePage::render(
        app,
        lang,
        StatusCode::GONE,
        t.commenting_closed_title,
        t.commenting_closed_text,
    )
}

/// `GET /{lang}/consultations/{id}/comment?path=…`: a proposal on a provision or the draft.
pub(crate) async fn comment_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    query: Result<axum::extract::Query<CommentQuery>, QueryRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = consultation_for(&app, lang, &id).await?;
    let here = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), ToString::to_string);
    if visitor.user.is_none() {
        return Ok(forms::sign_in_then(lang, &here));
    }
    if detail.status != ConsultationStatus::Open {
        return Ok(closed(&app, lang));
    }
    let provision_path = crate::routes::query(query).path.filter(|p| !p.is_empty());
    let provision = match &provision_path {
        Some(p) => Some(
            provision(&app, lang, detail.id, p)
                .await?
                .ok_or(Failure::NotFound(lang))?,
        ),
        None => None,
    };
    let form = CommentForm {
        path: provision_path.unwrap_or_default(),
        ..CommentForm::default()
    };
    let action = format!("/{}/consultations/{}/comment", lang.code(), detail.id);
    let shown = Shown {
        detail: &detail,
        provision,
        replying_to: None,
    };
    let page = comment_page(
        Here {
            app: &app,
            visitor: &visitor,
            lang,
        },
        "comment",
        action,
        shown,
        &form,
        Errors::default(),
    );
    Ok(private(html(StatusCode::OK, &page)))
}

#[derive(Debug, Deserialize)]
struct Posted {
    comment_id: Option<String>,
}

/// `POST /{lang}/consultations/{id}/comment`.
pub(crate) async fn comment(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = consultation_for(&app, lang, &id).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let provision_path = Some(form.path.trim()).filter(|p| !p.is_empty());
    let provision = match provision_path {
        Some(p) => Some(
            provision(&app, lang, detail.id, p)
                .await?
                .ok_or(Failure::NotFound(lang))?,
        ),
        None => None,
    };
    let action = uri.path().to_owned();
    let shown = Shown {
        detail: &detail,
        provision,
        replying_to: None,
    };
    let mut errors = Errors::default();
    check_text(lang, &form, &mut errors);
    if !errors.is_empty() {
        let page = comment_page(
            Here {
                app: &app,
                visitor: &visitor,
                lang,
            },
            "comment",
            action,
            shown,
            &form,
            errors,
        );
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let quote = Some(form.quote.trim()).filter(|q| !q.is_empty() && provision_path.is_some());
    let mut body = json!({ "language": form.language, "text": form.text.trim() });
    if let Some(path) = provision_path {
        body["path"] = json!(path);
    }
    if let Some(quote) = quote {
        body["quote"] = json!(quote);
    }
    if !form.channel.is_empty() && visitor.user.as_ref().is_some_and(|u| u.role == "official") {
        body["channel"] = json!(form.channel);
    }
    let posted: Result<Posted, Outcome> = command(
        &app,
        &visitor,
        Method::POST,
        &format!("/consultations/{}/comments", detail.id),
        Some(&body),
    )
    .await;
    match posted {
        Ok(posted) => {
            let comment = posted.comment_id.unwrap_or_default();
            if let Ok(comment_id) = comment.parse::<Uuid>() {
                until_shown(&app, detail.id, comment_id).await;
            }
            super::flash(&visitor, Flash::CommentPosted).await;
            Ok(forms::see_other(&thread_href(
                lang,
                detail.id,
                provision_path,
                &comment,
            )))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, &action)),
        Err(Outcome::Command(error)) => Ok(refused_page(
            Here {
                app: &app,
                visitor: &visitor,
                lang,
            },
            "comment",
            action,
            shown,
            &form,
            &error,
        )),
    }
}

// ----- replies, edits, stances, flags: all about one existing comment -----

/// The consultation and the comment a form is about.
async fn target(
    app: &App,
    lang: Lang,
    id: &str,
    comment: &str,
) -> Result<(ConsultationDetail, CommentView), Failure> {
    let detail = consultation_for(app, lang, id).await?;
    let comment: Uuid = comment.parse().map_err(|_| Failure::NotFound(lang))?;
    let target = tyndau_read_model::comment_detail(&app.pool, detail.id, comment)
        .await
        .map_err(Failure::read(lang))?
        .map(|d| d.comment)
        .ok_or(Failure::NotFound(lang))?;
    Ok((detail, target))
}

/// The consultation page at the thread `comment` belongs to.
fn back_to_thread(lang: Lang, consultation: Uuid, comment: &CommentView) -> String {
    thread_href(
        lang,
        consultation,
        comment.anchor.path.as_deref(),
        &comment.thread_id.to_string(),
    )
}

fn excerpt(comment: &CommentView) -> Option<String> {
    comment.text.as_ref().map(|text| {
        let mut shown: String = text.chars().take(300).collect();
        if text.chars().count() > 300 {
            shown.push('…');
        }
        shown
    })
}

/// `GET /{lang}/consultations/{id}/comments/{comment}/reply` and `…/edit`.
pub(crate) async fn comment_action_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id, comment, action]) = params(path, ["id", "comment", "action"], &uri, &headers)?;
    let (detail, target) = target(&app, lang, &id, &comment).await?;
    if visitor.user.is_none() {
        return Ok(forms::sign_in_then(lang, uri.path()));
    }
    if detail.status != ConsultationStatus::Open {
        return Ok(closed(&app, lang));
    }
    let here = uri.path().to_owned();
    match action.as_str() {
        "reply" | "edit" => {
            let kind = if action == "reply" { "reply" } else { "edit" };
            let form = CommentForm {
                text: if kind == "edit" {
                    target.text.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                language: target.language.clone(),
                ..CommentForm::default()
            };
            let shown = Shown {
                detail: &detail,
                provision: None,
                replying_to: excerpt(&target),
            };
            let page = comment_page(
                Here {
                    app: &app,
                    visitor: &visitor,
                    lang,
                },
                kind,
                here,
                shown,
                &form,
                Errors::default(),
            );
            Ok(private(html(StatusCode::OK, &page)))
        }
        "flag" => Ok(private(html(
            StatusCode::OK,
            &flag_page(
                Here {
                    app: &app,
                    visitor: &visitor,
                    lang,
                },
                &detail,
                &target,
                here,
                "",
                Errors::default(),
            ),
        ))),
        _ => Err(Failure::NotFound(lang)),
    }
}

/// `POST /{lang}/consultations/{id}/comments/{comment}/{reply|edit}`.
pub(crate) async fn comment_action(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id, comment, action]) = params(path, ["id", "comment", "action"], &uri, &headers)?;
    let (detail, target) = target(&app, lang, &id, &comment).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let here = uri.path().to_owned();
    let kind = match action.as_str() {
        "reply" => "reply",
        "edit" => "edit",
        _ => return Err(Failure::NotFound(lang)),
    };
    let shown = Shown {
        detail: &detail,
        provision: None,
        replying_to: excerpt(&target),
    };
    let mut errors = Errors::default();
    check_text(lang, &form, &mut errors);
    if kind == "edit" {
        // An edit keeps the comment's language; only the text changes.
        errors.0.retain(|e| e.id != "language-kk");
    }
    if !errors.is_empty() {
        let page = comment_page(
            Here {
                app: &app,
                visitor: &visitor,
                lang,
            },
            kind,
            here,
            shown,
            &form,
            errors,
        );
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let (method, api_path, body, flash) = if kind == "reply" {
        let mut body = json!({ "language": form.language, "text": form.text.trim() });
        if !form.channel.is_empty() && visitor.user.as_ref().is_some_and(|u| u.role == "official") {
            body["channel"] = json!(form.channel);
        }
        (
            Method::POST,
            format!("/consultations/{}/comments/{}/replies", detail.id, target.id),
            body,
            Flash::ReplyPosted,
        )
    } else {
        (
            Method::PATCH,
            format!("/consultations/{}/comments/{}", detail.id, target.id),
            json!({ "text": form.text.trim() }),
            Flash::CommentEdited,
        )
    };
    let done: Result<Posted, Outcome> = command(&app, &visitor, method, &api_path, Some(&body)).await;
    match done {
        Ok(posted) => {
            let shown_id = posted.comment_id.unwrap_or_else(|| target.id.to_string());
            if let Ok(comment_id) = shown_id.parse::<Uuid>()
                && kind == "reply"
            {
                until_shown(&app, detail.id, comment_id).await;
            }
            super::flash(&visitor, flash).await;
            Ok(forms::see_other(&back_to_thread(lang, detail.id, &target)))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, &here)),
        Err(Outcome::Command(error)) => Ok(refused_page(
            Here {
                app: &app,
                visitor: &visitor,
                lang,
            },
            kind,
            here,
            shown,
            &form,
            &error,
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StanceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    stance: String,
}

/// `POST /{lang}/consultations/{id}/comments/{comment}/stance`: agree, disagree, or neither.
pub(crate) async fn stance(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<StanceForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id, comment]) = params(path, ["id", "comment"], &uri, &headers)?;
    let (detail, target) = target(&app, lang, &id, &comment).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let back = back_to_thread(lang, detail.id, &target);
    if !matches!(form.stance.as_str(), "agree" | "disagree" | "none") {
        return Ok(forms::see_other(&back));
    }
    let taken: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::PUT,
        &format!("/consultations/{}/comments/{}/stance", detail.id, target.id),
        Some(&json!({ "stance": form.stance })),
    )
    .await;
    match taken {
        Ok(_) => {
            super::flash(&visitor, Flash::StanceTaken).await;
            Ok(forms::see_other(&back))
        }
        Err(Outcome::NotSignedIn(why)) => Ok(forms::not_signed_in(&app, lang, why, &back)),
        Err(Outcome::Command(error)) => {
            let text = forms::problem_text(lang, &error, Context::default());
            let page = crate::views::ProblemPage::new(&app, &visitor, lang, text, back);
            Ok(private(html(refused_status(&error), &page)))
        }
    }
}

// ----- flags -----

#[derive(Template)]
#[template(path = "account/flag.html")]
pub(crate) struct FlagPage {
    pub chrome: Chrome,
    pub errors: Errors,
    pub consultation_title: TextView,
    pub excerpt: Option<String>,
    pub action: String,
    pub back_href: String,
    pub csrf: String,
    /// (code, field id, label, checked).
    pub reasons: Vec<(&'static str, String, &'static str, bool)>,
}

fn flag_page(
    here: Here<'_>,
    detail: &ConsultationDetail,
    target: &CommentView,
    action: String,
    selected: &str,
    errors: Errors,
) -> FlagPage {
    let Here { app, visitor, lang } = here;
    let t = lang.t();
    let rest = action
        .strip_prefix(&format!("/{}", lang.code()))
        .unwrap_or(&action)
        .to_owned();
    let chrome = Chrome::new(
        lang,
        forms::title(lang, t.flag_title, &errors),
        "",
        &rest,
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    FlagPage {
        chrome,
        errors,
        consultation_title: title_of(lang, detail),
        excerpt: excerpt(target),
        back_href: back_to_thread(lang, detail.id, target),
        action,
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        reasons: ["abusive", "spam", "personal_data", "unlawful", "off_topic"]
            .into_iter()
            .map(|r| {
                (
                    r,
                    format!("reason-{}", r.replace('_', "-")),
                    i18n::flag_reason(lang, r),
                    r == selected,
                )
            })
            .collect(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FlagForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `POST /{lang}/consultations/{id}/comments/{comment}/flag`.
pub(crate) async fn flag(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<FlagForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id, comment]) = params(path, ["id", "comment"], &uri, &headers)?;
    let (detail, target) = target(&app, lang, &id, &comment).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let here = uri.path().to_owned();
    let reasons = ["abusive", "spam", "personal_data", "unlawful", "off_topic"];
    if !reasons.contains(&form.reason.as_str()) {
        let mut errors = Errors::default();
        errors.add("reason-abusive", lang.t().error_choose_flag_reason);
        let page = flag_page(
            Here {
                app: &app,
                visitor: &visitor,
                lang,
            },
            &detail,
            &target,
            here,
            "",
            errors,
        );
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let flagged: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::POST,
        &format!("/consultations/{}/comments/{}/flags", detail.id, target.id),
        Some(&json!({ "reason": form.reason })),
    )
    .await;
    match flagged {
        Ok(_) => {}
        Err(Outcome::Command(e)) if e.code() == Some("already_flagged") => {}
        Err(Outcome::NotSignedIn(why)) => return Ok(forms::not_signed_in(&app, lang, why, &here)),
        Err(Outcome::Command(error)) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            let page = flag_page(
                Here {
                    app: &app,
                    visitor: &visitor,
                    lang,
                },
                &detail,
                &target,
                here,
                &form.reason,
                errors,
            );
            return Ok(private(html(refused_status(&error), &page)));
        }
    }
    super::flash(&visitor, Flash::Flagged).await;
    Ok(forms::see_other(&back_to_thread(lang, detail.id, &target)))
}

/// What a signed-in visitor may do with each comment on the consultation page.
#[derive(Debug, Clone, Default)]
pub struct CommentActions {
    pub reply_href: String,
    pub flag_href: String,
    /// Their own comment without replies yet.
    pub edit_href: Option<String>,
    /// The stance form (not on one's own comment).
    pub stance_action: Option<String>,
    pub csrf: String,
}

/// The actions on `comment` for `visitor` (who wrote `own`), on an open consultation.
pub(crate) fn actions(
    lang: Lang,
    visitor: &Visitor,
    consultation: Uuid,
    comment: &CommentView,
    own: &[Uuid],
) -> Option<CommentActions> {
    let user = visitor.user.as_ref()?;
    if comment.hidden.is_some() {
        return None;
    }
    let base = format!(
        "/{}/consultations/{consultation}/comments/{}",
        lang.code(),
        comment.id
    );
    let mine = own.contains(&comment.id);
    Some(CommentActions {
        reply_href: format!("{base}/reply"),
        flag_href: format!("{base}/flag"),
        edit_href: (mine && comment.replies == 0).then(|| format!("{base}/edit")),
        stance_action: (!mine && user.is_citizen()).then(|| format!("{base}/stance")),
        csrf: user.csrf.clone(),
    })
}

/// The ids of the visitor's own comments (for "Edit" and to leave out their stance buttons).
pub(crate) async fn own_comments(app: &App, visitor: &Visitor) -> Vec<Uuid> {
    if visitor.citizen().is_none() {
        return Vec::new();
    }
    let own: Result<super::me::OwnComments, Outcome> =
        command(app, visitor, Method::GET, "/me/comments", None).await;
    own.map(|o| {
        o.comments
            .into_iter()
            .filter_map(|c| c.comment_id.parse().ok())
            .collect()
    })
    .unwrap_or_default()
}
