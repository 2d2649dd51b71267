//! The page handlers: read the read models, turn the results into views, render. No SQL here
//! and no rules beyond presentation.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use sqlx::PgPool;
use time::OffsetDateTime;
use tyndau_db::sqlx;
use tyndau_events::petition::Language;
use tyndau_ids::{BodyId, PetitionId};
use tyndau_read_model::{
    self as read_model, AnsweredPetition, CommentView, ConsultationFilter, ConsultationStatus,
    ConsultationSummary, DailyPoint, HourlyPoint, ListFilter, PageRequest, PetitionDetail, PetitionStatus,
    PetitionSummary, ReadError, RegionBreakdown, RegionParticipation, Sort, ThreadScope, TimelineEntry,
    TrendingPetition,
};
use uuid::Uuid;

use crate::account::Visitor;
use crate::charts::{self, Point};
use crate::i18n::{self, KAZAKHSTAN, Lang, Shown};
use crate::routes::{App, Failure, Params, html, params, query, rest_of};
use crate::views::{
    AnswerView, BodiesPage, BodyPage, BodyRow, Chrome, CommentAnswer, CommentItem, ConsultationCard,
    ConsultationPage, CountRow, DateLine, DiffRow, DiffView, HomePage, Meter, PetitionCard, PetitionPage,
    ProvisionRow, ProvisionTallyRow, ReasonView, ReportView, ScopeLink, SelectOption, Stamp, StatsPage,
    TextView, TimelineRow, VersionLink, WordView, status_class,
};

/// Petitions per home list.
const HOME_LIST: u32 = 5;
/// Proposals per page, and replies shown under each.
const THREAD_PAGE: u32 = 20;
/// Recent petitions and consultations on a body's page.
const BODY_LIST: u32 = 10;
/// The statistics' time series covers this many days.
const STATS_DAYS: i64 = 90;

fn ok(page: &impl Template) -> Result<Response, Failure> {
    Ok(html(StatusCode::OK, page))
}

// ----- home -----

pub(crate) struct HomeData {
    most_signed: Vec<PetitionSummary>,
    nearest: Vec<PetitionSummary>,
    newest: Vec<PetitionSummary>,
    fastest: Vec<TrendingPetition>,
    answered: Vec<AnsweredPetition>,
    closing: Vec<ConsultationSummary>,
}

async fn load_home(pool: &PgPool) -> Result<HomeData, ReadError> {
    let now = OffsetDateTime::now_utc();
    let open = |sort| ListFilter {
        status: Some(PetitionStatus::Open),
        sort,
        ..ListFilter::default()
    };
    let (most, newest) = (open(Sort::MostSigned), open(Sort::Newest));
    let page = PageRequest {
        limit: HOME_LIST,
        cursor: None,
    };
    let (most_signed, nearest, newest, fastest, answered, closing) = tokio::try_join!(
        read_model::list_petitions(pool, &most, &page),
        read_model::nearest_to_threshold(pool, HOME_LIST),
        read_model::list_petitions(pool, &newest, &page),
        read_model::fastest_last_hour(pool, now, HOME_LIST),
        read_model::recently_answered(pool, HOME_LIST),
        read_model::consultations_closing_soon(pool, now, HOME_LIST),
    )?;
    Ok(HomeData {
        most_signed: most_signed.items,
        nearest,
        newest: newest.items,
        fastest,
        answered,
        closing,
    })
}

pub(crate) async fn home(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let data = app
        .caches
        .home
        .get_or_load(load_home(&app.pool))
        .await
        .map_err(Failure::read(lang))?;
    let t = lang.t();
    let cards = |list: &[PetitionSummary]| list.iter().map(|p| PetitionCard::of(lang, p, None)).collect();
    let page = HomePage {
        chrome: Chrome::new(
            lang,
            t.home_title.to_owned(),
            "home",
            &rest_of(&uri),
            &app.site.query_api_url,
        )
        .with_visitor(&visitor)
        .with_feed(format!("/{}/feeds/petitions.atom", lang.code())),
        most_signed: cards(&data.most_signed),
        nearest: cards(&data.nearest),
        newest: cards(&data.newest),
        fastest: data
            .fastest
            .iter()
            .map(|f| {
                let extra = format!("+{} {}", i18n::number(lang, f.recent_signatures), t.in_last_hour);
                PetitionCard::of(lang, &f.petition, Some(extra))
            })
            .collect(),
        answered: data
            .answered
            .iter()
            .map(|a| {
                let extra = format!(
                    "{} · {}",
                    i18n::decision(lang, a.decision),
                    i18n::date(lang, a.answered_at)
                );
                PetitionCard::of(lang, &a.petition, Some(extra))
            })
            .collect(),
        closing: data
            .closing
            .iter()
            .map(|c| ConsultationCard::of(lang, c))
            .collect(),
    };
    ok(&page)
}

// ----- petition -----

