//! A state body's consultations: drafting one from pasted or uploaded Kazakh and Russian legal
//! text (parsed into provisions and shown side by side, with the line of any numbering problem
//! and the list of provisions missing in one language, before anything is saved), opening it
//! for a period (the legal minimum by default, shown as an end date), publishing a new version
//! (the provision-by-provision diff and where each proposal would move, before confirming),
//! and publishing the outcome report once every proposal is answered.
//!
//! The draft forms are `multipart/form-data` so that a text file can be uploaded without
//! script; nothing is kept between the check and the save (the texts travel with the form).

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Multipart, State};
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};
use tyndau_drafts::{ParseError, ParseProblem, ParsedDraft};
use tyndau_events::consultation::Provision;
use tyndau_events::petition::Language;
use tyndau_ids::ConsultationId;
use tyndau_read_model::office::{self, OfficeConsultation};

use super::{Due, Refusal, Role, Tr};
use crate::account::Visitor;
use crate::account::forms::{self, Errors};
use crate::account::petitions::private;
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

/// The two languages every draft must have in full.
const PARITY: [Language; 2] = [Language::Kk, Language::Ru];
/// The largest uploaded draft file.
const MAX_FILE: usize = 4 * 1024 * 1024;

/// The fields of a drafting form, as posted (text or file).
#[derive(Clone, Debug, Default)]
pub(crate) struct DraftForm {
    pub csrf: String,
    pub step: String,
    pub fields: BTreeMap<String, String>,
}

impl DraftForm {
    pub(crate) fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads a multipart form: text fields by name, and an uploaded file `{name}_file` (UTF-8
/// text) in place of the field `{name}` when one is given.
async fn read_multipart(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<DraftForm, &'static str> {
    let mut form = DraftForm::default();
    let Ok(mut multipart) = multipart else {
        return Ok(form);
    };
    let mut files = BTreeMap::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err("office-error-upload"),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let bytes = field.bytes().await.map_err(|_| "office-error-upload")?;
        if bytes.len() > MAX_FILE {
            return Err("office-error-file-too-large");
        }
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| "office-error-file-not-text")?;
        if is_file {
            if !text.trim().is_empty() {
                files.insert(name.trim_end_matches("_file").to_owned(), text);
            }
            continue;
        }
        match name.as_str() {
            "csrf" => form.csrf = text,
            "step" => form.step = text,
            _ => {
                form.fields.insert(name, text);
            }
        }
    }
    form.fields.extend(files);
    Ok(form)
}

/// One provision of the parsed draft, both languages side by side.
pub(crate) struct ParsedRow {
    pub path: String,
    pub depth: usize,
    pub kk: String,
    pub ru: String,
    pub missing: bool,
}

/// What reading the two texts gave: the merged provisions, or the problems, by field.
struct Reading {
    provisions: Vec<Provision>,
    rows: Vec<ParsedRow>,
    missing: Vec<String>,
}

fn parse_problem(lang: Lang, error: &ParseError) -> String {
    let line = FluentValue::from(i64::try_from(error.line).unwrap_or(0));
    match &error.problem {
        ParseProblem::NoProvisions => i18n::fmt(lang, "office-parse-no-provisions", &[]),
        ParseProblem::OutOfOrder { found, expected, .. } => i18n::fmt(
            lang,
            "office-parse-out-of-order",
            &[
                ("line", line),
                ("found", FluentValue::from(found.clone())),
                ("expected", FluentValue::from(expected.clone())),
            ],
        ),
        ParseProblem::Orphan { found, .. } => i18n::fmt(
            lang,
            "office-parse-orphan",
            &[("line", line), ("found", FluentValue::from(found.clone()))],
        ),
        ParseProblem::BadNumber { found } => i18n::fmt(
            lang,
            "office-parse-bad-number",
            &[("line", line), ("found", FluentValue::from(found.clone()))],
        ),
        ParseProblem::TooManyProvisions { limit } => i18n::fmt(
            lang,
            "office-parse-too-many",
            &[("limit", FluentValue::from(i64::try_from(*limit).unwrap_or(0)))],
        ),
    }
}

