//! Public Atom feeds (RFC 4287), for journalists and feed readers, no sign-in: one per
//! petition, per consultation and per state body, and two site-wide ones (newly published
//! petitions, new answers). Each feed is in the language of its path and reads the same read
//! models as the pages; entries link to the pages.
//!
//! Entry ids are `tag:` URIs (RFC 4151) under this site's host, fixed by what the entry is (a
//! petition's event by its sequence, a consultation's version by its number), so a reader
//! never sees an entry twice. A feed's `updated` is its newest entry's, so it changes only when
//! something happens.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use time::OffsetDateTime;
use tyndau_ids::{BodyId, PetitionId};
use tyndau_read_model::{
    self as read_model, ConsultationFilter, ConsultationStatus, ListFilter, PageRequest, PetitionDetail, Sort,
};
use uuid::Uuid;

use crate::i18n::{self, FluentValue, Lang};
use crate::routes::{App, Failure, Params, params};

/// Entries per site-wide or body feed.
const FEED_ENTRIES: u32 = 50;
/// Feeds may be kept a minute by readers and caches: they poll, and nothing in them is urgent.
const FEED_CACHE: HeaderValue = HeaderValue::from_static("public, max-age=60");

/// Where entries point, and the authority of their ids.
struct Site<'a> {
    origin: &'a str,
    host: String,
    lang: Lang,
}

impl<'a> Site<'a> {
    fn new(app: &'a App, lang: Lang) -> Self {
        let origin = app.site.public_url.trim_end_matches('/');
        let host = origin
            .split_once("://")
            .map_or(origin, |(_, rest)| rest)
            .split([':', '/'])
            .next()
            .unwrap_or("localhost")
            .to_owned();
        Site { origin, host, lang }
    }

    fn page(&self, path: &str) -> String {
        format!("{}/{}{path}", self.origin, self.lang.code())
    }

    /// A permanent id: the thing's kind and key, and the feed's language (each language's
    /// entry is its own text).
    fn id(&self, what: &str) -> String {
        format!("tag:{},2026:{what}:{}", self.host, self.lang.code())
    }
}

fn when(at: OffsetDateTime) -> FixedDateTime {
    let text = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    FixedDateTime::parse_from_rfc3339(&text).unwrap_or_default()
}

fn link(href: String, rel: &str) -> Link {
    let mut link = Link::default();
    link.set_href(href);
    link.set_rel(rel);
    link
}

fn entry(id: String, title: String, at: OffsetDateTime, href: String, text: Option<String>) -> Entry {
    let mut entry = Entry::default();
    entry.set_id(id);
    entry.set_title(Text::plain(title));
    entry.set_updated(when(at));
    entry.set_links(vec![link(href, "alternate")]);
    if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
        let mut content = Content::default();
        content.set_content_type("text".to_owned());
        content.set_value(text);
        entry.set_content(content);
    }
    entry
}

/// The feed around `entries`, newest first; `updated` is the newest entry's, or `since` for a
/// feed with none yet.
fn feed(
    site: &Site<'_>,
    id: String,
    title: String,
    page: String,
    self_href: String,
    mut entries: Vec<Entry>,
    since: OffsetDateTime,
) -> Response {
    entries.sort_by(|a, b| b.updated().cmp(a.updated()));
    let mut feed = Feed::default();
    feed.set_id(id);
    feed.set_title(Text::plain(title));
    feed.set_lang(site.lang.code().to_owned());
    feed.set_updated(entries.first().map_or_else(|| when(since), |e| *e.updated()));
    let mut author = Person::default();
    author.set_name(site.lang.t().site_name.to_owned());
    author.set_uri(Some(format!("{}/", site.page(""))));
    feed.set_authors(vec![author]);
    feed.set_links(vec![link(page, "alternate"), link(self_href, "self")]);
    feed.set_entries(entries);
    let mut response = (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        feed.to_string(),
    )
        .into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, FEED_CACHE);
    response
}

/// The petition's title in the feed's language (or the nearest one given).
fn petition_title(lang: Lang, detail: &PetitionDetail) -> String {
    let (title, _, _) = crate::office::petition_texts(lang, &detail.content);
    if title.trim().is_empty() {
        "—".to_owned()
    } else {
        title
    }
}

/// What a petition's event says beyond its name: the answer, the reason for a rejection or a
/// stop, the count at the threshold.
fn petition_event_text(lang: Lang, detail: &PetitionDetail, event_type: &str) -> Option<String> {
    match event_type {
        "PetitionAnswered" => detail.answer.as_ref().map(|answer| {
            let text = i18n::pick_string(lang, &answer.text)
                .map(|s| s.value)
                .unwrap_or_default();
            format!("{}. {text}", i18n::decision(lang, answer.decision))
        }),
        "PetitionRejected" => detail
            .rejection
            .as_ref()
            .map(|r| format!("{}. {}", i18n::rejection_reason(lang, r.reason), r.explanation)),
        "PetitionStopped" => detail
            .stop
            .as_ref()
            .map(|s| format!("{}. {}", i18n::stop_reason(lang, s.reason), s.explanation)),
        "PetitionThresholdReached" => detail
            .threshold
            .map(|threshold| i18n::count_of_threshold(lang, i64::from(threshold), i64::from(threshold))),
        _ => None,
    }
}