fn stamp(lang: Lang, at: OffsetDateTime) -> Stamp {
    Stamp {
        text: i18n::date_time(lang, at),
        iso: i18n::iso(at),
    }
}

fn date_line(lang: Lang, label: &'static str, at: Option<OffsetDateTime>) -> Option<DateLine> {
    at.map(|at| DateLine {
        label,
        text: i18n::date_time(lang, at),
        iso: i18n::iso(at),
    })
}

fn language_of(lang: Lang) -> Language {
    match lang {
        Lang::Kk => Language::Kk,
        Lang::Ru => Language::Ru,
        Lang::En => Language::En,
    }
}

pub(crate) async fn petition(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let id: PetitionId = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let pool = &app.pool;
    let (detail, regions, hourly, timeline) = tokio::try_join!(
        read_model::petition_detail(pool, id),
        read_model::region_breakdown(pool, id),
        read_model::hourly_series(pool, id),
        read_model::timeline(pool, id),
    )
    .map_err(Failure::read(lang))?;
    let (Some(detail), Some(regions)) = (detail, regions) else {
        return Err(Failure::NotFound(lang));
    };
    let mut page = petition_page(
        lang,
        &detail,
        &regions,
        hourly.map(|h| h.points).unwrap_or_default(),
        timeline.map(|t| t.entries).unwrap_or_default(),
        &rest_of(&uri),
        &app.site.query_api_url,
    );
    page.sign = crate::account::petitions::sign_panel(&app, &visitor, lang, &detail).await;
    page.chrome = page.chrome.with_visitor(&visitor);
    ok(&page)
}

/// The petition page from what the read model returned: pure, so it is tested without a
/// database.
fn petition_page(
    lang: Lang,
    detail: &PetitionDetail,
    regions: &RegionBreakdown,
    hourly: Vec<HourlyPoint>,
    timeline: Vec<TimelineEntry>,
    rest: &str,
    query_api: &str,
) -> PetitionPage {
    let t = lang.t();
    let content = &detail.content;
    let text_in = |l: Lang| match l {
        Lang::Kk => content.kk.as_ref(),
        Lang::Ru => content.ru.as_ref(),
        Lang::En => content.en.as_ref(),
    };
    let pick_field = |get: fn(&read_model::PetitionTextView) -> &String| {
        i18n::pick(lang, |l| {
            text_in(l).map(get).filter(|s| !s.trim().is_empty()).cloned()
        })
    };
    let title_shown = pick_field(|t| &t.title);
    let title_lang = title_shown.as_ref().map(|s| s.lang);
    let title = title_shown
        .map(|s| TextView::of(lang, s))
        .unwrap_or_else(|| TextView::missing(lang));
    // The fallback note goes under the title; the texts below repeat it only when they are in
    // yet another language.
    let field = |get: fn(&read_model::PetitionTextView) -> &String| {
        pick_field(get).map(|shown| TextView::after(lang, shown, title_lang))
    };
    let threshold = detail.threshold.filter(|t| *t > 0).map(i64::from);
    let count_label = match threshold {
        Some(th) => i18n::count_of_threshold(lang, detail.signatures, th),
        None => i18n::signatures(lang, detail.signatures),
    };
    let live_url = (detail.status == PetitionStatus::Open)
        .then(|| format!("/{}/petitions/{}/live", lang.code(), detail.id));
    let dates = &detail.dates;
    let hourly: Vec<(OffsetDateTime, i64)> = hourly.into_iter().map(|p| (p.hour, p.signatures)).collect();
    let (points, by_hour) = charts::signing_points(lang, &hourly);
    let unit = if by_hour { t.per_hour } else { t.per_day };
    let mut chrome = Chrome::new(lang, title.text.clone(), "", rest, query_api)
        .with_feed(format!("/{}/petitions/{}/feed.atom", lang.code(), detail.id))
        .with_follow(format!("petition:{}", detail.id));
    chrome.script = live_url.is_some();
    PetitionPage {
        chrome,
        status: i18n::petition_status(lang, detail.status),
        status_class: status_class(detail.status),
        addressee: crate::bodies::name(lang, detail.addressee.body.as_str()),
        addressee_href: format!("/{}/bodies/{}", lang.code(), detail.addressee.body),
        level: i18n::level(lang, detail.addressee.level),
        region: detail.addressee.region.map(|r| i18n::region_name(lang, r)),
        request: field(|t| &t.request),
        background: field(|t| &t.text),
        count_text: i18n::number(lang, detail.signatures),
        count_label,
        progress: threshold.map(|max| Meter {
            value: detail.signatures.clamp(0, max),
            max,
        }),
        live_url,
        final_count: detail.final_count.map(|n| i18n::number(lang, i64::from(n))),
        next_step: i18n::next_step(lang, detail.next_step),
        dates: [
            date_line(lang, t.published, dates.published_at),
            date_line(
                lang,
                t.startup_due,
                dates.startup_due.filter(|_| dates.listed_at.is_none()),
            ),
            date_line(lang, t.closes, dates.closes_at),
            date_line(lang, t.threshold_reached, dates.threshold_reached_at),
            date_line(lang, t.answer_due, dates.answer_due),
        ]
        .into_iter()
        .flatten()
        .collect(),
        outcome: detail.closing_outcome.map(|o| i18n::closing_outcome(lang, o)),
        answer: detail.answer.as_ref().map(|a| AnswerView {
            decision: i18n::decision(lang, a.decision),
            text: i18n::pick_string(lang, &a.text).map(|s| TextView::of(lang, s)),
            by: crate::bodies::name(lang, a.answered_by.as_str()),
            on: dates.answered_at.map(|at| stamp(lang, at)),
            timeliness: if a.on_time { t.on_time } else { t.late },
        }),
        rejection: detail.rejection.as_ref().map(|r| ReasonView {
            reason: i18n::rejection_reason(lang, r.reason),
            explanation: r.explanation.clone(),
        }),
        stop: detail.stop.as_ref().map(|s| ReasonView {
            reason: i18n::stop_reason(lang, s.reason),
            explanation: s.explanation.clone(),
        }),
        chart: charts::bar_chart(lang, "signing", t.over_time.to_owned(), unit, points),
        map: charts::tile_map(
            lang,
            "regions",
            t.by_region.to_owned(),
            &regions.regions,
            &regions.unspecified,
            regions.total,
        ),
        timeline: timeline
            .into_iter()
            .map(|e| TimelineRow {
                label: i18n::petition_event(lang, &e.event_type)
                    .map_or_else(|| e.event_type.clone(), str::to_owned),
                when: i18n::date_time(lang, e.occurred_at),
                iso: i18n::iso(e.occurred_at),
            })
            .collect(),
        title,
        sign: crate::account::petitions::SignPanel::default(),
    }
}

