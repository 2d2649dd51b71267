//! Signing and withdrawing from a petition's page, and starting a petition.
//!
//! Signing is a confirmation page (what is signed, to whom, and whether to show one's name)
//! and a post; a second post of the same form (a double click) finds the signature already
//! there and says so, so it never counts twice. Starting a petition is a staged form in the
//! manner of the UK Parliament's site: the addressee first (with what follows from it: the
//! threshold, the periods, who may sign), then the texts, then a check page, then one post that
//! drafts and submits it. Each stage carries the earlier answers as hidden fields, so there is
//! no server-side wizard state and Back works.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::response::Response;
use http::{HeaderMap, Method, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};
use tyndau_ids::PetitionId;
use tyndau_read_model::{PetitionDetail, PetitionStatus};

use super::commands::CommandError;
use super::forms::{self, Context, Errors};
use super::session::Flash;
use super::{NotSignedIn, Visitor};
use crate::i18n::{self, FluentValue, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::{Chrome, TextView};

/// The signed-in citizen's relation to one petition, for its page.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct OwnSignature {
    pub status: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub signed_at: Option<time::OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub withdrawn_at: Option<time::OffsetDateTime>,
}

/// What the petition page offers the visitor about signing.
#[derive(Debug, Default)]
pub struct SignPanel {
    /// The main action's link ("Sign this petition", or "Sign in to sign").
    pub action: Option<(String, &'static str)>,
    /// Where the visitor stands ("You signed this on …").
    pub note: Option<String>,
    /// "Withdraw my signature".
    pub withdraw_href: Option<String>,
}

/// The panel for `detail` as `visitor` sees it; asks the command API about a citizen's own
/// signature (the record, not a projection, so it is right straight after signing).
pub(crate) async fn sign_panel(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    detail: &PetitionDetail,
) -> SignPanel {
    let t = lang.t();
    let open = detail.status == PetitionStatus::Open;
    let base = format!("/{}/petitions/{}", lang.code(), detail.id);
    let sign_href = format!("{base}/sign");
    if !visitor.accounts {
        return SignPanel::default();
    }
    let Some(user) = &visitor.user else {
        return SignPanel {
            action: open.then(|| (forms::sign_in_href(lang, &sign_href), t.sign_in_to_sign)),
            ..SignPanel::default()
        };
    };
    if !user.is_citizen() {
        return SignPanel {
            note: open.then(|| t.citizens_only_text.to_owned()),
            ..SignPanel::default()
        };
    }
    let own: Result<OwnSignature, Outcome> = command(
        app,
        visitor,
        Method::GET,
        &format!("/petitions/{}/signature", detail.id),
        None,
    )
    .await;
    let own = match own {
        Ok(own) => own,
        Err(Outcome::NotSignedIn(_)) => {
            return SignPanel {
                action: open.then(|| (forms::sign_in_href(lang, &sign_href), t.sign_in_to_sign)),
                ..SignPanel::default()
            };
        }
        Err(Outcome::Command(error)) => {
            return SignPanel {
                note: Some(forms::problem_text(lang, &error, Context::default())),
                ..SignPanel::default()
            };
        }
    };
    let when = |at: Option<time::OffsetDateTime>| at.map(|at| i18n::date(lang, at)).unwrap_or_default();
    match own.status.as_str() {
        "signed" => SignPanel {
            note: Some(i18n::fmt(
                lang,
                "signed-on",
                &[("date", FluentValue::from(when(own.signed_at)))],
            )),
            withdraw_href: open.then(|| format!("{base}/withdraw")),
            ..SignPanel::default()
        },
        "withdrawn" => SignPanel {
            note: Some(i18n::fmt(
                lang,
                "withdrawn-on",
                &[("date", FluentValue::from(when(own.withdrawn_at)))],
            )),
            ..SignPanel::default()
        },
        "invalidated" => SignPanel {
            note: Some(t.signature_invalidated_note.to_owned()),
            ..SignPanel::default()
        },
        _ => SignPanel {
            action: open.then_some((sign_href, t.sign_petition)),
            ..SignPanel::default()
        },
    }
}

// ----- signing -----

#[derive(Template)]
#[template(path = "account/sign.html")]
pub(crate) struct SignPage {
    pub chrome: Chrome,
    pub errors: Errors,
    pub petition_title: TextView,
    pub request: Option<TextView>,
    pub addressee: String,
    /// Who may sign, for a local petition.
    pub residents: Option<String>,
    pub action: String,
    pub back_href: String,
    pub csrf: String,
    /// "Yes, show “Айгерим С.”": offered when the identity provider gave a name.
    pub show_name_yes: Option<String>,
    pub show_name: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SignForm {
    #[serde(default)]
    csrf: String,
    show_name: Option<String>,
}

async fn petition_for(app: &App, lang: Lang, id: &str) -> Result<PetitionDetail, Failure> {
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    tyndau_read_model::petition_detail(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))
}

fn petition_texts(lang: Lang, detail: &PetitionDetail) -> (TextView, Option<TextView>) {
    let content = &detail.content;
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
    };
    let title = pick(|t| &t.title)
        .map(|s| TextView::quiet(lang, s))
        .unwrap_or_else(|| TextView::missing(lang));
    let request = pick(|t| &t.request).map(|s| TextView::quiet(lang, s));
    (title, request)
}

