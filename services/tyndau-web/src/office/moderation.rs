//! The moderators' queues: petitions awaiting moderation (oldest first, with the working days
//! left), flagged comments (most flagged first), and signature invalidation with a preview of
//! what a rule would remove before it is confirmed.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::extract::State;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use time::{OffsetDateTime, PrimitiveDateTime};
use tyndau_ids::{ConsultationId, PetitionId};
use tyndau_read_model::office;
use uuid::Uuid;

use super::{Choice, Due, Refusal, Role, Tr};
use crate::account::Visitor;
use crate::account::forms::{self, Errors};
use crate::account::petitions::private;
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::{App, Failure, Params, html, params, query};
use crate::views::Chrome;

const HIDE_REASONS: [&str; 5] = ["abusive", "spam", "personal_data", "unlawful", "off_topic"];
const INVALIDATION_REASONS: [(&str, &str); 4] = [
    ("automated", "office-invalidation-automated"),
    ("stolen_identities", "office-invalidation-stolen-identities"),
    ("bought", "office-invalidation-bought"),
    ("identity_provider_incident", "office-invalidation-idp-incident"),
];

fn is_moderator(role: &Role) -> bool {
    *role == Role::Moderator
}

// ----- the queues -----

pub(crate) struct PendingRow {
    pub title: String,
    pub href: String,
    pub addressee: String,
    pub submitted: String,
    pub due: Option<Due>,
}

pub(crate) struct FlaggedRow {
    pub consultation: String,
    pub text: String,
    pub flags: i32,
    pub href: String,
}

#[derive(Template)]
#[template(path = "office/moderation.html")]
pub(crate) struct QueuesPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub pending: Vec<PendingRow>,
    pub flagged: Vec<FlaggedRow>,
    pub invalidation_action: String,
    pub errors: Errors,
    pub petition: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueuesQuery {
    petition: Option<String>,
}

/// `GET /{lang}/office/moderation`; with `?petition=` (an id or a petition's address) it goes
/// on to that petition's invalidation form.
pub(crate) async fn queues(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    q: Result<Query<QueuesQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), is_moderator) {
        return Ok(response);
    }
    let q: QueuesQuery = query(q);
    let tr = Tr(lang);
    let mut errors = Errors::default();
    if let Some(given) = q.petition.as_deref() {
        match petition_in(given) {
            Some(id) => {
                return Ok(forms::see_other(&format!(
                    "/{}/office/moderation/petitions/{id}/invalidation",
                    lang.code()
                )));
            }
            None => errors.add("petition", tr.t("office-error-petition-address")),
        }
    }
    let (pending, flagged) = tokio::try_join!(
        office::pending_petitions(&app.pool),
        office::flagged_comments(&app.pool, 100),
    )
    .map_err(Failure::read(lang))?;
    let now = OffsetDateTime::now_utc();
    let code = lang.code();
    let page = QueuesPage {
        chrome: super::chrome(
            &app,
            &visitor,
            lang,
            forms::title(lang, tr.t("office-moderation"), &errors),
            "/office/moderation",
        ),
        tr,
        pending: pending
            .iter()
            .map(|p| PendingRow {
                title: super::petition_texts(lang, &p.content).0,
                href: format!("/{code}/office/moderation/petitions/{}", p.id),
                addressee: crate::bodies::name(lang, &p.addressee_body),
                submitted: p.submitted_at.map(|at| i18n::date(lang, at)).unwrap_or_default(),
                due: p.moderation_due.map(|due| Due::of(lang, due, now)),
            })
            .collect(),
        flagged: flagged
            .iter()
            .map(|f| FlaggedRow {
                consultation: super::title_of(lang, &f.consultation_content),
                text: f.comment.text.clone().unwrap_or_default(),
                flags: f.flags,
                href: format!(
                    "/{code}/office/moderation/comments/{}/{}",
                    f.consultation_id, f.comment.id
                ),
            })
            .collect(),
        invalidation_action: format!("/{code}/office/moderation"),
        petition: q.petition.unwrap_or_default(),
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(private(html(status, &page)))
}