/// `GET /{lang}/petitions/{id}/feed.atom`: the petition's public history.
pub(crate) async fn petition(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let (detail, timeline) = tokio::try_join!(
        read_model::petition_detail(&app.pool, id),
        read_model::timeline(&app.pool, id),
    )
    .map_err(Failure::read(lang))?;
    let (Some(detail), Some(timeline)) = (detail, timeline) else {
        return Err(Failure::NotFound(lang));
    };
    let site = Site::new(&app, lang);
    let title = petition_title(lang, &detail);
    let page = site.page(&format!("/petitions/{id}"));
    let entries = timeline
        .entries
        .iter()
        .map(|e| {
            let what = i18n::petition_event(lang, &e.event_type).unwrap_or(e.event_type.as_str());
            entry(
                site.id(&format!("petition:{id}:{}", e.sequence)),
                format!("{what}: {title}"),
                e.occurred_at,
                page.clone(),
                petition_event_text(lang, &detail, &e.event_type),
            )
        })
        .collect();
    let since = detail.dates.published_at.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    Ok(feed(
        &site,
        site.id(&format!("petition:{id}")),
        i18n::fmt(lang, "feed-petition", &[("title", FluentValue::from(title))]),
        page.clone(),
        format!("{page}/feed.atom"),
        entries,
        since,
    ))
}