fn sign_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    detail: &PetitionDetail,
    errors: Errors,
    show_name: Option<bool>,
) -> SignPage {
    let t = lang.t();
    let (petition_title, request) = petition_texts(lang, detail);
    let base = format!("/{}/petitions/{}", lang.code(), detail.id);
    let user = visitor.user.as_ref();
    let mut chrome = Chrome::new(
        lang,
        forms::title(lang, t.sign_title, &errors),
        "",
        &format!("/petitions/{}/sign", detail.id),
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    chrome.form_script = true;
    SignPage {
        chrome,
        errors,
        petition_title,
        request,
        addressee: crate::bodies::name(lang, detail.addressee.body.as_str()),
        residents: detail.addressee.region.map(|region| {
            i18n::fmt(
                lang,
                "residents-only",
                &[("region", FluentValue::from(i18n::region_name(lang, region)))],
            )
        }),
        action: format!("{base}/sign"),
        back_href: base,
        csrf: user.map(|u| u.csrf.clone()).unwrap_or_default(),
        show_name_yes: user
            .and_then(|u| u.display_name.as_deref())
            .and_then(tyndau_auth::seal::first_name_and_initial)
            .map(|name| i18n::fmt(lang, "show-name-yes", &[("name", FluentValue::from(name))])),
        show_name,
    }
}

/// `GET /{lang}/petitions/{id}/sign`: what is signed, to whom, and the choice to show one's name.
pub(crate) async fn sign_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = petition_for(&app, lang, &id).await?;
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let page = sign_page(&app, &visitor, lang, &detail, Errors::default(), None);
    Ok(private(html(StatusCode::OK, &page)))
}

/// `POST /{lang}/petitions/{id}/sign`.
pub(crate) async fn sign(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<SignForm>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = petition_for(&app, lang, &id).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let user = match guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        Ok(user) => user,
        Err(response) => return Ok(response),
    };
    let t = lang.t();
    let offered = user
        .display_name
        .as_deref()
        .and_then(tyndau_auth::seal::first_name_and_initial)
        .is_some();
    let show_name = match form.show_name.as_deref() {
        Some("yes") if offered => Some(true),
        Some("no") => Some(false),
        _ if !offered => Some(false),
        _ => None,
    };
    let Some(show_name) = show_name else {
        let mut errors = Errors::default();
        errors.add("show-name-yes", t.error_choose_show_name);
        let page = sign_page(&app, &visitor, lang, &detail, errors, None);
        return Ok(private(html(StatusCode::UNPROCESSABLE_ENTITY, &page)));
    };
    let base = format!("/{}/petitions/{}", lang.code(), detail.id);
    let signed: Result<Value, Outcome> = command(
        &app,
        &visitor,
        Method::POST,
        &format!("/petitions/{}/signature?show_name={show_name}", detail.id),
        None,
    )
    .await;
    match signed {
        // A second post of the same form (a double click) finds the first signature: the
        // person has signed, which is what they asked for.
        Ok(_) => {}
        Err(Outcome::Command(e)) if e.code() == Some("already_signed") => {}
        Err(Outcome::NotSignedIn(why)) => {
            return Ok(forms::not_signed_in(&app, lang, why, &format!("{base}/sign")));
        }
        Err(Outcome::Command(error)) => {
            let mut errors = Errors::default();
            let context = Context {
                region: detail.addressee.region.map(|r| i18n::region_name(lang, r)),
                min_age: Some(18),
            };
            errors.add("", forms::problem_text(lang, &error, context));
            let page = sign_page(&app, &visitor, lang, &detail, errors, Some(show_name));
            return Ok(private(html(refused_status(&error), &page)));
        }
    }
    super::flash(
        &visitor,
        Flash::Signed {
            petition: detail.id.to_string(),
        },
    )
    .await;
    Ok(forms::see_other(&format!("{base}#signatures")))
}

// ----- withdrawing -----