// ----- consultation -----

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConsultationQuery {
    version: Option<String>,
    scope: Option<String>,
    provision: Option<String>,
    cursor: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `base?k=v&…#fragment`, skipping absent values.
fn link(base: &str, pairs: &[(&str, Option<String>)], fragment: &str) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
        .collect();
    let mut out = base.to_owned();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out.push_str(fragment);
    out
}

fn int_param(value: Option<&str>, lang: Lang) -> Result<Option<i32>, Failure> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<i32>().map_err(|_| Failure::NotFound(lang)))
        .transpose()
}

fn pick_field(lang: Lang, content: &serde_json::Value, field: &str) -> Option<Shown<String>> {
    i18n::pick(lang, |l| {
        content
            .get(l.code())
            .and_then(|c| c.get(field))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
    })
}

fn pick_localized(lang: Lang, texts: &tyndau_events::consultation::Localized) -> Option<Shown<String>> {
    i18n::pick(lang, |l| {
        texts
            .get(&language_of(l))
            .filter(|s| !s.trim().is_empty())
            .cloned()
    })
}

/// A comment's own language, as a `lang` attribute: one of ours, else the page's.
fn comment_lang(lang: Lang, code: &str) -> String {
    Lang::from_code(code).unwrap_or(lang).code().to_owned()
}

fn comment_item(lang: Lang, c: &CommentView, show_provision: bool) -> CommentItem {
    let t = lang.t();
    let who = match &c.organisation {
        Some(org) => format!(
            "{} ({})",
            crate::bodies::name(lang, org),
            i18n::channel(lang, &c.channel)
        ),
        None if c.channel == "citizen" => t.citizen.to_owned(),
        None => i18n::channel(lang, &c.channel),
    };
    CommentItem {
        anchor: format!("c-{}", c.id),
        who,
        lang: comment_lang(lang, &c.language),
        text: c.text.clone(),
        // A reply carries its thread's anchor; the quote belongs to the proposal only.
        quote: c
            .anchor
            .quote
            .clone()
            .filter(|_| c.hidden.is_none() && c.depth == 0),
        hidden: c.hidden.as_ref().map(|h| {
            let reason = i18n::hide_reason(lang, &h.reason);
            if h.explanation.trim().is_empty() {
                reason
            } else {
                format!("{reason}. {}", h.explanation)
            }
        }),
        posted: i18n::date_time(lang, c.posted_at),
        iso: i18n::iso(c.posted_at),
        edited: c.edits > 0,
        provision: c
            .anchor
            .path
            .as_deref()
            .filter(|_| show_provision && c.depth == 0)
            .map(|p| i18n::provision(lang, p)),
        agree: i18n::number(lang, i64::from(c.agree)),
        disagree: i18n::number(lang, i64::from(c.disagree)),
        replies_label: (c.replies > 0).then(|| i18n::replies(lang, i64::from(c.replies))),
        overdue: c.overdue,
        answer: c.answer.as_ref().map(|a| CommentAnswer {
            disposition: i18n::disposition(lang, &a.disposition),
            reason: i18n::pick_json(lang, &a.reason).map(|s| TextView::quiet(lang, s)),
            changed: match (a.changed_version, &a.changed_path) {
                (Some(v), Some(p)) => Some(format!(
                    "{}, {}",
                    i18n::version(lang, v),
                    i18n::provision(lang, p)
                )),
                (Some(v), None) => Some(i18n::version(lang, v)),
                _ => None,
            },
            when: i18n::date_time(lang, a.answered_at),
            iso: i18n::iso(a.answered_at),
        }),
        replies: Vec::new(),
        actions: None,
    }
}

