//! The proposals queue of one consultation: unanswered first, filterable by provision, channel
//! and region, each with its quoted text; the answer form (a decision, a reason in Kazakh and
//! Russian, optionally the provision and version that changed, or the proposal it duplicates);
//! and bulk answers to duplicates of one proposal with one reason (one command per proposal:
//! the command API stays the judge of each).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use tyndau_read_model::office::{self, OfficeConsultation, ProposalFilter, QueuedProposal};
use uuid::Uuid;

use super::{Choice, Refusal, Tr};
use crate::account::Visitor;
use crate::account::forms::{self, Errors};
use crate::account::petitions::private;
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params, query};
use crate::views::Chrome;

const PAGE: u32 = 25;
pub(crate) const DISPOSITIONS: [&str; 6] = [
    "accepted",
    "partially_accepted",
    "rejected",
    "noted",
    "out_of_scope",
    "duplicate",
];

pub(crate) struct ProposalRow {
    pub id: String,
    pub text: String,
    pub quote: Option<String>,
    pub provision: String,
    pub channel: String,
    pub region: String,
    pub posted: String,
    pub answer: Option<String>,
    pub hidden: bool,
    pub href: String,
}

fn row(lang: Lang, c: &OfficeConsultation, p: &QueuedProposal) -> ProposalRow {
    let comment = &p.comment;
    ProposalRow {
        id: comment.id.to_string(),
        text: comment.text.clone().unwrap_or_default(),
        quote: comment.anchor.quote.clone(),
        provision: comment
            .anchor
            .path
            .as_deref()
            .map(|path| i18n::provision(lang, path))
            .unwrap_or_else(|| Tr(lang).t("office-whole-draft").to_owned()),
        channel: i18n::channel(lang, &comment.channel),
        region: p
            .region
            .as_deref()
            .and_then(|r| r.parse().ok())
            .map(|r| i18n::region_name(lang, r).to_owned())
            .unwrap_or_default(),
        posted: i18n::date(lang, comment.posted_at),
        answer: comment
            .answer
            .as_ref()
            .map(|a| i18n::disposition(lang, &a.disposition)),
        hidden: comment.hidden.is_some(),
        href: format!(
            "/{}/office/consultations/{}/proposals/{}",
            lang.code(),
            c.id,
            comment.id
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    provision: Option<String>,
    channel: Option<String>,
    region: Option<String>,
    /// `all`: answered ones too.
    show: Option<String>,
    page: Option<u32>,
}

pub(crate) struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "office/proposals.html")]
pub(crate) struct QueuePage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub back_href: String,
    pub action: String,
    pub total: String,
    pub unanswered: i64,
    pub rows: Vec<ProposalRow>,
    pub provisions: Vec<FilterOption>,
    pub channels: Vec<FilterOption>,
    pub regions: Vec<FilterOption>,
    pub show_all: bool,
    pub next_href: Option<String>,
    pub bulk_action: String,
    pub csrf: String,
    pub bulk: BulkForm,
    pub bulk_done: Option<String>,
}

fn empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