/// A petition id, given alone or as the last segment of a petition's address.
fn petition_in(given: &str) -> Option<PetitionId> {
    let given = given.trim().trim_end_matches('/');
    let last = given.rsplit('/').next().unwrap_or(given);
    last.split(['?', '#']).next().and_then(|id| id.parse().ok())
}

// ----- one petition to moderate -----

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct ModerateForm {
    #[serde(default)]
    csrf: String,
    /// `publish` or `reject`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    explanation: String,
}

#[derive(Template)]
#[template(path = "office/moderate_petition.html")]
pub(crate) struct ModeratePage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub request: String,
    pub text: String,
    pub addressee: String,
    pub due: Option<Due>,
    pub action: String,
    pub csrf: String,
    pub decisions: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub form: ModerateForm,
}

async fn pending(app: &App, lang: Lang, id: &str) -> Result<office::PendingPetition, Failure> {
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    office::pending_petition(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))
}

fn moderate_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    petition: &office::PendingPetition,
    form: ModerateForm,
    errors: Errors,
) -> ModeratePage {
    let tr = Tr(lang);
    let (title, request, text) = super::petition_texts(lang, &petition.content);
    let reasons = tyndau_events::petition::RejectionReason::ALL
        .iter()
        .map(|reason| {
            let code = serde_json::to_value(reason)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let checked = form.reason == code;
            Choice::new("reason", &code, i18n::rejection_reason(lang, *reason), checked)
        })
        .collect();
    ModeratePage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-moderate-petition"), &errors),
            &format!("/office/moderation/petitions/{}", petition.id),
        ),
        tr,
        title,
        request,
        text,
        addressee: crate::bodies::name(lang, &petition.addressee_body),
        due: petition
            .moderation_due
            .map(|due| Due::of(lang, due, OffsetDateTime::now_utc())),
        action: format!("/{}/office/moderation/petitions/{}", lang.code(), petition.id),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        decisions: [
            ("publish", "office-decision-publish"),
            ("reject", "office-decision-reject"),
        ]
        .iter()
        .map(|(code, id)| Choice::new("decision", code, tr.t(id), form.decision == *code))
        .collect(),
        reasons,
        form,
        errors,
    }
}

/// `GET /{lang}/office/moderation/petitions/{id}`.
pub(crate) async fn petition_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), is_moderator) {
        return Ok(response);
    }
    let petition = pending(&app, lang, &id).await?;
    let page = moderate_page(
        &app,
        &visitor,
        lang,
        &petition,
        ModerateForm::default(),
        Errors::default(),
    );
    Ok(private(html(StatusCode::OK, &page)))
}

/// `POST /{lang}/office/moderation/petitions/{id}`: publish, or reject with a reason.
pub(crate) async fn moderate_petition(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<ModerateForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let tr = Tr(lang);
    let petition = match pending(&app, lang, &id).await {
        Ok(petition) => petition,
        // Moderated in the meantime (a double click, or another moderator): back to the queue.
        Err(Failure::NotFound(_)) if id.parse::<PetitionId>().is_ok() => {
            return Ok(forms::see_other(&format!("/{}/office/moderation", lang.code())));
        }
        Err(failure) => return Err(failure),
    };
    let mut errors = Errors::default();
    match form.decision.as_str() {
        "publish" => {}
        "reject" => {
            if form.reason.is_empty() {
                errors.add("reason-prohibited-subject", tr.t("office-error-reason"));
            }
            if form.explanation.trim().is_empty() {
                errors.add("explanation", tr.t("office-error-explanation"));
            }
        }
        _ => errors.add("decision-publish", tr.t("office-error-decision")),
    }
    if !errors.is_empty() {
        if let Err(response) =
            crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
        {
            return Ok(response);
        }
        let page = moderate_page(&app, &visitor, lang, &petition, form, errors);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let (api, body, flash) = if form.decision == "publish" {
        (
            format!("/petitions/{}/publish", petition.id),
            None,
            "office-flash-published",
        )
    } else {
        (
            format!("/petitions/{}/reject", petition.id),
            Some(json!({ "reason": form.reason, "explanation": form.explanation.trim() })),
            "office-flash-rejected",
        )
    };
    let done: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &api,
        body.as_ref(),
    )
    .await;
    match done {
        Ok(_) => {}
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let page = moderate_page(&app, &visitor, lang, &petition, form, errors);
            return Ok(private(html(super::status(&error), &page)));
        }
    }
    super::done(&visitor, flash).await;
    Ok(forms::see_other(&format!("/{}/office/moderation", lang.code())))
}