fn share_rows(lang: Lang, rows: &[(String, i64)], whole: i64) -> Vec<CountRow> {
    rows.iter()
        .map(|(label, n)| CountRow {
            label: label.clone(),
            count: i18n::number(lang, *n),
            share: i18n::percent(lang, *n, whole),
        })
        .collect()
}

pub(crate) async fn consultation(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    params_query: Result<Query<ConsultationQuery>, QueryRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [id]) = params(path, ["id"], &uri, &headers)?;
    let id: Uuid = id.parse().map_err(|_| Failure::NotFound(lang))?;
    let q = query(params_query);
    let pool = &app.pool;
    let detail = read_model::consultation_detail(pool, id)
        .await
        .map_err(Failure::read(lang))?
        .ok_or(Failure::NotFound(lang))?;
    let current = detail.current_version;
    let version = int_param(q.version.as_deref(), lang)?;
    let (scope, scope_code) = match (q.scope.as_deref(), q.provision.as_deref()) {
        (_, Some(path)) if !path.is_empty() => (ThreadScope::Provision(path.to_owned()), None),
        (Some("draft"), _) => (ThreadScope::WholeDraft, Some("draft")),
        (Some("orphaned"), _) => (ThreadScope::Orphaned, Some("orphaned")),
        (None | Some("all" | ""), _) => (ThreadScope::All, None),
        (Some(_), _) => return Err(Failure::NotFound(lang)),
    };
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty());
    let diff_range = if current > 1 {
        let from = int_param(q.from.as_deref(), lang)?.unwrap_or(current - 1);
        let to = int_param(q.to.as_deref(), lang)?.unwrap_or(current);
        if !(1..=current).contains(&from) || !(1..=current).contains(&to) {
            return Err(Failure::NotFound(lang));
        }
        Some((from, to))
    } else {
        None
    };
    let wants_report = detail.status != ConsultationStatus::Open;
    let (draft, threads, diff, report) = tokio::try_join!(
        read_model::draft(pool, id, version),
        read_model::threads(pool, id, &scope, cursor, Some(THREAD_PAGE)),
        async {
            match diff_range {
                Some((from, to)) => read_model::diff(pool, id, from, to).await,
                None => Ok(None),
            }
        },
        async {
            if wants_report {
                read_model::outcome_report(pool, id).await
            } else {
                Ok(None)
            }
        },
    )
    .map_err(Failure::read(lang))?;
    let (Some(draft), Some(threads)) = (draft, threads) else {
        return Err(Failure::NotFound(lang));
    };
    let reply_pages = futures::future::try_join_all(
        threads
            .items
            .iter()
            .filter(|c| c.replies > 0)
            .map(|c| read_model::replies(pool, id, c.thread_id, None, Some(THREAD_PAGE))),
    )
    .await
    .map_err(Failure::read(lang))?;

    let t = lang.t();
    let base = format!("/{}/consultations/{id}", lang.code());
    let title_shown = pick_field(lang, &detail.content, "title");
    let title_lang = title_shown.as_ref().map(|s| s.lang);
    let title = title_shown
        .map(|s| TextView::of(lang, s))
        .unwrap_or_else(|| TextView::missing(lang));
    let version_param = version.map(|v| v.to_string());
    let scope_href = |scope: Option<&str>, provision: Option<&str>| {
        link(
            &base,
            &[
                ("version", version_param.clone()),
                ("scope", scope.map(str::to_owned)),
                ("provision", provision.map(str::to_owned)),
            ],
            "#proposals",
        )
    };
    let provision_filter = match &scope {
        ThreadScope::Provision(path) => Some(path.clone()),
        _ => None,
    };
    let scope_label = match &scope {
        ThreadScope::All => t.all_proposals.to_owned(),
        ThreadScope::WholeDraft => t.whole_draft.to_owned(),
        ThreadScope::Orphaned => t.orphaned.to_owned(),
        ThreadScope::Provision(path) => i18n::provision(lang, path),
    };
    let show_provision = !matches!(scope, ThreadScope::Provision(_));
    let mut reply_pages = reply_pages.into_iter();
    let open = detail.status == ConsultationStatus::Open;
    let own = if open && visitor.user.is_some() {
        crate::account::comments::own_comments(&app, &visitor).await
    } else {
        Vec::new()
    };
    let with_actions = |c: &CommentView| {
        let mut item = comment_item(lang, c, show_provision && c.depth == 0);
        if open {
            item.actions = crate::account::comments::actions(lang, &visitor, id, c, &own);
        }
        item
    };
    let items: Vec<CommentItem> = threads
        .items
        .iter()
        .map(|c| {
            let mut item = with_actions(c);
            if c.replies > 0
                && let Some(Some(page)) = reply_pages.next()
            {
                item.replies = page
                    .items
                    .iter()
                    .map(|r| {
                        let mut reply = with_actions(r);
                        reply.provision = None;
                        reply
                    })
                    .collect();
            }
            item
        })
        .collect();
    let comment_link = |path: Option<&str>| {
        (open && visitor.accounts).then(|| {
            link(
                &format!("{base}/comment"),
                &[("path", path.map(str::to_owned))],
                "",
            )
        })
    };
    let page_params = |cursor: Option<String>| {
        link(
            &base,
            &[
                ("version", version_param.clone()),
                ("scope", scope_code.map(str::to_owned)),
                ("provision", provision_filter.clone()),
                ("cursor", cursor),
            ],
            "#proposals",
        )
    };
    let period = match (detail.opened_at, detail.closes_at) {
        (Some(open), Some(close)) => Some(format!(
            "{} — {}",
            i18n::date(lang, open),
            i18n::date(lang, close)
        )),
        (None, Some(close)) => Some(i18n::date(lang, close)),
        _ => None,
    };
    let version_options = |selected: i32| {
        (1..=current)
            .map(|v| SelectOption {
                value: v,
                label: i18n::version(lang, v),
                selected: v == selected,
            })
            .collect::<Vec<_>>()
    };
    let diff = match (diff, diff_range) {
        (Some(rows), Some((from, to))) => Some(DiffView {
            action: base.clone(),
            caption: format!(
                "{}: {} → {}",
                t.diff_heading,
                i18n::version(lang, from),
                i18n::version(lang, to)
            ),
            from_options: version_options(from),
            to_options: version_options(to),
            rows: rows
                .iter()
                .map(|row| {
                    let words = i18n::pick(lang, |l| row.words.get(&language_of(l)).cloned());
                    DiffRow {
                        path: row.path.to_string(),
                        kind: i18n::change_kind(lang, row.change),
                        kind_class: match row.change {
                            tyndau_drafts::ChangeKind::Added => "added",
                            tyndau_drafts::ChangeKind::Removed => "removed",
                            tyndau_drafts::ChangeKind::Changed => "changed",
                            tyndau_drafts::ChangeKind::Unchanged => "unchanged",
                        },
                        before: row
                            .old
                            .as_ref()
                            .and_then(|o| pick_localized(lang, o))
                            .map(|s| TextView::quiet(lang, s)),
                        after: row
                            .new
                            .as_ref()
                            .and_then(|n| pick_localized(lang, n))
                            .map(|s| TextView::quiet(lang, s)),
                        words_lang: words.as_ref().filter(|w| w.lang != lang).map(|w| w.lang.code()),
                        words: words
                            .map(|w| w.value)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|span| WordView {
                                op: match span.op {
                                    tyndau_drafts::WordOp::Equal => "equal",
                                    tyndau_drafts::WordOp::Insert => "insert",
                                    tyndau_drafts::WordOp::Delete => "delete",
                                },
                                text: span.text,
                            })
                            .collect(),
                        why: row
                            .why
                            .as_ref()
                            .and_then(|w| pick_localized(lang, w))
                            .map(|s| TextView::quiet(lang, s)),
                    }
                })
                .collect(),
        }),
        _ => None,
    };
    let query_api = &app.site.query_api_url;
    let report = report.map(|r| {
        let total: i64 = r.by_answer.iter().map(|tally| tally.proposals).sum();
        let by_answer: Vec<(String, i64)> = r
            .by_answer
            .iter()
            .map(|tally| (i18n::disposition(lang, &tally.key), tally.proposals))
            .collect();
        let channels: i64 = r.by_channel.iter().map(|tally| tally.proposals).sum();
        let by_channel: Vec<(String, i64)> = r
            .by_channel
            .iter()
            .map(|tally| (i18n::channel(lang, &tally.key), tally.proposals))
            .collect();
        let n = |v: i64| i18n::number(lang, v);
        ReportView {
            is_final: r.consultation.status == ConsultationStatus::ReportPublished,
            summary: i18n::pick_json(lang, &r.summary).map(|s| TextView::of(lang, s)),
            csv_href: format!("{query_api}/consultations/{id}/report.csv?lang={}", lang.code()),
            json_href: format!("{query_api}/consultations/{id}/report"),
            by_answer: share_rows(lang, &by_answer, total),
            by_provision: r
                .by_provision
                .iter()
                .map(|p| ProvisionTallyRow {
                    label: p.path.clone().unwrap_or_else(|| t.whole_draft.to_owned()),
                    proposals: n(p.proposals),
                    accepted: n(p.accepted),
                    partially_accepted: n(p.partially_accepted),
                    rejected: n(p.rejected),
                    other: n(p.other),
                    unanswered: n(p.unanswered),
                })
                .collect(),
            by_channel: share_rows(lang, &by_channel, channels),
            median: r
                .answer_times
                .median_hours
                .map_or_else(|| "—".to_owned(), |h| i18n::duration(lang, h * 3600.0)),
            unanswered: n(r.answer_times.unanswered),
            overdue: n(r.answer_times.overdue),
            late: n(r.answer_times.answered_late),
        }
    });
    let page = ConsultationPage {
        chrome: Chrome::new(lang, title.text.clone(), "", &rest_of(&uri), query_api)
            .with_visitor(&visitor)
            .with_feed(format!("/{}/consultations/{}/feed.atom", lang.code(), detail.id))
            .with_follow(format!("consultation:{}", detail.id)),
        status: i18n::consultation_status(lang, detail.status),
        body: crate::bodies::name(lang, &detail.body),
        body_href: format!("/{}/bodies/{}", lang.code(), encode(&detail.body)),
        period,
        answers_due: detail.answers_due.map(|d| i18n::date(lang, d)),
        comments: i18n::number(lang, detail.comments),
        proposals: i18n::number(lang, detail.proposals),
        summary: pick_field(lang, &detail.content, "summary").map(|s| TextView::of(lang, s)),
        explanatory_note: pick_field(lang, &detail.content, "explanatory_note")
            .map(|s| TextView::of(lang, s)),
        draft_label: if draft.version == current {
            format!("{} ({})", i18n::version(lang, draft.version), t.current)
        } else {
            i18n::version(lang, draft.version)
        },
        versions: detail
            .versions
            .iter()
            .map(|v| VersionLink {
                label: i18n::version(lang, v.version),
                href: link(&base, &[("version", Some(v.version.to_string()))], "#draft-h"),
                published: i18n::date(lang, v.published_at),
                viewed: v.version == draft.version,
            })
            .collect(),
        provisions: draft
            .provisions
            .iter()
            .map(|p| ProvisionRow {
                anchor: format!("p-{}", p.path),
                heading: i18n::pick_json(lang, &p.heading).map(|s| TextView::quiet(lang, s)),
                text: i18n::pick_json(lang, &p.text).map(|s| TextView::after(lang, s, title_lang)),
                proposals: i18n::proposals(lang, p.proposals),
                href: scope_href(None, Some(&p.path)),
                comment_href: comment_link(Some(&p.path)),
                path: p.path.clone(),
            })
            .collect(),
        whole_draft: i18n::number(lang, draft.whole_draft_proposals),
        whole_draft_href: scope_href(Some("draft"), None),
        orphaned: i18n::number(lang, draft.orphaned_proposals),
        orphaned_href: scope_href(Some("orphaned"), None),
        scopes: [
            (t.all_proposals, None, matches!(scope, ThreadScope::All)),
            (
                t.whole_draft,
                Some("draft"),
                matches!(scope, ThreadScope::WholeDraft),
            ),
            (
                t.orphaned,
                Some("orphaned"),
                matches!(scope, ThreadScope::Orphaned),
            ),
        ]
        .into_iter()
        .map(|(label, code, current)| ScopeLink {
            label: label.to_owned(),
            href: scope_href(code, None),
            current,
        })
        .collect(),
        scope_label,
        scope_is_orphaned: matches!(scope, ThreadScope::Orphaned),
        threads: items,
        first_page: cursor.map(|_| page_params(None)),
        next_page: threads.next_cursor.map(|c| page_params(Some(c))),
        diff,
        report,
        comment_href: comment_link(None),
        title,
    };
    ok(&page)
}