/// `GET /{lang}/consultations/{id}/feed.atom`: opened, each new version (with why it changed),
/// closed, the outcome report.
pub(crate) async fn consultation(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let id: Uuid = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let detail = read_model::consultation_detail(&app.pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))?;
    let site = Site::new(&app, lang);
    let title = crate::office::title_of(lang, &detail.content);
    let page = site.page(&format!("/consultations/{id}"));
    let mut entries = Vec::new();
    if let Some(opened) = detail.opened_at {
        let until = detail
            .closes_at
            .map(|at| i18n::date(lang, at))
            .unwrap_or_default();
        entries.push(entry(
            site.id(&format!("consultation:{id}:opened")),
            i18n::fmt(
                lang,
                "feed-consultation-opened",
                &[("title", FluentValue::from(title.clone()))],
            ),
            opened,
            page.clone(),
            Some(i18n::fmt(
                lang,
                "feed-comments-until",
                &[("date", FluentValue::from(until))],
            )),
        ));
    }
    for version in detail.versions.iter().filter(|v| v.version > 1) {
        let why = version
            .changes
            .as_array()
            .map(|notes| {
                notes
                    .iter()
                    .filter_map(|note| {
                        let path = note.get("path")?.as_str()?;
                        let why = note.get("why").and_then(|w| i18n::pick_json(lang, w))?;
                        Some(format!("{}: {}", i18n::provision(lang, path), why.value))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        entries.push(entry(
            site.id(&format!("consultation:{id}:version:{}", version.version)),
            format!("{}: {title}", i18n::version(lang, version.version)),
            version.published_at,
            format!("{page}?version={}", version.version),
            Some(why),
        ));
    }
    if let Some(closed) = detail.closed_at {
        entries.push(entry(
            site.id(&format!("consultation:{id}:closed")),
            i18n::fmt(
                lang,
                "feed-consultation-closed",
                &[("title", FluentValue::from(title.clone()))],
            ),
            closed,
            page.clone(),
            None,
        ));
    }
    if let Some(published) = detail
        .report_published_at
        .filter(|_| detail.status == ConsultationStatus::ReportPublished)
    {
        entries.push(entry(
            site.id(&format!("consultation:{id}:report")),
            i18n::fmt(
                lang,
                "feed-report-published",
                &[("title", FluentValue::from(title.clone()))],
            ),
            published,
            page.clone(),
            None,
        ));
    }
    let since = detail.opened_at.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    Ok(feed(
        &site,
        site.id(&format!("consultation:{id}")),
        i18n::fmt(lang, "feed-consultation", &[("title", FluentValue::from(title))]),
        page.clone(),
        format!("{page}/feed.atom"),
        entries,
        since,
    ))
}

fn summary_title(lang: Lang, title: &read_model::LocalizedString) -> String {
    i18n::pick_string(lang, title).map_or_else(|| "—".to_owned(), |s| s.value)
}

/// `GET /{lang}/bodies/{body}/feed.atom`: petitions addressed to it, its answers, the
/// consultations it opened.
pub(crate) async fn body(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [body]) = params(path, ["body"], &uri, &headers)?;
    let body: BodyId = body.parse().map_err(|_| Failure::NotFound(lang))?;
    if !crate::bodies::is_known(body.as_str()) {
        return Err(Failure::NotFound(lang));
    }
    let petitions_filter = ListFilter {
        addressee: Some(body.clone()),
        sort: Sort::Newest,
        ..ListFilter::default()
    };
    let consultations_filter = ConsultationFilter {
        body: Some(body.as_str().to_owned()),
        ..ConsultationFilter::default()
    };
    let page_request = PageRequest {
        limit: FEED_ENTRIES,
        cursor: None,
    };
    let (petitions, consultations, answered) = tokio::try_join!(
        read_model::list_petitions(&app.pool, &petitions_filter, &page_request),
        read_model::list_consultations(&app.pool, &consultations_filter, None, Some(FEED_ENTRIES)),
        read_model::recently_answered_by(&app.pool, &body, FEED_ENTRIES),
    )
    .map_err(Failure::read(lang))?;
    let site = Site::new(&app, lang);
    let mut entries = Vec::new();
    for p in &petitions.items {
        if let Some(published) = p.published_at {
            let title = summary_title(lang, &p.title);
            entries.push(entry(
                site.id(&format!("petition:{}:published", p.id)),
                i18n::fmt(
                    lang,
                    "feed-petition-published",
                    &[("title", FluentValue::from(title))],
                ),
                published,
                site.page(&format!("/petitions/{}", p.id)),
                None,
            ));
        }
    }
    for a in &answered {
        let title = summary_title(lang, &a.petition.title);
        entries.push(entry(
            site.id(&format!("petition:{}:answered", a.petition.id)),
            i18n::fmt(
                lang,
                "feed-petition-answered",
                &[("title", FluentValue::from(title))],
            ),
            a.answered_at,
            site.page(&format!("/petitions/{}", a.petition.id)),
            Some(i18n::decision(lang, a.decision).to_owned()),
        ));
    }
    for c in &consultations.items {
        if let Some(opened) = c.opened_at {
            let title = summary_title(lang, &c.title);
            entries.push(entry(
                site.id(&format!("consultation:{}:opened", c.id)),
                i18n::fmt(
                    lang,
                    "feed-consultation-opened",
                    &[("title", FluentValue::from(title))],
                ),
                opened,
                site.page(&format!("/consultations/{}", c.id)),
                None,
            ));
        }
    }
    let name = crate::bodies::name(lang, body.as_str());
    let page = site.page(&format!("/bodies/{body}"));
    Ok(feed(
        &site,
        site.id(&format!("body:{body}")),
        i18n::fmt(lang, "feed-body", &[("body", FluentValue::from(name))]),
        page.clone(),
        format!("{page}/feed.atom"),
        entries,
        OffsetDateTime::UNIX_EPOCH,
    ))
}

/// `GET /{lang}/feeds/petitions.atom`: petitions as they are published.
pub(crate) async fn new_petitions(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let filter = ListFilter {
        sort: Sort::Newest,
        ..ListFilter::default()
    };
    let petitions = read_model::list_petitions(
        &app.pool,
        &filter,
        &PageRequest {
            limit: FEED_ENTRIES,
            cursor: None,
        },
    )
    .await
    .map_err(Failure::read(lang))?;
    let site = Site::new(&app, lang);
    let entries = petitions
        .items
        .iter()
        .filter_map(|p| {
            let published = p.published_at?;
            Some(entry(
                site.id(&format!("petition:{}:published", p.id)),
                summary_title(lang, &p.title),
                published,
                site.page(&format!("/petitions/{}", p.id)),
                Some(crate::bodies::name(lang, p.addressee.body.as_str())),
            ))
        })
        .collect();
    let page = site.page("/");
    Ok(feed(
        &site,
        site.id("petitions"),
        lang.t().feed_new_petitions.to_owned(),
        page,
        site.page("/feeds/petitions.atom"),
        entries,
        OffsetDateTime::UNIX_EPOCH,
    ))
}

/// `GET /{lang}/feeds/answers.atom`: state bodies' answers as they are given.
pub(crate) async fn answers(
    State(app): State<App>,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let answered = read_model::recently_answered(&app.pool, FEED_ENTRIES)
        .await
        .map_err(Failure::read(lang))?;
    let site = Site::new(&app, lang);
    let entries = answered
        .iter()
        .map(|a| {
            let title = summary_title(lang, &a.petition.title);
            entry(
                site.id(&format!("petition:{}:answered", a.petition.id)),
                i18n::fmt(
                    lang,
                    "feed-petition-answered",
                    &[("title", FluentValue::from(title))],
                ),
                a.answered_at,
                site.page(&format!("/petitions/{}", a.petition.id)),
                Some(format!(
                    "{} — {}",
                    crate::bodies::name(lang, a.petition.addressee.body.as_str()),
                    i18n::decision(lang, a.decision)
                )),
            )
        })
        .collect();
    Ok(feed(
        &site,
        site.id("answers"),
        lang.t().feed_new_answers.to_owned(),
        site.page("/"),
        site.page("/feeds/answers.atom"),
        entries,
        OffsetDateTime::UNIX_EPOCH,
    ))
}