/// Parses the Kazakh and Russian texts of `form` (fields `draft_kk`, `draft_ru`) and merges
/// them into one provision tree; problems go to `errors` against their field.
fn read_drafts(lang: Lang, form: &DraftForm, errors: &mut Errors) -> Option<Reading> {
    let tr = Tr(lang);
    let mut parsed: Vec<(Language, ParsedDraft)> = Vec::new();
    for (language, field, id) in [
        (Language::Kk, "draft_kk", "draft-kk"),
        (Language::Ru, "draft_ru", "draft-ru"),
    ] {
        let text = form.get(field);
        if text.trim().is_empty() {
            errors.add(
                id,
                if language == Language::Kk {
                    tr.t("office-error-draft-kk")
                } else {
                    tr.t("office-error-draft-ru")
                },
            );
            continue;
        }
        match tyndau_drafts::parse(text, language) {
            Ok(draft) => parsed.push((language, draft)),
            Err(error) => errors.add(id, parse_problem(lang, &error)),
        }
    }
    if parsed.len() < 2 {
        return None;
    }
    let texts: Vec<(Language, &ParsedDraft)> = parsed.iter().map(|(l, d)| (*l, d)).collect();
    let provisions = tyndau_drafts::merge(&texts);
    let missing_pairs = tyndau_drafts::missing_translations(&provisions, &PARITY);
    let missing: Vec<String> = missing_pairs
        .iter()
        .map(|(path, language)| missing_text(lang, &path.to_string(), *language))
        .collect();
    let rows = provisions
        .iter()
        .map(|p| {
            let path = p.path.to_string();
            let side = |l: Language| {
                let heading = p.heading.get(&l).cloned().unwrap_or_default();
                let text = p.text.get(&l).cloned().unwrap_or_default();
                [heading, text]
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(" — ")
            };
            ParsedRow {
                depth: path.matches('.').count(),
                missing: missing_pairs.iter().any(|(m, _)| m == &p.path),
                kk: side(Language::Kk),
                ru: side(Language::Ru),
                path,
            }
        })
        .collect();
    Some(Reading {
        provisions,
        rows,
        missing,
    })
}

fn missing_text(lang: Lang, path: &str, language: Language) -> String {
    let tr = Tr(lang);
    i18n::fmt(
        lang,
        "office-missing-in",
        &[
            ("provision", FluentValue::from(i18n::provision(lang, path))),
            (
                "language",
                FluentValue::from(if language == Language::Kk {
                    tr.t("office-language-kk")
                } else {
                    tr.t("office-language-ru")
                }),
            ),
        ],
    )
}

fn provisions_json(provisions: &[Provision]) -> Value {
    serde_json::to_value(provisions).unwrap_or(Value::Array(Vec::new()))
}

// ----- drafting -----

#[derive(Template)]
#[template(path = "office/consultation_new.html")]
pub(crate) struct NewPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub action: String,
    pub csrf: String,
    pub form: DraftForm,
    pub rows: Vec<ParsedRow>,
    pub missing: Vec<String>,
    pub checked: bool,
}

fn new_page(app: &App, visitor: &Visitor, lang: Lang, form: DraftForm, errors: Errors) -> NewPage {
    let tr = Tr(lang);
    NewPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-new-consultation"), &errors),
            "/office/consultations/new",
        ),
        tr,
        action: format!("/{}/office/consultations/new", lang.code()),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        form,
        errors,
        rows: Vec::new(),
        missing: Vec::new(),
        checked: false,
    }
}

fn is_official(role: &Role) -> bool {
    matches!(role, Role::Official(_))
}

/// `GET /{lang}/office/consultations/new`.
pub(crate) async fn new_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), is_official) {
        return Ok(response);
    }
    let page = new_page(&app, &visitor, lang, DraftForm::default(), Errors::default());
    Ok(private(html(StatusCode::OK, &page)))
}

const CONTENT_FIELDS: [(&str, &str, &str); 6] = [
    ("title_kk", "title-kk", "office-error-title-kk"),
    ("title_ru", "title-ru", "office-error-title-ru"),
    ("summary_kk", "summary-kk", "office-error-summary-kk"),
    ("summary_ru", "summary-ru", "office-error-summary-ru"),
    ("note_kk", "note-kk", "office-error-note-kk"),
    ("note_ru", "note-ru", "office-error-note-ru"),
];

