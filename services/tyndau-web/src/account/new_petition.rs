//! Starting a petition: the addressee (and what follows from it), the texts, a check page, and
//! one post that drafts the petition and submits it for moderation.
//!
//! The stages post to one URL with a `step`; the answers so far travel as hidden fields. The
//! check page's post carries a key made at the first stage, remembered in the session with the
//! petition it created, so a second post of the same form (a double click, a reload) finds the
//! petition instead of drafting another. Lengths are checked here for the page's sake only;
//! the command API checks them again and its word is final.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use tyndau_ids::Region;

use super::Visitor;
use super::forms::{self, Context, Errors};
use super::petitions::{Outcome, command, guard, petition_body, private, refused_status};
use super::session::{self, Flash};
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

/// The terms a petition gets from its addressee, as the command API's policy states them.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Terms {
    pub addressee: String,
    pub level: String,
    pub region: Option<Region>,
    pub threshold: u32,
    pub collection_months: u8,
    pub startup_signatures: u32,
    pub startup_working_days: u16,
    pub moderation_working_days: u16,
    pub answer_working_days: u16,
    pub min_signer_age: i32,
    pub title_chars: usize,
    pub request_chars: usize,
    pub text_chars: usize,
}

#[derive(Debug, Deserialize)]
struct TermsList {
    bodies: Vec<Terms>,
}

/// Every body's terms, from the command API, cached for a minute.
pub(crate) async fn all_terms(app: &App) -> Option<Arc<Vec<Terms>>> {
    let accounts = app.accounts.as_ref()?;
    accounts
        .terms
        .get_or_load(async {
            accounts
                .commands
                .public::<TermsList>("/petition-terms")
                .await
                .map(|list| list.bodies)
        })
        .await
        .map_err(|error| tyndau_telemetry::log_error_chain("petition terms unavailable", &error))
        .ok()
}

/// What follows from one addressee, as sentences.
#[derive(Debug)]
pub(crate) struct TermsView {
    pub id: String,
    pub body: String,
    pub lines: Vec<String>,
}

pub(crate) fn terms_view(lang: Lang, terms: &Terms) -> TermsView {
    let body = crate::bodies::name(lang, &terms.addressee);
    let n = |v: u32| FluentValue::from(i64::from(v));
    let mut lines = vec![i18n::fmt(
        lang,
        "terms-threshold",
        &[
            ("count", n(terms.threshold)),
            ("body", FluentValue::from(body.clone())),
        ],
    )];
    lines.push(match terms.region {
        Some(region) => i18n::fmt(
            lang,
            "terms-residents",
            &[
                ("region", FluentValue::from(i18n::region_name(lang, region))),
                ("age", FluentValue::from(i64::from(terms.min_signer_age))),
            ],
        ),
        None => i18n::fmt(
            lang,
            "terms-everyone",
            &[("age", FluentValue::from(i64::from(terms.min_signer_age)))],
        ),
    });
    lines.push(i18n::fmt(
        lang,
        "terms-collection",
        &[("months", n(u32::from(terms.collection_months)))],
    ));
    lines.push(i18n::fmt(
        lang,
        "terms-startup",
        &[
            ("count", n(terms.startup_signatures)),
            ("days", n(u32::from(terms.startup_working_days))),
        ],
    ));
    lines.push(i18n::fmt(
        lang,
        "terms-moderation",
        &[("days", n(u32::from(terms.moderation_working_days)))],
    ));
    lines.push(i18n::fmt(
        lang,
        "terms-answer",
        &[
            ("days", n(u32::from(terms.answer_working_days))),
            ("body", FluentValue::from(body.clone())),
        ],
    ));
    TermsView {
        id: terms.addressee.clone(),
        body,
        lines,
    }
}

/// One `<optgroup>` of the addressee list: the bodies of one level.
#[derive(Debug)]
pub(crate) struct BodyGroup {
    pub label: &'static str,
    pub options: Vec<BodyOption>,
}

#[derive(Debug)]
pub(crate) struct BodyOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