// ----- state bodies -----

pub(crate) async fn body(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, [body]) = params(path, ["body"], &uri, &headers)?;
    let body: BodyId = body.parse().map_err(|_| Failure::NotFound(lang))?;
    let pool = &app.pool;
    let petitions_filter = ListFilter {
        addressee: Some(body.clone()),
        ..ListFilter::default()
    };
    let consultations_filter = ConsultationFilter {
        body: Some(body.as_str().to_owned()),
        ..ConsultationFilter::default()
    };
    let page = PageRequest {
        limit: BODY_LIST,
        cursor: None,
    };
    let (record, petitions, consultations) = tokio::try_join!(
        read_model::body_record(pool, &body, OffsetDateTime::now_utc()),
        read_model::list_petitions(pool, &petitions_filter, &page),
        read_model::list_consultations(pool, &consultations_filter, None, Some(BODY_LIST)),
    )
    .map_err(Failure::read(lang))?;
    let p = &record.petitions;
    let c = &record.consultations;
    // A body the directory does not know and nobody has addressed names no page.
    if !crate::bodies::is_known(body.as_str()) && p.addressed == 0 && c.held == 0 {
        return Err(Failure::NotFound(lang));
    }
    let t = lang.t();
    let name = crate::bodies::name(lang, body.as_str());
    // Shares: of the petitions addressed for those reaching the threshold, of those for the
    // answers; the first row is the whole.
    let mut petition_rows = share_rows(lang, &[(t.petitions_addressed.to_owned(), p.addressed)], 0);
    petition_rows.extend(share_rows(
        lang,
        &[(t.petitions_received.to_owned(), p.received)],
        p.addressed,
    ));
    petition_rows.extend(share_rows(
        lang,
        &[
            (t.answered_on_time.to_owned(), p.answered_on_time),
            (t.answered_late.to_owned(), p.answered_late),
            (t.overdue.to_owned(), p.overdue),
            (t.awaiting.to_owned(), p.awaiting),
        ],
        p.received,
    ));
    let median =
        |seconds: Option<f64>| seconds.map_or_else(|| t.no_data.to_owned(), |s| i18n::duration(lang, s));
    let page = BodyPage {
        chrome: Chrome::new(
            lang,
            name.clone(),
            "bodies",
            &rest_of(&uri),
            &app.site.query_api_url,
        )
        .with_visitor(&visitor)
        .with_feed(format!(
            "/{}/bodies/{}/feed.atom",
            lang.code(),
            encode(body.as_str())
        ))
        .with_follow(format!("body:{}", body.as_str())),
        petition_rows,
        petition_median: median(p.median_answer_seconds),
        petitions: petitions
            .items
            .iter()
            .map(|s| PetitionCard::of(lang, s, None))
            .collect(),
        consultations_held: i18n::number(lang, c.held),
        proposal_rows: {
            let mut rows = share_rows(lang, &[(t.proposals_total.to_owned(), c.proposals)], 0);
            rows.extend(share_rows(
                lang,
                &[
                    (t.accepted.to_owned(), c.accepted),
                    (t.partially_accepted.to_owned(), c.partially_accepted),
                    (t.rejected.to_owned(), c.rejected),
                    (t.other_answers.to_owned(), c.other),
                    (t.unanswered.to_owned(), c.unanswered),
                ],
                c.proposals,
            ));
            rows
        },
        proposal_median: median(c.median_answer_seconds),
        consultations: consultations
            .items
            .iter()
            .map(|s| ConsultationCard::of(lang, s))
            .collect(),
        name,
    };
    ok(&page)
}