#[derive(Template)]
#[template(path = "account/withdraw.html")]
pub(crate) struct WithdrawPage {
    pub chrome: Chrome,
    pub errors: Errors,
    pub petition_title: TextView,
    pub action: String,
    pub back_href: String,
    pub csrf: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

fn withdraw_page(
    app: &App,
    visitor: &Visitor,
    lang: Lang,
    detail: &PetitionDetail,
    errors: Errors,
) -> WithdrawPage {
    let t = lang.t();
    let (petition_title, _) = petition_texts(lang, detail);
    let base = format!("/{}/petitions/{}", lang.code(), detail.id);
    let chrome = Chrome::new(
        lang,
        forms::title(lang, t.withdraw_title, &errors),
        "",
        &format!("/petitions/{}/withdraw", detail.id),
        &app.site.query_api_url,
    )
    .with_visitor(visitor);
    WithdrawPage {
        chrome,
        errors,
        petition_title,
        action: format!("{base}/withdraw"),
        back_href: base,
        csrf: visitor.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
    }
}

/// `GET /{lang}/petitions/{id}/withdraw`: are you sure?
pub(crate) async fn withdraw_form(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = petition_for(&app, lang, &id).await?;
    if let Err(why) = forms::require_citizen(&visitor) {
        return Ok(forms::not_signed_in(&app, lang, why, uri.path()));
    }
    let page = withdraw_page(&app, &visitor, lang, &detail, Errors::default());
    Ok(private(html(StatusCode::OK, &page)))
}

/// `POST /{lang}/petitions/{id}/withdraw`.
pub(crate) async fn withdraw(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    form: Result<Form<CsrfOnly>, FormRejection>,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let detail = petition_for(&app, lang, &id).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if let Err(response) = guard(&app, &visitor, &headers, lang, &form.csrf, uri.path()) {
        return Ok(response);
    }
    let base = format!("/{}/petitions/{}", lang.code(), detail.id);
    let withdrawn: Result<Value, _> = command(
        &app,
        &visitor,
        Method::DELETE,
        &format!("/petitions/{}/signature", detail.id),
        None,
    )
    .await;
    match withdrawn {
        Ok(_) => {}
        Err(Outcome::Command(e)) if e.code() == Some("already_withdrawn") => {}
        Err(Outcome::NotSignedIn(why)) => {
            return Ok(forms::not_signed_in(&app, lang, why, &format!("{base}/withdraw")));
        }
        Err(Outcome::Command(error)) => {
            let errors = forms::refused(lang, "", &error, Context::default());
            let page = withdraw_page(&app, &visitor, lang, &detail, errors);
            return Ok(private(html(refused_status(&error), &page)));
        }
    }
    super::flash(
        &visitor,
        Flash::Withdrawn {
            petition: detail.id.to_string(),
        },
    )
    .await;
    Ok(forms::see_other(&format!("{base}#signatures")))
}

// ----- shared -----

/// Why a command did not happen: the person must sign in (again), or the API refused.
pub(crate) enum Outcome {
    NotSignedIn(NotSignedIn),
    Command(CommandError),
}

/// Calls the command API as the signed-in person.
pub(crate) async fn command<T: serde::de::DeserializeOwned>(
    app: &App,
    visitor: &Visitor,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Result<T, Outcome> {
    let accounts = app
        .accounts
        .as_ref()
        .ok_or(Outcome::NotSignedIn(NotSignedIn::SignIn))?;
    let token = super::access_token(app, visitor)
        .await
        .map_err(Outcome::NotSignedIn)?;
    accounts
        .commands
        .call(method, path, &token, visitor.client, body)
        .await
        .map_err(Outcome::Command)
}

/// The signed-in person behind a form post, after the anti-forgery checks; otherwise the
/// response to send instead (sign in, or 403).
pub(crate) fn guard<'v>(
    app: &App,
    visitor: &'v Visitor,
    headers: &HeaderMap,
    lang: Lang,
    csrf: &str,
    form_path: &str,
) -> Result<&'v super::session::SignedIn, Response> {
    let Some(accounts) = &app.accounts else {
        return Err(forms::not_signed_in(app, lang, NotSignedIn::SignIn, form_path));
    };
    let Some(user) = &visitor.user else {
        return Err(forms::sign_in_then(lang, form_path));
    };
    super::csrf::check(headers, &accounts.origin, &user.csrf, csrf)
        .map_err(|refusal| forms::forbidden(app, lang, refusal))?;
    Ok(user)
}

/// A refusal's status on the re-rendered form: the command API's 4xx, or 503 when it failed.
pub(crate) fn refused_status(error: &CommandError) -> StatusCode {
    match error {
        CommandError::Refused { status, .. } => *status,
        CommandError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// Pages about one person are never stored by a shared cache.
pub(crate) fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The JSON body of a new petition.
pub(crate) fn petition_body(
    addressee: &str,
    language: &str,
    title: &str,
    request: &str,
    text: &str,
) -> Value {
    json!({
        "addressee": addressee,
        "content": { language: { "title": title, "request": request, "text": text } },
    })
}