/// `POST /{lang}/office/consultations/new`: check (parse and show), or save the draft.
pub(crate) async fn create(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let tr = Tr(lang);
    let (form, upload_problem) = match read_multipart(multipart).await {
        Ok(form) => (form, None),
        Err(problem) => (DraftForm::default(), Some(problem)),
    };
    if let Err(response) =
        crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
    {
        // A broken upload loses the token with the rest: say so rather than call it forgery.
        if upload_problem.is_none() {
            return Ok(response);
        }
    }
    let mut errors = Errors::default();
    if let Some(problem) = upload_problem {
        errors.add("draft-kk", tr.t(problem));
        let page = new_page(&app, &visitor, lang, form, errors);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    for (name, id, message) in CONTENT_FIELDS {
        if form.get(name).trim().is_empty() {
            errors.add(id, tr.t(message));
        }
    }
    let reading = read_drafts(lang, &form, &mut errors);
    let save =
        form.step == "save" && errors.is_empty() && reading.as_ref().is_some_and(|r| r.missing.is_empty());
    if !save {
        let status = if errors.is_empty() && reading.as_ref().is_some_and(|r| r.missing.is_empty()) {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let mut page = new_page(&app, &visitor, lang, form, errors);
        if let Some(reading) = reading {
            page.rows = reading.rows;
            page.missing = reading.missing;
            page.checked = true;
        }
        return Ok(private(html(status, &page)));
    }
    let Some(reading) = reading else {
        return Err(Failure::NotFound(lang));
    };
    let content = |l: &str| {
        json!({
            "title": form.get(&format!("title_{l}")).trim(),
            "summary": form.get(&format!("summary_{l}")).trim(),
            "explanatory_note": form.get(&format!("note_{l}")).trim(),
        })
    };
    let body = json!({
        "content": { "kk": content("kk"), "ru": content("ru") },
        "provisions": provisions_json(&reading.provisions),
    });
    #[derive(Deserialize)]
    struct Created {
        consultation_id: String,
    }
    let created: Result<Created, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        "/consultations",
        Some(&body),
    )
    .await;
    match created {
        Ok(created) => {
            if let Ok(id) = created.consultation_id.parse() {
                super::settled(&app, id, |_| true).await;
            }
            super::done(&visitor, "office-flash-drafted").await;
            Ok(forms::see_other(&format!(
                "/{}/office/consultations/{}",
                lang.code(),
                created.consultation_id
            )))
        }
        Err(Refusal::Response(response)) => Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let mut page = new_page(&app, &visitor, lang, form, errors);
            page.rows = reading.rows;
            page.checked = true;
            Ok(private(html(super::status(&error), &page)))
        }
    }
}

// ----- managing one consultation -----

pub(crate) struct UnansweredRow {
    pub text: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "office/consultation.html")]
pub(crate) struct ManagePage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub status: &'static str,
    pub public_href: Option<String>,
    pub version: String,
    pub proposals: i64,
    pub unanswered: i64,
    pub closes: Option<Due>,
    pub answers: Option<Due>,
    pub proposals_href: String,
    pub version_href: String,
    /// A new version may be published (open or closed, no report yet).
    pub revisable: bool,
    pub action_base: String,
    pub csrf: String,
    /// Drafted: the opening form's date (Kazakhstan), the earliest allowed and its hint.
    pub open: Option<OpenForm>,
    /// Provisions lacking a translation (shown when opening was refused for it).
    pub missing: Vec<String>,
    /// Closed: what blocks the report, or the report form.
    pub report: Option<ReportPanel>,
}

pub(crate) struct OpenForm {
    pub closes_on: String,
    pub hint: String,
}

pub(crate) struct ReportPanel {
    pub unanswered: Vec<UnansweredRow>,
    pub button: String,
    pub summary_kk: String,
    pub summary_ru: String,
    /// The tallies the public report will show, by answer.
    pub tally: Vec<(String, i64)>,
    pub preview: bool,
    pub csv_href: String,
}

/// The consultation named in the path, whatever its status (drafts included).
pub(super) async fn consultation_by(app: &App, lang: Lang, id: &str) -> Result<OfficeConsultation, Failure> {
    let id: ConsultationId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    office::consultation(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))
}