// ----- a flagged comment -----

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    csrf: String,
    /// `hide` or `dismiss`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    flags_seen: String,
}

#[derive(Template)]
#[template(path = "office/moderate_comment.html")]
pub(crate) struct CommentPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub consultation: String,
    pub public_href: String,
    pub text: String,
    pub flags: i32,
    pub flags_text: String,
    pub hidden: Option<String>,
    pub action: String,
    pub csrf: String,
    pub reasons: Vec<Choice>,
    pub form: CommentForm,
}

async fn flagged(
    app: &App,
    lang: Lang,
    consultation: &str,
    comment: &str,
) -> Result<(office::OfficeConsultation, office::QueuedProposal, i32), Failure> {
    let id: ConsultationId = consultation.parse().map_err(|_| Failure::NotFound(lang))?;
    let comment: Uuid = comment.parse().map_err(|_| Failure::NotFound(lang))?;
    let (c, item, flags) = tokio::try_join!(
        office::consultation(&app.pool, id),
        office::comment(&app.pool, id, comment),
        office::comment_flags(&app.pool, comment),
    )
    .map_err(Failure::read(lang))?;
    match (c, item) {
        (Some(c), Some(item)) => Ok((c, item, flags)),
        _ => Err(Failure::NotFound(lang)),
    }
}

fn comment_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    (consultation, item, flags): &(office::OfficeConsultation, office::QueuedProposal, i32),
    form: CommentForm,
    errors: Errors,
) -> CommentPage {
    let tr = Tr(lang);
    let comment = &item.comment;
    CommentPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-moderate-comment"), &errors),
            &format!("/office/moderation/comments/{}/{}", consultation.id, comment.id),
        ),
        tr,
        consultation: super::title_of(lang, &consultation.content),
        public_href: format!(
            "/{}/consultations/{}/comments/{}",
            lang.code(),
            consultation.id,
            comment.id
        ),
        text: comment.text.clone().unwrap_or_default(),
        flags: *flags,
        flags_text: i18n::fmt(
            lang,
            "office-flags",
            &[("count", FluentValue::from(i64::from(*flags)))],
        ),
        hidden: comment
            .hidden
            .as_ref()
            .map(|h| format!("{}: {}", i18n::hide_reason(lang, &h.reason), h.explanation)),
        action: format!(
            "/{}/office/moderation/comments/{}/{}",
            lang.code(),
            consultation.id,
            comment.id
        ),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        reasons: HIDE_REASONS
            .iter()
            .map(|code| {
                Choice::new(
                    "reason",
                    code,
                    i18n::hide_reason(lang, code),
                    form.reason == *code,
                )
            })
            .collect(),
        form,
        errors,
    }
}

/// `GET /{lang}/office/moderation/comments/{consultation}/{comment}`.
pub(crate) async fn comment_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [consultation, comment]) = params(path, ["consultation", "comment"], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), is_moderator) {
        return Ok(response);
    }
    let loaded = flagged(&app, lang, &consultation, &comment).await?;
    let form = CommentForm {
        flags_seen: loaded.2.to_string(),
        ..CommentForm::default()
    };
    let page = comment_page(&app, &visitor, lang, &loaded, form, Errors::default());
    Ok(private(html(StatusCode::OK, &page)))
}