fn body_groups(lang: Lang, terms: &[Terms], selected: &str) -> Vec<BodyGroup> {
    let mut groups: Vec<BodyGroup> = Vec::new();
    let mut levels: Vec<&str> = Vec::new();
    for level in tyndau_events::petition::Level::ALL {
        levels.push(level.code());
        groups.push(BodyGroup {
            label: i18n::level(lang, level),
            options: Vec::new(),
        });
    }
    for body in terms {
        if let Some(index) = levels.iter().position(|l| *l == body.level) {
            groups[index].options.push(BodyOption {
                id: body.addressee.clone(),
                name: crate::bodies::name(lang, &body.addressee),
                selected: body.addressee == selected,
            });
        }
    }
    groups.retain(|g| !g.options.is_empty());
    groups
}

/// What the citizen has entered so far; every stage posts all of it back.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Draft {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub addressee: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub request: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Template)]
#[template(path = "account/petition_new.html")]
pub(crate) struct NewPetitionPage {
    pub chrome: Chrome,
    pub errors: Errors,
    /// `addressee`, `texts` or `check`.
    pub stage: &'static str,
    pub heading: &'static str,
    pub action: String,
    pub csrf: String,
    pub draft: Draft,
    pub groups: Vec<BodyGroup>,
    /// Every body's terms (shown by script as the addressee changes, on the first stage).
    pub all_terms: Vec<TermsView>,
    /// The chosen addressee's terms (later stages).
    pub terms: Option<TermsView>,
    pub languages: Vec<(&'static str, &'static str, bool)>,
    pub title_hint: String,
    pub request_hint: String,
    pub text_hint: String,
    pub addressee_name: String,
    pub language_name: &'static str,
}

fn language_name(code: &str) -> &'static str {
    Lang::from_code(code).map_or("—", Lang::endonym)
}