/// The consultation, if it is the signed-in official's body's; else the response instead.
pub(super) async fn own_consultation(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    here: &str,
    id: &str,
) -> Result<Result<OfficeConsultation, Response>, Failure> {
    let consultation = consultation_by(app, lang, id).await?;
    let body = consultation.body.clone();
    Ok(super::require(app, visitor, lang, here, |r| {
        r.body().is_some_and(|b| b.as_str() == body)
    })
    .map(|_| consultation))
}

#[derive(Deserialize)]
struct Terms {
    #[serde(with = "time::serde::rfc3339")]
    earliest_closes_at: OffsetDateTime,
    min_comment_working_days: i64,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct ManageForm {
    #[serde(default)]
    csrf: String,
    /// `open`, `report-preview` or `report`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    summary_kk: String,
    #[serde(default)]
    summary_ru: String,
}

async fn manage_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    c: &OfficeConsultation,
    form: &ManageForm,
    errors: Errors,
) -> Result<ManagePage, Failure> {
    let tr = Tr(lang);
    let code = lang.code();
    let now = OffsetDateTime::now_utc();
    let mut page = ManagePage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, &super::title_of(lang, &c.content), &errors),
            &format!("/office/consultations/{}", c.id),
        ),
        tr,
        title: super::title_of(lang, &c.content),
        status: super::desk::consultation_status(&c.status),
        public_href: (c.status != "drafted").then(|| format!("/{code}/consultations/{}", c.id)),
        version: i18n::version(lang, c.current_version),
        proposals: c.proposals,
        unanswered: c.unanswered,
        closes: c.closes_at.map(|at| Due::of(lang, at, now)),
        answers: c.answers_due.map(|at| Due::of(lang, at, now)),
        proposals_href: format!("/{code}/office/consultations/{}/proposals", c.id),
        version_href: format!("/{code}/office/consultations/{}/versions/new", c.id),
        revisable: matches!(c.status.as_str(), "open" | "closed"),
        action_base: format!("/{code}/office/consultations/{}", c.id),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        open: None,
        missing: Vec::new(),
        report: None,
        errors,
    };
    if c.status == "drafted" {
        let terms = match app.accounts.as_ref() {
            Some(accounts) => accounts
                .commands
                .public::<Terms>("/consultation-terms")
                .await
                .ok(),
            None => None,
        };
        let earliest = terms
            .as_ref()
            .map(|t| tyndau_calendar::kazakhstan_date(t.earliest_closes_at));
        page.open = Some(OpenForm {
            closes_on: if form.closes_on.is_empty() {
                earliest.map(|d| d.to_string()).unwrap_or_default()
            } else {
                form.closes_on.clone()
            },
            hint: match (terms, earliest) {
                (Some(terms), Some(day)) => i18n::fmt(
                    lang,
                    "office-hint-closes-on",
                    &[
                        ("days", FluentValue::from(terms.min_comment_working_days)),
                        ("date", FluentValue::from(i18n::day(lang, day))),
                    ],
                ),
                _ => String::new(),
            },
        });
    }
    if c.status == "closed" {
        let filter = office::ProposalFilter {
            unanswered_only: true,
            ..office::ProposalFilter::default()
        };
        let (queue, report) = tokio::try_join!(
            office::proposals(&app.pool, c.id, &filter, 0, 50),
            tyndau_read_model::outcome_report(&app.pool, *c.id.as_uuid()),
        )
        .map_err(Failure::read(lang))?;
        let button = if queue.total > 0 {
            i18n::fmt(
                lang,
                "office-report-blocked",
                &[("count", FluentValue::from(queue.total))],
            )
        } else {
            tr.t("office-publish-report").to_owned()
        };
        page.report = Some(ReportPanel {
            unanswered: queue
                .items
                .iter()
                .map(|p| UnansweredRow {
                    text: p.comment.text.clone().unwrap_or_default(),
                    href: format!("/{code}/office/consultations/{}/proposals/{}", c.id, p.comment.id),
                })
                .collect(),
            button,
            summary_kk: form.summary_kk.clone(),
            summary_ru: form.summary_ru.clone(),
            tally: report
                .map(|r| {
                    r.by_answer
                        .iter()
                        .map(|t| (i18n::disposition(lang, &t.key), t.proposals))
                        .collect()
                })
                .unwrap_or_default(),
            preview: form.action == "report-preview",
            csv_href: format!("{}/consultations/{}/report.csv", app.site.query_api_url, c.id),
        });
    }
    Ok(page)
}