pub(crate) async fn bodies(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let activity = read_model::body_activity(&app.pool)
        .await
        .map_err(Failure::read(lang))?;
    let n = |v: i64| i18n::number(lang, v);
    let row = |id: &str| {
        let found = activity.iter().find(|a| a.body == id);
        BodyRow {
            name: crate::bodies::name(lang, id),
            href: format!("/{}/bodies/{}", lang.code(), encode(id)),
            petitions: n(found.map_or(0, |a| a.petitions)),
            received: n(found.map_or(0, |a| a.received)),
            consultations: n(found.map_or(0, |a| a.consultations)),
        }
    };
    let mut rows: Vec<BodyRow> = crate::bodies::all().map(row).collect();
    rows.extend(
        activity
            .iter()
            .filter(|a| !crate::bodies::is_known(&a.body))
            .map(|a| row(&a.body)),
    );
    let t = lang.t();
    let page = BodiesPage {
        chrome: Chrome::new(
            lang,
            t.bodies_title.to_owned(),
            "bodies",
            &rest_of(&uri),
            &app.site.query_api_url,
        )
        .with_visitor(&visitor),
        rows,
    };
    ok(&page)
}

// ----- statistics -----

pub(crate) struct StatsData {
    regions: RegionParticipation,
    days: Vec<DailyPoint>,
}