/// `POST /{lang}/office/moderation/comments/{consultation}/{comment}`: hide with a public
/// reason, or dismiss the flags seen.
pub(crate) async fn moderate_comment(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [consultation, comment]) = params(path, ["consultation", "comment"], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let loaded = flagged(&app, lang, &consultation, &comment).await?;
    let tr = Tr(lang);
    let mut errors = Errors::default();
    let (api, body, flash, benign) = match form.action.as_str() {
        "hide" => {
            if !HIDE_REASONS.contains(&form.reason.as_str()) {
                errors.add("reason-abusive", tr.t("office-error-reason"));
            }
            if form.explanation.trim().is_empty() {
                errors.add("explanation", tr.t("office-error-explanation"));
            }
            (
                "hide",
                json!({ "reason": form.reason, "explanation": form.explanation.trim() }),
                "office-flash-hidden",
                "already_hidden",
            )
        }
        _ => {
            let seen: u32 = form.flags_seen.trim().parse().unwrap_or(0);
            (
                "flags/dismissal",
                json!({ "flags_seen": seen }),
                "office-flash-dismissed",
                "no_new_flags",
            )
        }
    };
    if !errors.is_empty() {
        if let Err(response) =
            crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
        {
            return Ok(response);
        }
        let page = comment_page(&app, &visitor, lang, &loaded, form, errors);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let done: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &format!(
            "/consultations/{}/comments/{}/{api}",
            loaded.0.id, loaded.1.comment.id
        ),
        Some(&body),
    )
    .await;
    match done {
        Ok(_) => {}
        // A double click: the first post did it.
        Err(Refusal::Command(e)) if e.code() == Some(benign) => {}
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let page = comment_page(&app, &visitor, lang, &loaded, form, errors);
            return Ok(private(html(super::status(&error), &page)));
        }
    }
    super::done(&visitor, flash).await;
    Ok(forms::see_other(&format!(
        "/{}/office/moderation#flagged",
        lang.code()
    )))
}

// ----- signature invalidation -----

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct InvalidationForm {
    #[serde(default)]
    csrf: String,
    /// Kazakhstan local time, `YYYY-MM-DDTHH:MM` (what `datetime-local` sends).
    #[serde(default)]
    signed_from: String,
    #[serde(default)]
    signed_until: String,
    #[serde(default)]
    network: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    explanation: String,
    /// `preview` or `confirm`.
    #[serde(default)]
    step: String,
}

#[derive(Template)]
#[template(path = "office/invalidation.html")]
pub(crate) struct InvalidationPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub public_href: String,
    pub signatures: String,
    pub action: String,
    pub csrf: String,
    pub reasons: Vec<Choice>,
    pub form: InvalidationForm,
    /// "This rule would remove N signatures", after a preview.
    pub preview: Option<String>,
    /// "N signatures removed", after confirming.
    pub removed: Option<String>,
}

async fn open_petition(
    app: &App,
    lang: Lang,
    id: &str,
) -> Result<tyndau_read_model::PetitionDetail, Failure> {
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    tyndau_read_model::petition_detail(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))
}

fn invalidation_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    detail: &tyndau_read_model::PetitionDetail,
    form: InvalidationForm,
    errors: Errors,
) -> InvalidationPage {
    let tr = Tr(lang);
    let (title, _, _) = super::petition_texts(lang, &detail.content);
    InvalidationPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-invalidation"), &errors),
            &format!("/office/moderation/petitions/{}/invalidation", detail.id),
        ),
        tr,
        title,
        public_href: format!("/{}/petitions/{}", lang.code(), detail.id),
        signatures: i18n::signatures(lang, detail.signatures),
        action: format!(
            "/{}/office/moderation/petitions/{}/invalidation",
            lang.code(),
            detail.id
        ),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        reasons: INVALIDATION_REASONS
            .iter()
            .map(|(code, id)| Choice::new("reason", code, tr.t(id), form.reason == *code))
            .collect(),
        form,
        errors,
        preview: None,
        removed: None,
    }
}

/// `GET /{lang}/office/moderation/petitions/{id}/invalidation`.
pub(crate) async fn invalidation_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), is_moderator) {
        return Ok(response);
    }
    let detail = open_petition(&app, lang, &id).await?;
    let page = invalidation_page(
        &app,
        &visitor,
        lang,
        &detail,
        InvalidationForm::default(),
        Errors::default(),
    );
    Ok(private(html(StatusCode::OK, &page)))
}

/// A `datetime-local` value, read as Kazakhstan time.
fn local_time(value: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let with_seconds = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let value = value.trim();
    PrimitiveDateTime::parse(value, &format)
        .or_else(|_| PrimitiveDateTime::parse(value, &with_seconds))
        .ok()
        .map(|at| at.assume_offset(tyndau_calendar::KAZAKHSTAN_TIME))
}