/// `GET /{lang}/office/consultations/{id}`.
pub(crate) async fn manage(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let consultation = match own_consultation(&app, &visitor, lang, uri.path(), &id).await? {
        Ok(c) => c,
        Err(response) => return Ok(response),
    };
    let page = manage_page(
        &app,
        &visitor,
        lang,
        &consultation,
        &ManageForm::default(),
        Errors::default(),
    )
    .await?;
    Ok(private(html(StatusCode::OK, &page)))
}

/// `POST /{lang}/office/consultations/{id}`: open it, preview the report, or publish it.
pub(crate) async fn manage_action(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<ManageForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let tr = Tr(lang);
    // Another body's official posting here is refused by the command API, not hidden.
    let consultation = consultation_by(&app, lang, &id).await?;
    let mut errors = Errors::default();
    let (api, body, flash) = match form.action.as_str() {
        "open" => {
            let Some(day) = parse_day(&form.closes_on) else {
                errors.add("closes-on", tr.t("office-error-date"));
                return rerender(&app, &visitor, &headers, lang, &uri, &consultation, &form, errors).await;
            };
            let closes_at = tyndau_calendar::end_of_day(day);
            let at = closes_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            ("open", json!({ "closes_at": at }), "office-flash-opened")
        }
        "report" | "report-preview" => {
            for (value, id, message) in [
                (&form.summary_kk, "summary-kk", "office-error-summary-kk"),
                (&form.summary_ru, "summary-ru", "office-error-summary-ru"),
            ] {
                if value.trim().is_empty() {
                    errors.add(id, tr.t(message));
                }
            }
            if !errors.is_empty() || form.action == "report-preview" {
                return rerender(&app, &visitor, &headers, lang, &uri, &consultation, &form, errors).await;
            }
            (
                "report",
                json!({ "summary": { "kk": form.summary_kk.trim(), "ru": form.summary_ru.trim() } }),
                "office-flash-report",
            )
        }
        _ => return Ok(forms::see_other(uri.path())),
    };
    let done: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &format!("/consultations/{}/{api}", consultation.id),
        Some(&body),
    )
    .await;
    match done {
        Ok(_) => {}
        Err(Refusal::Command(e)) if matches!(e.code(), Some("not_drafted" | "report_published")) => {
            // A double click: the first post did it.
        }
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let field = match error.code() {
                Some("period_too_short") => "closes-on",
                _ => "",
            };
            let errors = super::refused(lang, field, &error);
            let mut page = manage_page(&app, &visitor, lang, &consultation, &form, errors).await?;
            if error.code() == Some("translations_missing") {
                let provisions = office::provisions(&app.pool, consultation.id, consultation.current_version)
                    .await
                    .map_err(Failure::read(lang))?;
                page.missing = tyndau_drafts::missing_translations(&provisions, &PARITY)
                    .iter()
                    .map(|(path, language)| missing_text(lang, &path.to_string(), *language))
                    .collect();
            }
            return Ok(private(html(super::status(&error), &page)));
        }
    }
    let status = consultation.status.clone();
    super::settled(&app, consultation.id, |c| c.status != status).await;
    super::done(&visitor, flash).await;
    Ok(forms::see_other(uri.path()))
}

#[allow(clippy::too_many_arguments)]
async fn rerender(
    app: &App,
    visitor: &Visitor,
    headers: &HeaderMap,
    lang: Lang,
    uri: &Uri,
    consultation: &OfficeConsultation,
    form: &ManageForm,
    errors: Errors,
) -> Result<Response, Failure> {
    if let Err(response) =
        crate::account::petitions::guard(app, visitor, headers, lang, &form.csrf, uri.path())
    {
        return Ok(response);
    }
    let body = consultation.body.clone();
    if let Err(response) = super::require(app, visitor, lang, uri.path(), |r| {
        r.body().is_some_and(|b| b.as_str() == body)
    }) {
        return Ok(response);
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = manage_page(app, visitor, lang, consultation, form, errors).await?;
    Ok(private(html(status, &page)))
}

/// A `date` input's value (`YYYY-MM-DD`).
fn parse_day(value: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value.trim(), &format).ok()
}