async fn queue_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    c: &OfficeConsultation,
    q: QueueQuery,
    bulk: BulkForm,
    errors: Errors,
) -> Result<QueuePage, Failure> {
    let tr = Tr(lang);
    let code = lang.code();
    let filter = ProposalFilter {
        unanswered_only: q.show.as_deref() != Some("all"),
        provision: empty(q.provision.clone()),
        channel: empty(q.channel.clone()),
        region: empty(q.region.clone()),
    };
    let page_no = q.page.unwrap_or(0).min(10_000);
    let (queue, provisions) = tokio::try_join!(
        office::proposals(&app.pool, c.id, &filter, page_no * PAGE, PAGE),
        office::provisions(&app.pool, c.id, c.current_version),
    )
    .map_err(Failure::read(lang))?;
    let base = format!("/{code}/office/consultations/{}/proposals", c.id);
    let next_href = (i64::from((page_no + 1) * PAGE) < queue.total).then(|| {
        let mut query = form_urlencoded_pairs(&filter, q.show.as_deref());
        query.push(("page", (page_no + 1).to_string()));
        format!("{base}?{}", encode_query(&query))
    });
    let option = |value: &str, label: String, current: &Option<String>| FilterOption {
        value: value.to_owned(),
        label,
        selected: current.as_deref() == Some(value),
    };
    Ok(QueuePage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-proposals"), &errors),
            &format!("/office/consultations/{}/proposals", c.id),
        ),
        tr,
        errors,
        title: super::title_of(lang, &c.content),
        back_href: format!("/{code}/office/consultations/{}", c.id),
        action: base.clone(),
        total: i18n::proposals(lang, queue.total),
        unanswered: c.unanswered,
        rows: queue.items.iter().map(|p| row(lang, c, p)).collect(),
        provisions: provisions
            .iter()
            .map(|p| {
                let path = p.path.to_string();
                option(&path, i18n::provision(lang, &path), &filter.provision)
            })
            .collect(),
        channels: tyndau_events::comment::Channel::ALL
            .iter()
            .filter_map(|c| serde_json::to_value(c).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .map(|code| option(&code, i18n::channel(lang, &code), &filter.channel))
            .collect(),
        regions: tyndau_ids::Region::ALL
            .iter()
            .map(|r| option(r.code(), i18n::region_name(lang, *r).to_owned(), &filter.region))
            .collect(),
        show_all: !filter.unanswered_only,
        next_href,
        bulk_action: format!("{base}/duplicates"),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        bulk,
        bulk_done: None,
    })
}

fn form_urlencoded_pairs(filter: &ProposalFilter, show: Option<&str>) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    for (name, value) in [
        ("provision", &filter.provision),
        ("channel", &filter.channel),
        ("region", &filter.region),
    ] {
        if let Some(value) = value {
            pairs.push((name, value.clone()));
        }
    }
    if let Some(show) = show {
        pairs.push(("show", show.to_owned()));
    }
    pairs
}

fn encode_query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::pages::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `GET /{lang}/office/consultations/{id}/proposals`.
pub(crate) async fn queue(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    q: Result<Query<QueueQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let c = match super::consultations::own_consultation(&app, &visitor, lang, uri.path(), &id).await? {
        Ok(c) => c,
        Err(response) => return Ok(response),
    };
    let page = queue_page(
        &app,
        &visitor,
        lang,
        &c,
        query(q),
        BulkForm::default(),
        Errors::default(),
    )
    .await?;
    Ok(private(html(StatusCode::OK, &page)))
}

// ----- one answer -----

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    disposition: String,
    #[serde(default)]
    reason_kk: String,
    #[serde(default)]
    reason_ru: String,
    #[serde(default)]
    changed_path: String,
    #[serde(default)]
    changed_version: String,
    #[serde(default)]
    duplicate_of: String,
}

pub(crate) struct HistoryRow {
    pub disposition: String,
    pub reason: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "office/proposal_answer.html")]
pub(crate) struct AnswerPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub back_href: String,
    pub proposal: ProposalRow,
    pub public_href: String,
    pub history: Vec<HistoryRow>,
    pub action: String,
    pub csrf: String,
    pub dispositions: Vec<Choice>,
    pub form: AnswerForm,
}

async fn answer_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    c: &OfficeConsultation,
    p: &QueuedProposal,
    mut form: AnswerForm,
    errors: Errors,
) -> Result<AnswerPage, Failure> {
    let tr = Tr(lang);
    let code = lang.code();
    let detail = tyndau_read_model::comment_detail(&app.pool, *c.id.as_uuid(), p.comment.id)
        .await
        .map_err(Failure::read(lang))?;
    let history = detail
        .map(|d| {
            d.answers
                .iter()
                .map(|a| HistoryRow {
                    disposition: i18n::disposition(lang, &a.disposition),
                    reason: i18n::pick_json(lang, &a.reason)
                        .map(|s| s.value)
                        .unwrap_or_default(),
                    at: i18n::date_time(lang, a.answered_at),
                })
                .collect()
        })
        .unwrap_or_default();
    if form.disposition.is_empty()
        && let Some(answer) = &p.comment.answer
    {
        // Changing an answer starts from the current one.
        form.disposition = answer.disposition.clone();
        form.reason_kk = answer
            .reason
            .get("kk")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        form.reason_ru = answer
            .reason
            .get("ru")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
    }
    if form.changed_version.is_empty() {
        form.changed_version = c.current_version.to_string();
    }
    Ok(AnswerPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-answer-proposal"), &errors),
            &format!("/office/consultations/{}/proposals/{}", c.id, p.comment.id),
        ),
        tr,
        errors,
        title: super::title_of(lang, &c.content),
        back_href: format!("/{code}/office/consultations/{}/proposals", c.id),
        proposal: row(lang, c, p),
        public_href: format!("/{code}/consultations/{}/comments/{}", c.id, p.comment.id),
        history,
        action: format!("/{code}/office/consultations/{}/proposals/{}", c.id, p.comment.id),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        dispositions: DISPOSITIONS
            .iter()
            .map(|d| {
                Choice::new(
                    "disposition",
                    d,
                    i18n::disposition(lang, d),
                    form.disposition == *d,
                )
            })
            .collect(),
        form,
    })
}