/// The rule as the command API takes it, or the fields' errors.
fn rule(lang: Lang, form: &InvalidationForm) -> Result<Value, Errors> {
    let tr = Tr(lang);
    let mut errors = Errors::default();
    let mut rule = serde_json::Map::new();
    for (id, name, value) in [
        ("signed-from", "signed_from", &form.signed_from),
        ("signed-until", "signed_until", &form.signed_until),
    ] {
        if value.trim().is_empty() {
            continue;
        }
        match local_time(value) {
            Some(at) => {
                let at = at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                rule.insert(name.to_owned(), Value::String(at));
            }
            None => errors.add(id, tr.t("office-error-time")),
        }
    }
    if !form.network.trim().is_empty() {
        rule.insert(
            "network".to_owned(),
            Value::String(form.network.trim().to_owned()),
        );
    }
    if rule.is_empty() && errors.is_empty() {
        errors.add("signed-from", tr.t("office-error-rule-empty"));
    }
    if !INVALIDATION_REASONS.iter().any(|(code, _)| *code == form.reason) {
        errors.add("reason-automated", tr.t("office-error-reason"));
    }
    if form.explanation.trim().is_empty() {
        errors.add("explanation", tr.t("office-error-explanation"));
    }
    if errors.is_empty() {
        Ok(json!({ "reason": form.reason, "explanation": form.explanation.trim(), "rule": rule }))
    } else {
        Err(errors)
    }
}

#[derive(Deserialize)]
struct Preview {
    would_remove: i64,
}

#[derive(Deserialize)]
struct Removed {
    removed: i64,
}

/// `POST /{lang}/office/moderation/petitions/{id}/invalidation`: preview, then confirm.
pub(crate) async fn invalidate(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<InvalidationForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = open_petition(&app, lang, &id).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let body = match rule(lang, &form) {
        Ok(body) => body,
        Err(errors) => {
            if let Err(response) =
                crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
            {
                return Ok(response);
            }
            let page = invalidation_page(&app, &visitor, lang, &detail, form, errors);
            return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
        }
    };
    let confirm = form.step == "confirm";
    let api = if confirm {
        format!("/petitions/{}/invalidations", detail.id)
    } else {
        format!("/petitions/{}/invalidations/preview", detail.id)
    };
    let outcome: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &api,
        Some(&body),
    )
    .await;
    let mut page;
    match outcome {
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let page = invalidation_page(&app, &visitor, lang, &detail, form, errors);
            return Ok(private(html(super::status(&error), &page)));
        }
        Ok(answer) => {
            page = invalidation_page(&app, &visitor, lang, &detail, form, Errors::default());
            let count = |n: i64| i18n::signatures(lang, n);
            if confirm {
                let removed = serde_json::from_value::<Removed>(answer).map_or(0, |r| r.removed);
                page.removed = Some(i18n::fmt(
                    lang,
                    "office-invalidation-removed",
                    &[("signatures", FluentValue::from(count(removed)))],
                ));
            } else {
                let would = serde_json::from_value::<Preview>(answer).map_or(0, |p| p.would_remove);
                page.preview = Some(i18n::fmt(
                    lang,
                    "office-invalidation-would-remove",
                    &[("signatures", FluentValue::from(count(would)))],
                ));
            }
        }
    }
    Ok(private(html(StatusCode::OK, &page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_petition_is_found_by_its_id_or_its_address() {
        let id = "0190e9a4-5f1c-7b5e-9d1a-3c4b5a6d7e8f";
        for given in [
            id.to_owned(),
            format!("http://127.0.0.1:8087/ru/petitions/{id}"),
            format!("/kk/petitions/{id}/"),
            format!("https://e-petition.example/en/petitions/{id}?x=1"),
        ] {
            assert_eq!(
                petition_in(&given).map(|p| p.to_string()).as_deref(),
                Some(id),
                "{given}"
            );
        }
        assert!(petition_in("not a petition").is_none());
        assert!(petition_in("").is_none());
    }

    #[test]
    fn local_times_are_kazakhstan_time() {
        let at = local_time("2026-12-06T10:30");
        assert_eq!(at, Some(time::macros::datetime!(2026-12-06 05:30 UTC)));
        assert!(local_time("06.12.2026 10:30").is_none());
    }
}