fn page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    stage: &'static str,
    draft: Draft,
    errors: Errors,
    terms: &[Terms],
) -> NewPetitionPage {
    let t = lang.t();
    let heading = match stage {
        "addressee" => t.new_petition_addressee_title,
        "texts" => t.new_petition_texts_title,
        _ => t.new_petition_check_title,
    };
    let chosen = terms.iter().find(|b| b.addressee == draft.addressee);
    let limit = |id: &str, max: usize| {
        i18n::fmt(
            lang,
            id,
            &[("max", FluentValue::from(i64::try_from(max).unwrap_or(i64::MAX)))],
        )
    };
    let mut chrome = Chrome::new(
        lang,
        forms::title(lang, heading, &errors),
        "",
        "/petitions/new",
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    chrome.form_script = true;
    NewPetitionPage {
        chrome,
        heading,
        stage,
        action: format!("/{}/petitions/new", lang.code()),
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
        groups: body_groups(lang, terms, &draft.addressee),
        all_terms: if stage == "addressee" {
            terms.iter().map(|b| terms_view(lang, b)).collect()
        } else {
            Vec::new()
        },
        terms: chosen.map(|b| terms_view(lang, b)),
        languages: ["kk", "ru"]
            .into_iter()
            .map(|code| (code, language_name(code), draft.language == code))
            .collect(),
        title_hint: limit("hint-title", chosen.map_or(150, |b| b.title_chars)),
        request_hint: limit("hint-request", chosen.map_or(1_000, |b| b.request_chars)),
        text_hint: limit("hint-background", chosen.map_or(10_000, |b| b.text_chars)),
        addressee_name: chosen.map_or_else(String::new, |b| crate::bodies::name(lang, &b.addressee)),
        language_name: language_name(&draft.language),
        draft,
        errors,
    }
}

fn unavailable(app: &App, lang: Lang) -> Response {
    let t = lang.t();
    crate::views::MessagePage::render(
        app,
        lang,
        StatusCode::SERVICE_UNAVAILABLE,
        t.error_title,
        t.unavailable_text,
    )
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StartQuery {
    addressee: Option<String>,
}

/// `GET /{lang}/petitions/new`: the first stage.
pub(crate) async fn start(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    query: Result<axum::extract::Query<StartQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let Some(terms) = all_terms(&app).await else {
        return Ok(unavailable(&app, lang));
    };
    let draft = Draft {
        addressee: crate::routes::query(query).addressee.unwrap_or_default(),
        key: session::random_token(),
        language: match lang {
            Lang::Kk | Lang::Ru => lang.code().to_owned(),
            Lang::En => String::new(),
        },
        ..Draft::default()
    };
    let page = page(
        &app,
        &visitor,
        lang,
        "addressee",
        draft,
        Errors::default(),
        &terms,
    );
    Ok(private(html(StatusCode::OK, &page)))
}

fn check_addressee(lang: Lang, draft: &Draft, terms: &[Terms], errors: &mut Errors) {
    if !terms.iter().any(|b| b.addressee == draft.addressee) {
        errors.add("addressee", lang.t().error_choose_addressee);
    }
}

fn check_texts(lang: Lang, draft: &Draft, terms: &[Terms], errors: &mut Errors) {
    let t = lang.t();
    let chosen = terms.iter().find(|b| b.addressee == draft.addressee);
    if draft.language != "kk" && draft.language != "ru" {
        errors.add("language-kk", t.error_choose_language);
    }
    let mut field = |id: &'static str, value: &str, max: usize, empty: &str, long: &str| {
        let length = forms::chars(value.trim());
        if length == 0 {
            errors.add(id, empty);
        } else if length > max {
            errors.add(
                id,
                i18n::fmt(
                    lang,
                    long,
                    &[("max", FluentValue::from(i64::try_from(max).unwrap_or(i64::MAX)))],
                ),
            );
        }
    };
    field(
        "title",
        &draft.title,
        chosen.map_or(150, |b| b.title_chars),
        t.error_title_empty,
        "error-title-long",
    );
    field(
        "request",
        &draft.request,
        chosen.map_or(1_000, |b| b.request_chars),
        t.error_request_empty,
        "error-request-long",
    );
    field(
        "text",
        &draft.text,
        chosen.map_or(10_000, |b| b.text_chars),
        t.error_background_empty,
        "error-background-long",
    );
}

/// Where a citizen's last submissions went, by the form's key (a repeated post finds them).
#[derive(Debug, Default, serde::Serialize, Deserialize)]
struct Submitted(Vec<(String, String)>);

const SUBMITTED: &str = "tyndau.submitted";

/// `POST /{lang}/petitions/new`: the next stage, or the submission.
pub(crate) async fn step(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<Draft>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let draft = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &draft.csrf, uri.path()) {
        return Ok(response);
    }
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let Some(terms) = all_terms(&app).await else {
        return Ok(unavailable(&app, lang));
    };
    let mut errors = Errors::default();
    let render = |stage, draft, errors: Errors| {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        Ok(private(html(
            status,
            &page(&app, &visitor, lang, stage, draft, errors, &terms),
        )))
    };
    match draft.step.as_str() {
        "addressee" => {
            check_addressee(lang, &draft, &terms, &mut errors);
            let stage = if errors.is_empty() { "texts" } else { "addressee" };
            render(stage, draft, errors)
        }
        "change-addressee" => render("addressee", draft, errors),
        "change-texts" => render("texts", draft, errors),
        "texts" => {
            check_addressee(lang, &draft, &terms, &mut errors);
            if !errors.is_empty() {
                return render("addressee", draft, errors);
            }
            check_texts(lang, &draft, &terms, &mut errors);
            let stage = if errors.is_empty() { "check" } else { "texts" };
            render(stage, draft, errors)
        }
        "submit" => {
            check_addressee(lang, &draft, &terms, &mut errors);
            check_texts(lang, &draft, &terms, &mut errors);
            if !errors.is_empty() {
                return render("texts", draft, errors);
            }
            submit(&app, &visitor, lang, draft, &terms).await
        }
        _ => render("addressee", draft, errors),
    }
}

