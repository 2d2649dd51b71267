//! The audit trail for administrators: who did what and when, newest first, filterable by the
//! actor and by the petition, consultation or other record. Read through the command API (which
//! checks the administrator's role), not the database: the trail is the command side's.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;

use super::{Refusal, Role, Tr};
use crate::account::Visitor;
use crate::account::forms::Errors;
use crate::account::petitions::private;
use crate::i18n::{self, Lang};
use crate::routes::{App, Failure, Params, html, params, query};
use crate::views::Chrome;

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    actor_kind: String,
    #[serde(default)]
    actor_id: String,
    #[serde(default)]
    aggregate_type: String,
    #[serde(default)]
    aggregate_id: String,
    before: Option<i64>,
}

#[derive(Deserialize)]
struct AuditPageBody {
    entries: Vec<Entry>,
    next_before: Option<i64>,
}

#[derive(Deserialize)]
struct Entry {
    aggregate_type: String,
    aggregate_id: String,
    event_type: String,
    actor_kind: Option<String>,
    actor_id: Option<String>,
    origin: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    occurred_at: Option<time::OffsetDateTime>,
}

pub(crate) struct Row {
    pub when: String,
    pub actor: String,
    pub what: String,
    pub record: String,
    pub origin: String,
}

#[derive(Template)]
#[template(path = "office/audit.html")]
pub(crate) struct AuditPage {
    pub chrome: Chrome,
    pub tr: Tr,
    pub errors: Errors,
    pub action: String,
    pub q: AuditQuery,
    pub kinds: Vec<(&'static str, bool)>,
    pub types: Vec<(&'static str, bool)>,
    pub rows: Vec<Row>,
    pub next_href: Option<String>,
}

const KINDS: [&str; 5] = ["citizen", "official", "moderator", "admin", "system"];
const TYPES: [&str; 5] = [
    "petition",
    "signature",
    "consultation",
    "comment",
    "comment_reaction",
];

fn api_query(q: &AuditQuery, before: Option<i64>) -> String {
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("actor_kind", &q.actor_kind),
        ("actor_id", &q.actor_id),
        ("aggregate_type", &q.aggregate_type),
        ("aggregate_id", &q.aggregate_id),
    ] {
        if !value.trim().is_empty() {
            pairs.append_pair(name, value.trim());
        }
    }
    if let Some(before) = before {
        pairs.append_pair("before", &before.to_string());
    }
    pairs.finish()
}

/// `GET /{lang}/office/audit`.
pub(crate) async fn page(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    if let Err(response) = super::require(&app, &visitor, lang, uri.path(), |r| *r == Role::Admin) {
        return Ok(response);
    }
    let q: AuditQuery = query(q);
    let tr = Tr(lang);
    let mut errors = Errors::default();
    let answer: Result<AuditPageBody, Refusal> = super::read(
        &app,
        &visitor,
        lang,
        uri.path(),
        &format!("/admin/audit?{}", api_query(&q, q.before)),
    )
    .await;
    let (rows, next_before) = match answer {
        Ok(body) => (
            body.entries.iter().map(|e| row(lang, e)).collect(),
            body.next_before,
        ),
        Err(Refusal::Response(response)) => return Ok(response),
        Err(Refusal::Command(error)) => {
            errors = super::refused(lang, "", &error);
            (Vec::new(), None)
        }
    };
    let base = format!("/{}/office/audit", lang.code());
    let page = AuditPage {
        chrome: super::chrome(
            &app,
            &visitor,
            lang,
            tr.t("office-audit").to_owned(),
            "/office/audit",
        ),
        tr,
        action: base.clone(),
        kinds: KINDS.iter().map(|k| (*k, q.actor_kind == *k)).collect(),
        types: TYPES.iter().map(|t| (*t, q.aggregate_type == *t)).collect(),
        next_href: next_before.map(|before| format!("{base}?{}", api_query(&q, Some(before)))),
        rows,
        q,
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(private(html(status, &page)))
}

fn row(lang: Lang, e: &Entry) -> Row {
    Row {
        when: e
            .occurred_at
            .map(|at| i18n::date_time(lang, at))
            .unwrap_or_default(),
        actor: match (&e.actor_kind, &e.actor_id) {
            (Some(kind), Some(id)) => format!("{} · {id}", i18n::role_or_system(lang, kind)),
            (Some(kind), None) => i18n::role_or_system(lang, kind).to_owned(),
            _ => "—".to_owned(),
        },
        what: e.event_type.clone(),
        record: format!("{} {}", e.aggregate_type, e.aggregate_id),
        origin: e.origin.clone().unwrap_or_default(),
    }
}
