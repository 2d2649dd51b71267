//! Answering a petition: the petition with its count, regional breakdown and deadline; the
//! decision and the reasoned answer in Kazakh and Russian (English optional); a preview as the
//! public will see it; publish. Only the addressed body's officials are shown the form; the
//! command API refuses anyone else.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use tyndau_ids::PetitionId;
use tyndau_read_model::PetitionDetail;

use super::{Choice, Due, Refusal, Role, Tr};
use crate::account::Visitor;
use crate::account::forms::{self, Errors};
use crate::account::petitions::private;
use crate::charts::{self, TileMap};
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

/// The longest answer the form takes per language (the command API has its own limit).
const MAX_ANSWER: usize = 20_000;

pub(crate) const DECISIONS: [&str; 3] = ["satisfied", "partially_satisfied", "refused"];

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    text_kk: String,
    #[serde(default)]
    text_ru: String,
    #[serde(default)]
    text_en: String,
    /// `preview` or `publish`.
    #[serde(default)]
    step: String,
}

#[derive(Template)]
#[template(path = "office/petition_answer.html")]
pub(crate) struct AnswerPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub title: String,
    pub request: String,
    pub public_href: String,
    pub signatures: String,
    pub due: Option<Due>,
    pub map: TileMap,
    pub action: String,
    pub csrf: String,
    pub decisions: Vec<Choice>,
    pub form: AnswerForm,
    /// The answer as the public will see it, after "Preview".
    pub preview: Option<(&'static str, String)>,
}

async fn load(
    app: &App,
    lang: Lang,
    id: &str,
) -> Result<(PetitionDetail, tyndau_read_model::RegionBreakdown), Failure> {
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let (detail, regions) = tokio::try_join!(
        tyndau_read_model::petition_detail(&app.pool, id),
        tyndau_read_model::region_breakdown(&app.pool, id),
    )
    .map_err(Failure::read(lang))?;
    match (detail, regions) {
        (Some(detail), Some(regions)) => Ok((detail, regions)),
        _ => Err(Failure::NotFound(lang)),
    }
}

#[allow(clippy::too_many_arguments)] // The page is all of these; a struct would repeat it.
fn page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    detail: &PetitionDetail,
    regions: &tyndau_read_model::RegionBreakdown,
    form: AnswerForm,
    errors: Errors,
    preview: Option<(&'static str, String)>,
) -> AnswerPage {
    let tr = Tr(lang);
    let (title_text, request, _) = super::petition_texts(lang, &detail.content);
    let code = lang.code();
    let title = forms::title(lang, tr.t("office-answer-petition"), &errors);
    AnswerPage {
        chrome: super::chrome(
            app,
            visitor,
            lang,
            title,
            &format!("/office/petitions/{}", detail.id),
        ),
        tr,
        title: title_text,
        request,
        public_href: format!("/{code}/petitions/{}", detail.id),
        signatures: i18n::signatures(lang, detail.signatures),
        due: detail
            .dates
            .answer_due
            .map(|due| Due::of(lang, due, OffsetDateTime::now_utc())),
        map: charts::tile_map(
            lang,
            "regions",
            lang.t().by_region.to_owned(),
            &regions.regions,
            &regions.unspecified,
            regions.total,
        ),
        action: format!("/{code}/office/petitions/{}", detail.id),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        decisions: DECISIONS
            .iter()
            .map(|d| Choice::new("decision", d, decision_label(lang, d), form.decision == *d))
            .collect(),
        form,
        errors,
        preview,
    }
}

fn decision_label(lang: Lang, code: &str) -> &'static str {
    let decision = match code {
        "satisfied" => tyndau_events::petition::Decision::Satisfied,
        "partially_satisfied" => tyndau_events::petition::Decision::PartiallySatisfied,
        _ => tyndau_events::petition::Decision::Refused,
    };
    i18n::decision(lang, decision)
}

fn is_addressee(role: &Role, detail: &PetitionDetail) -> bool {
    role.body().is_some_and(|body| body == &detail.addressee.body)
}

