//! `/{lang}/office`: what needs the signed-in person now, most urgent first. A state body's
//! official sees the petitions owed an answer and the body's consultations, with working days
//! left; a moderator sees the size of each queue; an administrator, the audit trail.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode, Uri};
use time::OffsetDateTime;
use tyndau_read_model::office;

use super::{Due, Role, Tr};
use crate::account::Visitor;
use crate::account::petitions::private;
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params};
use crate::views::Chrome;

pub(crate) struct PetitionRow {
    pub title: String,
    pub href: String,
    pub signatures: String,
    pub reached: String,
    pub due: Option<Due>,
}

pub(crate) struct ConsultationRow {
    pub title: String,
    pub href: String,
    pub status: &'static str,
    pub proposals: i64,
    pub unanswered: i64,
    /// "Comments until …" while open, "Answers due …" after.
    pub deadline_label: &'static str,
    pub due: Option<Due>,
}

#[derive(Template)]
#[template(path = "office/desk.html")]
pub(crate) struct DeskPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub body_name: Option<String>,
    pub body_href: Option<String>,
    pub petitions: Vec<PetitionRow>,
    pub consultations: Vec<ConsultationRow>,
    pub new_consultation_href: String,
    pub moderation: Option<(usize, usize, String)>,
    pub audit_href: Option<String>,
}

pub(crate) fn consultation_status(status: &str) -> &'static str {
    match status {
        "drafted" => "office-status-drafted",
        "open" => "office-status-open",
        "closed" => "office-status-closed",
        _ => "office-status-report-published",
    }
}

/// `GET /{lang}/office`.
pub(crate) async fn page(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let role = match super::require(&app, &visitor, lang, uri.path(), |_| true) {
        Ok(role) => role,
        Err(response) => return Ok(response),
    };
    let tr = Tr(lang);
    let code = lang.code();
    let now = OffsetDateTime::now_utc();
    let mut page = DeskPage {
        chrome: super::chrome(&app, &visitor, lang, tr.t("office-desk").to_owned(), "/office"),
        tr,
        body_name: None,
        body_href: None,
        petitions: Vec::new(),
        consultations: Vec::new(),
        new_consultation_href: format!("/{code}/office/consultations/new"),
        moderation: None,
        audit_href: None,
    };
    match &role {
        Role::Official(body) => {
            let (petitions, consultations) = tokio::try_join!(
                office::petitions_to_answer(&app.pool, body),
                office::consultations_of(&app.pool, body),
            )
            .map_err(Failure::read(lang))?;
            page.body_name = Some(crate::bodies::name(lang, body.as_str()));
            page.body_href = Some(format!("/{code}/bodies/{body}"));
            page.petitions = petitions.iter().map(|p| petition_row(lang, p, now)).collect();
            page.consultations = consultations
                .iter()
                .map(|c| consultation_row(lang, c, now))
                .collect();
        }
        Role::Moderator => {
            let (pending, flagged) = tokio::try_join!(
                office::pending_petitions(&app.pool),
                office::flagged_comments(&app.pool, 200),
            )
            .map_err(Failure::read(lang))?;
            page.moderation = Some((pending.len(), flagged.len(), format!("/{code}/office/moderation")));
        }
        Role::Admin => page.audit_href = Some(format!("/{code}/office/audit")),
    }
    Ok(private(html(StatusCode::OK, &page)))
}

fn petition_row(lang: Lang, p: &office::PetitionToAnswer, now: OffsetDateTime) -> PetitionRow {
    let title = i18n::pick_string(lang, &p.petition.title)
        .map(|s| s.value)
        .unwrap_or_else(|| "—".to_owned());
    PetitionRow {
        title,
        href: format!("/{}/office/petitions/{}", lang.code(), p.petition.id),
        signatures: i18n::signatures(lang, p.petition.signatures),
        reached: p
            .threshold_reached_at
            .map(|at| i18n::date(lang, at))
            .unwrap_or_default(),
        due: p.answer_due.map(|due| Due::of(lang, due, now)),
    }
}

pub(crate) fn consultation_row(
    lang: Lang,
    c: &office::OfficeConsultation,
    now: OffsetDateTime,
) -> ConsultationRow {
    let (deadline_label, due) = match c.status.as_str() {
        "open" => ("office-comments-until", c.closes_at),
        "closed" => ("office-answers-due", c.answers_due),
        _ => ("office-answers-due", None),
    };
    ConsultationRow {
        title: super::title_of(lang, &c.content),
        href: format!("/{}/office/consultations/{}", lang.code(), c.id),
        status: consultation_status(&c.status),
        proposals: c.proposals,
        unanswered: c.unanswered,
        deadline_label,
        due: due.map(|due| Due::of(lang, due, now)),
    }
}