async fn proposal(
    app: &App,
    lang: Lang,
    c: &OfficeConsultation,
    comment: &str,
) -> Result<QueuedProposal, Failure> {
    let comment: Uuid = comment.parse().map_err(|_| Failure::NotFound(lang))?;
    office::comment(&app.pool, c.id, comment)
        .await
        .map_err(Failure::read(lang))?
        .filter(|p| p.comment.depth == 0)
        .ok_or(Failure::NotFound(lang))
}

/// `GET /{lang}/office/consultations/{id}/proposals/{comment}`.
pub(crate) async fn answer_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id, comment]) = params(path, ["id", "comment"], &uri, &headers)?;
    let c = match super::consultations::own_consultation(&app, &visitor, lang, uri.path(), &id).await? {
        Ok(c) => c,
        Err(response) => return Ok(response),
    };
    let p = proposal(&app, lang, &c, &comment).await?;
    let page = answer_page(
        &app,
        &visitor,
        lang,
        &c,
        &p,
        AnswerForm::default(),
        Errors::default(),
    )
    .await?;
    Ok(private(html(StatusCode::OK, &page)))
}

/// The answer's JSON, or the fields' errors.
fn answer_body(lang: Lang, form: &AnswerForm) -> Result<Value, Errors> {
    let tr = Tr(lang);
    let mut errors = Errors::default();
    if !DISPOSITIONS.contains(&form.disposition.as_str()) {
        errors.add("disposition-accepted", tr.t("office-error-decision"));
    }
    if form.reason_kk.trim().is_empty() {
        errors.add("reason-kk", tr.t("office-error-reason-kk"));
    }
    if form.reason_ru.trim().is_empty() {
        errors.add("reason-ru", tr.t("office-error-reason-ru"));
    }
    let duplicate_of = form.duplicate_of.trim();
    if form.disposition == "duplicate" && duplicate_of.parse::<Uuid>().is_err() {
        errors.add("duplicate-of", tr.t("office-error-duplicate-of"));
    }
    let changed_path = form.changed_path.trim();
    let changed_version: Option<u32> = form.changed_version.trim().parse().ok();
    if !changed_path.is_empty() && changed_version.is_none() {
        errors.add("changed-version", tr.t("office-error-version"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut body = json!({
        "disposition": form.disposition,
        "reason": { "kk": form.reason_kk.trim(), "ru": form.reason_ru.trim() },
    });
    if !changed_path.is_empty() {
        body["changed"] = json!({ "version": changed_version, "path": changed_path });
    }
    if form.disposition == "duplicate" {
        body["duplicate_of"] = Value::String(duplicate_of.to_owned());
    }
    Ok(body)
}

/// `POST /{lang}/office/consultations/{id}/proposals/{comment}`.
pub(crate) async fn answer(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<axum::Form<AnswerForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id, comment]) = params(path, ["id", "comment"], &uri, &headers)?;
    let form = form.map(|axum::Form(f)| f).unwrap_or_default();
    let c = super::consultations::consultation_by(&app, lang, &id).await?;
    let p = proposal(&app, lang, &c, &comment).await?;
    let body = match answer_body(lang, &form) {
        Ok(body) => body,
        Err(errors) => {
            if let Err(response) =
                crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
            {
                return Ok(response);
            }
            let page = answer_page(&app, &visitor, lang, &c, &p, form, errors).await?;
            return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
        }
    };
    let done: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &format!("/consultations/{}/comments/{}/answer", c.id, p.comment.id),
        Some(&body),
    )
    .await;
    match done {
        Ok(_) => {}
        // A double click: the same answer is already the current one.
        Err(Refusal::Command(e)) if e.code() == Some("same_answer") => {}
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let field = match error.code() {
                Some("reason_required") => "reason-kk",
                Some("duplicate_target_required" | "invalid_duplicate") => "duplicate-of",
                Some("unknown_changed_provision" | "unknown_provision") => "changed-path",
                _ => "",
            };
            let errors = super::refused(lang, field, &error);
            let page = answer_page(&app, &visitor, lang, &c, &p, form, errors).await?;
            return Ok(private(html(super::status(&error), &page)));
        }
    }
    super::done(&visitor, "office-flash-proposal-answered").await;
    Ok(forms::see_other(&format!(
        "/{}/office/consultations/{}/proposals",
        lang.code(),
        c.id
    )))
}