/// `GET /{lang}/office/petitions/{id}`.
pub(crate) async fn answer_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let (detail, regions) = load(&app, lang, &id).await?;
    match super::require(&app, &visitor, lang, uri.path(), |r| is_addressee(r, &detail)) {
        Ok(_) => {}
        Err(response) => return Ok(response),
    }
    let page = page(
        &app,
        &visitor,
        lang,
        &detail,
        &regions,
        AnswerForm::default(),
        Errors::default(),
        None,
    );
    Ok(private(html(StatusCode::OK, &page)))
}

/// The form's own checks, so that each missing part is marked at its field; the command API
/// checks again and decides.
fn check(lang: Lang, form: &AnswerForm) -> Errors {
    let tr = Tr(lang);
    let mut errors = Errors::default();
    if !DECISIONS.contains(&form.decision.as_str()) {
        errors.add("decision-satisfied", tr.t("office-error-decision"));
    }
    for (id, text) in [("text-kk", &form.text_kk), ("text-ru", &form.text_ru)] {
        if text.trim().is_empty() {
            errors.add(
                id,
                if id == "text-kk" {
                    tr.t("office-error-answer-kk")
                } else {
                    tr.t("office-error-answer-ru")
                },
            );
        }
    }
    for (id, text) in [
        ("text-kk", &form.text_kk),
        ("text-ru", &form.text_ru),
        ("text-en", &form.text_en),
    ] {
        if forms::chars(text) > MAX_ANSWER && errors.of(id).is_none() {
            errors.add(id, tr.t("office-error-too-long"));
        }
    }
    errors
}

fn body(form: &AnswerForm) -> Value {
    let mut text = serde_json::Map::new();
    for (code, value) in [
        ("kk", &form.text_kk),
        ("ru", &form.text_ru),
        ("en", &form.text_en),
    ] {
        if !value.trim().is_empty() {
            text.insert(code.to_owned(), Value::String(value.trim().to_owned()));
        }
    }
    json!({ "decision": form.decision, "text": text })
}

/// `POST /{lang}/office/petitions/{id}`: preview, or publish.
pub(crate) async fn answer(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<AnswerForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let (detail, regions) = load(&app, lang, &id).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) =
        crate::account::petitions::guard(&app, &visitor, &headers, lang, &form.csrf, uri.path())
    {
        return Ok(response);
    }
    let errors = check(lang, &form);
    if !errors.is_empty() {
        let page = page(&app, &visitor, lang, &detail, &regions, form, errors, None);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    }
    if form.step != "publish" {
        let shown = i18n::pick(lang, |l| {
            Some(match l {
                Lang::Kk => form.text_kk.trim().to_owned(),
                Lang::Ru => form.text_ru.trim().to_owned(),
                Lang::En => form.text_en.trim().to_owned(),
            })
            .filter(|s| !s.is_empty())
        })
        .map(|s| s.value)
        .unwrap_or_default();
        let preview = Some((decision_label(lang, &form.decision), shown));
        let page = page(
            &app,
            &visitor,
            lang,
            &detail,
            &regions,
            form,
            Errors::default(),
            preview,
        );
        return Ok(private(html(StatusCode::OK, &page)));
    }
    let answered: Result<Value, Refusal> = super::act(
        &app,
        &visitor,
        &headers,
        lang,
        &form.csrf,
        uri.path(),
        Method::POST,
        &format!("/petitions/{}/answer", detail.id),
        Some(&body(&form)),
    )
    .await;
    match answered {
        Ok(_) => {}
        // A second post of the same form (a double click) finds the answer given.
        Err(Refusal::Command(e)) if e.code() == Some("already_answered") => {}
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            let errors = super::refused(lang, "", &error);
            let status = super::status(&error);
            let page = page(&app, &visitor, lang, &detail, &regions, form, errors, None);
            return Ok(private(html(status, &page)));
        }
    }
    super::done(&visitor, "office-flash-answered").await;
    Ok(forms::see_other(&format!("/{}/office", lang.code())))
}