async fn load_stats(pool: &PgPool) -> Result<StatsData, ReadError> {
    let today = OffsetDateTime::now_utc().to_offset(KAZAKHSTAN);
    let since = today.replace_time(time::Time::MIDNIGHT) - time::Duration::days(STATS_DAYS - 1);
    let (regions, days) = tokio::try_join!(
        read_model::participation_by_region(pool),
        read_model::participation_by_day(pool, KAZAKHSTAN, since),
    )?;
    Ok(StatsData { regions, days })
}

pub(crate) async fn statistics(
    State(app): State<App>,
    visitor: Visitor,
    path: Params,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let (lang, []) = params(path, [], &uri, &headers)?;
    let data = app
        .caches
        .stats
        .get_or_load(load_stats(&app.pool))
        .await
        .map_err(Failure::read(lang))?;
    let t = lang.t();
    let days: Vec<(time::Date, i64)> = data.days.iter().map(|d| (d.day, d.signatures)).collect();
    let points: Vec<Point> = charts::daily_points(lang, &days);
    let page = StatsPage {
        chrome: Chrome::new(
            lang,
            t.stats_title.to_owned(),
            "stats",
            &rest_of(&uri),
            &app.site.query_api_url,
        )
        .with_visitor(&visitor),
        map: charts::tile_map(
            lang,
            "participation",
            t.participation_region.to_owned(),
            &data.regions.regions,
            &data.regions.unspecified,
            data.regions.total,
        ),
        chart: charts::bar_chart(lang, "daily", t.last_90_days.to_owned(), t.per_day, points),
    };
    ok(&page)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use time::macros::datetime;
    use tyndau_events::petition::{ClosingOutcome, Decision, Level};
    use tyndau_ids::Region;
    use tyndau_read_model::{
        Addressee, Answer, Content, LocalizedString, NextStep, PetitionDates, PetitionTextView, PublicCount,
        RegionCount,
    };

    use super::*;

    /// An answered petition written in Russian only, viewed in English.
    fn answered() -> (PetitionDetail, RegionBreakdown) {
        let id = PetitionId::new();
        let detail = PetitionDetail {
            id,
            status: PetitionStatus::Closed,
            addressee: Addressee {
                body: "akimat-almaty".parse().unwrap(),
                level: Level::CityAkimat,
                region: Some(Region::Almaty),
            },
            content: Content {
                kk: None,
                ru: Some(PetitionTextView {
                    title: "Скамейки <script>alert(1)</script>".into(),
                    text: "Обоснование.".into(),
                    request: "Поставить скамейки.".into(),
                }),
                en: None,
            },
            dates: PetitionDates {
                published_at: Some(datetime!(2025-01-10 9:00 UTC)),
                threshold_reached_at: Some(datetime!(2025-02-01 9:00 UTC)),
                answer_due: Some(datetime!(2025-03-01 9:00 UTC)),
                answered_at: Some(datetime!(2025-02-20 9:00 UTC)),
                closed_at: Some(datetime!(2025-02-02 9:00 UTC)),
                ..PetitionDates::default()
            },
            threshold: Some(2_500),
            signatures: 2_600,
            progress: None,
            final_count: Some(2_600),
            closing_outcome: Some(ClosingOutcome::ThresholdReached),
            rejection: None,
            stop: None,
            answer: Some(Answer {
                decision: Decision::PartiallySatisfied,
                text: LocalizedString {
                    kk: Some("Келесі жылы орнатылады.".into()),
                    ..LocalizedString::default()
                },
                answered_by: "akimat-almaty".parse().unwrap(),
                on_time: true,
            }),
            next_step: NextStep::Answered,
        };
        let count = |region| match region {
            Region::Almaty => 2_597,
            Region::Astana => 3,
            _ => 0,
        };
        let regions = RegionBreakdown {
            petition_id: id,
            regions: Region::ALL
                .iter()
                .map(|&region| RegionCount {
                    region,
                    count: match count(region) {
                        1..=4 => PublicCount::fewer_than_small(),
                        n => PublicCount::exact(n),
                    },
                })
                .collect(),
            unspecified: PublicCount::fewer_than_small(),
            total: 2_600,
        };
        (detail, regions)
    }

    #[test]
    fn an_answered_petition_shows_the_answer_in_the_language_given_and_escapes_user_text() {
        let (detail, regions) = answered();
        let timeline = vec![TimelineEntry {
            sequence: 9,
            event_type: "PetitionAnswered".into(),
            occurred_at: datetime!(2025-02-20 9:00 UTC),
            details: serde_json::Value::Null,
        }];
        let hourly = vec![HourlyPoint {
            hour: datetime!(2025-01-10 9:00 UTC),
            signatures: 2_600,
        }];
        let page = petition_page(
            Lang::En,
            &detail,
            &regions,
            hourly,
            timeline,
            "/petitions/x",
            "http://q",
        );
        let html = page.render().unwrap();
        assert!(html.contains("<html lang=\"en\">"));
        assert!(
            !html.contains("<script"),
            "user text must be escaped and a closed petition has no live script"
        );
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
        assert!(
            html.contains("<h1 lang=\"ru\">"),
            "the title is marked as Russian"
        );
        assert_eq!(
            html.matches("so this is shown in Russian").count(),
            1,
            "one fallback note"
        );
        assert!(html.contains("Partially granted"));
        assert!(html.contains("lang=\"kk\">Келесі жылы орнатылады.</p>"));
        assert!(html.contains("on time"));
        assert!(html.contains("2,500 signatures") && html.contains("2,600"));
        assert!(
            html.contains("fewer than 5"),
            "Astana's 3 signatures are withheld"
        );
        assert!(
            html.contains(
                "<time datetime=\"2025-02-20T09:00:00Z\">20 February 2025, 14:00</time> — Answered"
            )
        );
        assert!(!html.contains("data-live-url"));
        assert!(
            html.contains("href=\"/ru/petitions/x\""),
            "the language switch keeps the path"
        );
    }

    #[test]
    fn links_encode_their_values() {
        assert_eq!(
            link(
                "/kk/c/1",
                &[("scope", Some("draft".into())), ("cursor", None)],
                "#p"
            ),
            "/kk/c/1?scope=draft#p"
        );
        assert_eq!(encode("a1.p2 & <x>"), "a1.p2%20%26%20%3Cx%3E");
        assert_eq!(link("/x", &[], ""), "/x");
    }
}