// ----- duplicates in bulk -----

#[derive(Clone, Debug, Default)]
pub(crate) struct BulkForm {
    pub original: String,
    pub reason_kk: String,
    pub reason_ru: String,
    pub selected: Vec<String>,
}

/// `POST /{lang}/office/consultations/{id}/proposals/duplicates`: the ticked proposals are
/// answered "duplicate of" the original, with one reason. The form repeats `selected`, which
/// the plain form extractor cannot hold, so the body is read as pairs.
pub(crate) async fn duplicates(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let tr = Tr(lang);
    let mut csrf = String::new();
    let mut bulk = BulkForm::default();
    for (key, value) in form_urlencoded::parse(&body) {
        let value = value.into_owned();
        match key.as_ref() {
            "csrf" => csrf = value,
            "original" => bulk.original = value,
            "reason_kk" => bulk.reason_kk = value,
            "reason_ru" => bulk.reason_ru = value,
            "selected" => bulk.selected.push(value),
            _ => {}
        }
    }
    let c = super::consultations::consultation_by(&app, lang, &id).await?;
    if let Err(response) = crate::account::petitions::guard(&app, &visitor, &headers, lang, &csrf, uri.path())
    {
        return Ok(response);
    }
    let mut errors = Errors::default();
    let original: Option<Uuid> = bulk.original.trim().parse().ok();
    if original.is_none() {
        errors.add("original", tr.t("office-error-duplicate-of"));
    }
    if bulk.selected.is_empty() {
        errors.add("bulk-selected", tr.t("office-error-none-selected"));
    }
    if bulk.reason_kk.trim().is_empty() {
        errors.add("bulk-reason-kk", tr.t("office-error-reason-kk"));
    }
    if bulk.reason_ru.trim().is_empty() {
        errors.add("bulk-reason-ru", tr.t("office-error-reason-ru"));
    }
    let mut answered = 0i64;
    if errors.is_empty() {
        let body = json!({
            "disposition": "duplicate",
            "reason": { "kk": bulk.reason_kk.trim(), "ru": bulk.reason_ru.trim() },
            "duplicate_of": bulk.original.trim(),
        });
        for selected in &bulk.selected {
            let Ok(comment) = selected.parse::<Uuid>() else {
                continue;
            };
            let done: Result<Value, Refusal> = super::act(
                &app,
                &visitor,
                &headers,
                lang,
                &csrf,
                uri.path(),
                Method::POST,
                &format!("/consultations/{}/comments/{comment}/answer", c.id),
                Some(&body),
            )
            .await;
            match done {
                Ok(_) => answered += 1,
                Err(Refusal::Command(e)) if e.code() == Some("same_answer") => answered += 1,
                Err(Refusal::Response(response)) => return Ok(response),
                Err(Refusal::Command(error)) => {
                    // Stop at the first refusal: the rest would most likely be refused alike.
                    errors = super::refused(lang, "", &error);
                    break;
                }
            }
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if errors.is_empty() {
        super::done(&visitor, "office-flash-duplicates").await;
        return Ok(forms::see_other(&format!(
            "/{}/office/consultations/{}/proposals",
            lang.code(),
            c.id
        )));
    }
    let mut page = queue_page(&app, &visitor, lang, &c, QueueQuery::default(), bulk, errors).await?;
    if answered > 0 {
        page.bulk_done = Some(i18n::fmt(
            lang,
            "office-duplicates-partial",
            &[("count", i18n::FluentValue::from(answered))],
        ));
    }
    Ok(private(html(status, &page)))
}