// ----- a new version -----

pub(crate) struct ChangeRow {
    pub path: String,
    /// The fields of the change note ("why it changed"), and what was typed in them.
    pub why_kk_name: String,
    pub why_ru_name: String,
    pub why_kk_id: String,
    pub why_ru_id: String,
    pub why_kk: String,
    pub why_ru: String,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub before: String,
    pub after: String,
}

pub(crate) struct MoveRow {
    pub text: String,
    pub from: String,
    pub to: String,
    pub how: &'static str,
}

#[derive(Template)]
#[template(path = "office/version_new.html")]
pub(crate) struct VersionPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub back_href: String,
    pub action: String,
    pub csrf: String,
    pub form: DraftForm,
    pub changes: Vec<ChangeRow>,
    pub moves: Vec<MoveRow>,
    pub missing: Vec<String>,
    pub checked: bool,
}

fn version_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    c: &OfficeConsultation,
    form: DraftForm,
    errors: Errors,
) -> VersionPage {
    let tr = Tr(lang);
    let code = lang.code();
    VersionPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            forms::title(lang, tr.t("office-new-version"), &errors),
            &format!("/office/consultations/{}/versions/new", c.id),
        ),
        tr,
        title: super::title_of(lang, &c.content),
        back_href: format!("/{code}/office/consultations/{}", c.id),
        action: format!("/{code}/office/consultations/{}/versions/new", c.id),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        form,
        errors,
        changes: Vec::new(),
        moves: Vec::new(),
        missing: Vec::new(),
        checked: false,
    }
}

/// `GET /{lang}/office/consultations/{id}/versions/new`.
pub(crate) async fn version_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let consultation = match own_consultation(&app, &visitor, lang, uri.path(), &id).await? {
        Ok(c) => c,
        Err(response) => return Ok(response),
    };
    let page = version_page(
        &app,
        &visitor,
        lang,
        &consultation,
        DraftForm::default(),
        Errors::default(),
    );
    Ok(private(html(StatusCode::OK, &page)))
}

fn side(lang: Lang, texts: Option<&tyndau_events::consultation::Localized>) -> String {
    let Some(texts) = texts else {
        return String::new();
    };
    let language = if lang == Lang::Ru {
        Language::Ru
    } else {
        Language::Kk
    };
    texts
        .get(&language)
        .or_else(|| texts.values().next())
        .cloned()
        .unwrap_or_default()
}