async fn submit(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    draft: Draft,
    terms: &[Terms],
) -> Result<Response, Failure> {
    let sent = |id: &str| forms::see_other(&format!("/{}/petitions/{id}/sent", lang.code()));
    let session = visitor.session.as_ref();
    let mut submitted = match session {
        Some(session) => session
            .get::<Submitted>(SUBMITTED)
            .await
            .ok()
            .flatten()
            .unwrap_or_default(),
        None => Submitted::default(),
    };
    if let Some((_, id)) = submitted
        .0
        .iter()
        .find(|(key, _)| !draft.key.is_empty() && *key == draft.key)
    {
        return Ok(sent(id));
    }
    let body = petition_body(
        &draft.addressee,
        &draft.language,
        draft.title.trim(),
        draft.request.trim(),
        draft.text.trim(),
    );
    let created: Result<Value, Outcome> =
        command(app, visitor, Method::POST, "/petitions", Some(&body)).await;
    let id = match created {
        Ok(value) => value["petition_id"].as_str().unwrap_or_default().to_owned(),
        Err(outcome) => return Ok(refused(app, visitor, lang, draft, terms, outcome)),
    };
    // Remembered before submitting: a retry after a failed submission finds the draft.
    submitted.0.push((draft.key.clone(), id.clone()));
    let keep = submitted.0.len().saturating_sub(5);
    submitted.0.drain(..keep);
    if let Some(session) = session
        && let Err(error) = session.insert(SUBMITTED, &submitted).await
    {
        tyndau_telemetry::log_error_chain("session could not be saved", &error);
    }
    let submitted: Result<Value, Outcome> = command(
        app,
        visitor,
        Method::POST,
        &format!("/petitions/{id}/submit"),
        None,
    )
    .await;
    match submitted {
        Ok(_) => {}
        Err(Outcome::Command(e)) if e.code() == Some("not_draft") => {}
        Err(outcome) => return Ok(refused(app, visitor, lang, draft, terms, outcome)),
    }
    super::flash(visitor, Flash::PetitionSubmitted { petition: id.clone() }).await;
    Ok(sent(&id))
}

fn refused(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    draft: Draft,
    terms: &[Terms],
    outcome: Outcome,
) -> Response {
    match outcome {
        Outcome::NotSignedIn(why) => {
            forms::not_signed_in(app, lang, why, &format!("/{}/petitions/new", lang.code()))
        }
        Outcome::Command(error) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            let status = refused_status(&error);
            private(html(
                status,
                &page(app, visitor, lang, "check", draft, errors, terms),
            ))
        }
    }
}

// ----- the confirmation -----

#[derive(Template)]
#[template(path = "account/petition_sent.html")]
pub(crate) struct SentPage {
    pub chrome: Chrome,
    pub petition_title: String,
    pub status: String,
    pub due: Option<String>,
    pub me_href: String,
}

/// `GET /{lang}/petitions/{id}/sent`: what happens next (bookmarkable: read from the record).
pub(crate) async fn sent(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let t = lang.t();
    let own: Result<super::me::OwnPetitions, Outcome> =
        command(&app, &visitor, Method::GET, "/me/petitions", None).await;
    let own = match own {
        Ok(own) => own,
        Err(Outcome::NotSignedIn(why)) => return Ok(forms::not_signed_in(&app, lang, why, uri.path())),
        Err(Outcome::Command(_)) => return Ok(unavailable(&app, lang)),
    };
    // The projection may be a moment behind the command: the page says "sent" either way.
    let petition = own.petitions.into_iter().find(|p| p.petition_id == id);
    let mut chrome = Chrome::new(
        lang,
        t.petition_sent_title.to_owned(),
        "",
        &format!("/petitions/{id}/sent"),
        &app.site.query_api_url,
    )
    .with_visitor(&visitor);
    chrome.nav = "me";
    let page = SentPage {
        chrome,
        petition_title: petition
            .as_ref()
            .and_then(|p| super::me::title_of(lang, &p.title))
            .unwrap_or_default(),
        status: petition
            .as_ref()
            .map(|p| super::me::own_status(lang, &p.status).to_owned())
            .unwrap_or_else(|| t.status_submitted.to_owned()),
        due: petition
            .and_then(|p| p.moderation_due)
            .map(|at| i18n::date(lang, at)),
        me_href: format!("/{}/me", lang.code()),
    };
    Ok(private(html(StatusCode::OK, &page)))
}