/// `POST /{lang}/office/consultations/{id}/versions/new`: check (diff and re-anchoring), or
/// publish.
pub(crate) async fn publish_version(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let tr = Tr(lang);
    let consultation = consultation_by(&app, lang, &id).await?;
    let (form, upload_problem) = match read_multipart(multipart).await {
        Ok(form) => (form, None),
        Err(problem) => (DraftForm::default(), Some(problem)),
    };
    if upload_problem.is_none()
        && let Err(response) =
            crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
    {
        return Ok(response);
    }
    let mut errors = Errors::default();
    if let Some(problem) = upload_problem {
        errors.add("draft-kk", tr.t(problem));
        let page = version_page(&app, &visitor, lang, &consultation, form, errors);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    let reading = read_drafts(lang, &form, &mut errors);
    let Some(reading) = reading.filter(|r| r.missing.is_empty() && errors.is_empty()) else {
        let mut page = version_page(&app, &visitor, lang, &consultation, form, errors);
        if let Some(reading) = read_drafts(lang, &page.form, &mut Errors::default()) {
            page.rows_missing(reading.missing);
        }
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    };
    if form.step != "publish" {
        let current = office::provisions(&app.pool, consultation.id, consultation.current_version)
            .await
            .map_err(Failure::read(lang))?;
        let filter = office::ProposalFilter::default();
        let queue = office::proposals(&app.pool, consultation.id, &filter, 0, 200)
            .await
            .map_err(Failure::read(lang))?;
        let mut page = version_page(&app, &visitor, lang, &consultation, form, Errors::default());
        page.checked = true;
        page.changes = tyndau_drafts::diff(&current, &reading.provisions, &[])
            .into_iter()
            .filter(|c| c.change != tyndau_drafts::ChangeKind::Unchanged)
            .map(|c| ChangeRow {
                why_kk_id: format!("why-kk-{}", c.path.as_str().replace('.', "-")),
                why_ru_id: format!("why-ru-{}", c.path.as_str().replace('.', "-")),
                why_kk_name: format!("why_kk:{}", c.path),
                why_ru_name: format!("why_ru:{}", c.path),
                why_kk: page.form.get(&format!("why_kk:{}", c.path)).to_owned(),
                why_ru: page.form.get(&format!("why_ru:{}", c.path)).to_owned(),
                path: i18n::provision(lang, &c.path.to_string()),
                kind: i18n::change_kind(lang, c.change),
                kind_class: match c.change {
                    tyndau_drafts::ChangeKind::Added => "added",
                    tyndau_drafts::ChangeKind::Removed => "removed",
                    _ => "changed",
                },
                before: side(lang, c.old.as_ref()),
                after: side(lang, c.new.as_ref()),
            })
            .collect();
        page.moves = queue
            .items
            .iter()
            .filter_map(|p| {
                let anchor = &p.comment.anchor;
                let path: Option<tyndau_ids::ProvisionPath> =
                    anchor.path.as_deref().and_then(|s| s.parse().ok());
                path.as_ref()?;
                let located =
                    tyndau_drafts::locate(path.as_ref(), anchor.quote.as_deref(), &reading.provisions);
                let how = match located.method {
                    tyndau_events::comment::AnchorMethod::SamePath => "office-anchor-same",
                    tyndau_events::comment::AnchorMethod::Orphaned => "office-anchor-orphaned",
                    _ => "office-anchor-moved",
                };
                Some(MoveRow {
                    text: p.comment.text.clone().unwrap_or_default(),
                    from: anchor
                        .path
                        .as_deref()
                        .map(|path| i18n::provision(lang, path))
                        .unwrap_or_default(),
                    to: located
                        .path
                        .map(|path| i18n::provision(lang, &path.to_string()))
                        .unwrap_or_else(|| "—".to_owned()),
                    how,
                })
            })
            .collect();
        return Ok(private(html(StatusCode::OK, &page)));
    }
    let body = json!({ "provisions": provisions_json(&reading.provisions), "changes": change_notes(&form) });
    let done: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &format!("/consultations/{}/versions", consultation.id),
        Some(&body),
    )
    .await;
    match done {
        Ok(_) => {}
        // A double click: the first post published the same text.
        Err(Refusal::Command(e)) if e.code() == Some("no_changes") && form.step == "publish" => {}
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let page = version_page(&app, &visitor, lang, &consultation, form, errors);
            return Ok(private(html(super::status(&error), &page)));
        }
    }
    let version = consultation.current_version;
    super::settled(&app, consultation.id, |c| c.current_version > version).await;
    super::done(&visitor, "office-flash-version").await;
    Ok(forms::see_other(&format!(
        "/{}/office/consultations/{}",
        lang.code(),
        consultation.id
    )))
}

/// The change notes typed beside the diff (`why_kk:{path}`, `why_ru:{path}`): the comparative
/// table's "why" column. Empty ones are left out.
fn change_notes(form: &DraftForm) -> Vec<Value> {
    let mut notes: BTreeMap<&str, serde_json::Map<String, Value>> = BTreeMap::new();
    for (name, value) in &form.fields {
        let Some((language, path)) = name.split_once(':') else {
            continue;
        };
        let language = match language {
            "why_kk" => "kk",
            "why_ru" => "ru",
            _ => continue,
        };
        if !value.trim().is_empty() {
            notes
                .entry(path)
                .or_default()
                .insert(language.to_owned(), Value::String(value.trim().to_owned()));
        }
    }
    notes
        .into_iter()
        .map(|(path, why)| json!({ "path": path, "why": why }))
        .collect()
}

impl VersionPage {
    fn rows_missing(&mut self, missing: Vec<String>) {
        self.missing = missing;
    }
}
