//! What the templates render: pre-formatted, localised strings and plain numbers. All the
//! choosing and formatting happens in Rust (testable); templates only lay it out, and askama
//! escapes every value.

use askama::Template;
use tyndau_read_model::{ConsultationStatus, ConsultationSummary, PetitionStatus, PetitionSummary};

use crate::charts::{BarChart, TileMap};
use crate::i18n::{self, Lang, Shown, Texts};

/// The frame of every page: language, title, navigation and the language switch.
pub struct Chrome {
    pub lang: &'static str,
    pub t: &'static Texts,
    pub title: String,
    /// Which main navigation entry is current: `home`, `bodies`, `stats` or empty.
    pub nav: &'static str,
    pub langs: Vec<LangLink>,
    pub home_href: String,
    pub bodies_href: String,
    pub stats_href: String,
    /// Whether the page loads the live-counter script.
    pub script: bool,
    /// Whether the page loads the form helper script (error-summary focus, quoting, …).
    pub form_script: bool,
    pub query_api: String,
    /// Sign-in, or who is signed in with "My page" and sign-out; and the one-time message.
    pub account: AccountBar,
    /// This page's Atom feed, if it has one (linked in the head and the footer).
    pub feed: Option<String>,
    /// What a signed-in citizen can follow from this page (`petition:<id>`, …), and where the
    /// form posts and comes back to.
    pub follow: Option<FollowForm>,
}

#[derive(Debug)]
pub struct FollowForm {
    pub action: String,
    pub subject: String,
    pub back: String,
}

/// The account corner of the header.
#[derive(Debug, Default)]
pub struct AccountBar {
    /// Where "Sign in" goes (back to this page afterwards); `None` when sign-in is not offered
    /// or someone is signed in.
    pub sign_in_href: Option<String>,
    pub signed_in: Option<SignedInBar>,
    /// The message left by the last action (a notification banner).
    pub flash: Option<String>,
}

#[derive(Debug)]
pub struct SignedInBar {
    pub name: String,
    pub my_page_href: String,
    /// Staff get the back office where citizens get "My page".
    pub staff: bool,
    pub csrf: String,
}

pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

impl Chrome {
    /// `rest` is the path after the language prefix, with its query string (`/petitions/…`):
    /// the language switch links to the same page in each language.
    pub fn new(lang: Lang, title: String, nav: &'static str, rest: &str, query_api: &str) -> Self {
        let rest = if rest.is_empty() { "/" } else { rest };
        Self {
            lang: lang.code(),
            t: lang.t(),
            title,
            nav,
            langs: Lang::ALL
                .into_iter()
                .map(|l| LangLink {
                    code: l.code(),
                    name: l.endonym(),
                    href: format!("/{}{rest}", l.code()),
                    current: l == lang,
                })
                .collect(),
            home_href: format!("/{}/", lang.code()),
            bodies_href: format!("/{}/bodies", lang.code()),
            stats_href: format!("/{}/statistics", lang.code()),
            script: false,
            form_script: false,
            query_api: query_api.to_owned(),
            account: AccountBar::default(),
            feed: None,
            follow: None,
        }
    }

    /// With this page's Atom feed (a path of this site).
    pub(crate) fn with_feed(mut self, feed: String) -> Self {
        self.feed = Some(feed);
        self
    }

    /// With a "Follow" button for `subject` (shown to signed-in citizens).
    pub(crate) fn with_follow(mut self, subject: String) -> Self {
        let back = self
            .langs
            .iter()
            .find(|l| l.current)
            .map(|l| l.href.clone())
            .unwrap_or_else(|| format!("/{}/", self.lang));
        self.follow = Some(FollowForm {
            action: format!("/{}/me/subscriptions", self.lang),
            subject,
            back,
        });
        self
    }

    /// The header as the visitor sees it: signed in or not, and their waiting message.
    pub(crate) fn with_visitor(mut self, visitor: &crate::account::Visitor) -> Self {
        let lang = Lang::from_code(self.lang).unwrap_or(Lang::Kk);
        let here = self
            .langs
            .iter()
            .find(|l| l.current)
            .map(|l| l.href.clone())
            .unwrap_or_else(|| format!("/{}/", self.lang));
        self.account = AccountBar {
            sign_in_href: (visitor.accounts && visitor.user.is_none())
                .then(|| crate::account::forms::sign_in_href(lang, &here)),
            signed_in: visitor.user.as_ref().map(|user| SignedInBar {
                name: user
                    .shown_name()
                    .map(str::to_owned)
                    .unwrap_or_else(|| crate::i18n::role(lang, &user.role).to_owned()),
                my_page_href: if crate::office::is_staff(user) {
                    format!("/{}/office", self.lang)
                } else {
                    format!("/{}/me", self.lang)
                },
                staff: crate::office::is_staff(user),
                csrf: user.csrf.clone(),
            }),
            flash: visitor
                .flash
                .as_ref()
                .map(|f| crate::account::flash_text(lang, f)),
        };
        self
    }
}

/// A refused action that has no form to come back to (a stance button): why, and the way back.
#[derive(Template)]
#[template(path = "account/problem.html")]
pub struct ProblemPage {
    pub chrome: Chrome,
    pub text: String,
    pub back_href: String,
}

impl ProblemPage {
    pub(crate) fn new(
        app: &crate::routes::App,
        visitor: &crate::account::Visitor,
        lang: Lang,
        text: String,
        back_href: String,
    ) -> Self {
        let t = lang.t();
        Self {
            chrome: Chrome::new(
                lang,
                t.error_summary_title.to_owned(),
                "",
                "/",
                &app.site.query_api_url,
            )
            .with_visitor(visitor),
            text,
            back_href,
        }
    }
}

/// A page with one message: sign-in unavailable, a refused form, …
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub heading: &'static str,
    pub message: &'static str,
}

impl MessagePage {
    pub(crate) fn render(
        app: &crate::routes::App,
        lang: Lang,
        status: http::StatusCode,
        heading: &'static str,
        message: &'static str,
    ) -> axum::response::Response {
        let page = MessagePage {
            chrome: Chrome::new(lang, heading.to_owned(), "", "/", &app.site.query_api_url),
            heading,
            message,
        };
        let mut response = crate::routes::html(status, &page);
        response.headers_mut().insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
        response
    }
}

/// User content as shown: its text, its language (set as `lang` when it differs from the
/// page's) and the note saying why it is in another language.
#[derive(Clone, Debug)]
pub struct TextView {
    pub text: String,
    pub lang: &'static str,
    pub foreign: bool,
    pub note: Option<String>,
}

impl TextView {
    pub fn of(page: Lang, shown: Shown<String>) -> Self {
        Self {
            foreign: shown.lang != page,
            lang: shown.lang.code(),
            note: shown.fallback.then(|| i18n::fallback_note(page, shown.lang)),
            text: shown.value,
        }
    }

    /// Like [`TextView::of`], without the note: for short labels in lists, where the `lang`
    /// attribute is enough.
    pub fn quiet(page: Lang, shown: Shown<String>) -> Self {
        Self {
            note: None,
            ..Self::of(page, shown)
        }
    }

    /// Content shown after a heading whose fallback note already explains `shown_before`: the
    /// note is repeated only when this text is in yet another language.
    pub fn after(page: Lang, shown: Shown<String>, shown_before: Option<Lang>) -> Self {
        if shown_before == Some(shown.lang) {
            Self::quiet(page, shown)
        } else {
            Self::of(page, shown)
        }
    }

    /// For content that has no text in any language (never expected): an em dash.
    pub fn missing(page: Lang) -> Self {
        Self {
            text: "—".to_owned(),
            lang: page.code(),
            foreign: false,
            note: None,
        }
    }
}

pub struct Meter {
    pub value: i64,
    pub max: i64,
}

pub struct PetitionCard {
    pub href: String,
    pub title: TextView,
    pub addressee: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub count_label: String,
    pub progress: Option<Meter>,
    pub extra: Option<String>,
}

pub fn status_class(status: PetitionStatus) -> &'static str {
    status.code()
}

impl PetitionCard {
    pub fn of(lang: Lang, petition: &PetitionSummary, extra: Option<String>) -> Self {
        let threshold = petition.threshold.filter(|t| *t > 0).map(i64::from);
        Self {
            href: format!("/{}/petitions/{}", lang.code(), petition.id),
            title: i18n::pick_string(lang, &petition.title)
                .map(|s| TextView::quiet(lang, s))
                .unwrap_or_else(|| TextView::missing(lang)),
            addressee: crate::bodies::name(lang, petition.addressee.body.as_str()),
            status: i18n::petition_status(lang, petition.status),
            status_class: status_class(petition.status),
            count_label: match threshold {
                Some(t) => i18n::count_of_threshold(lang, petition.signatures, t),
                None => i18n::signatures(lang, petition.signatures),
            },
            progress: threshold.map(|max| Meter {
                value: petition.signatures.clamp(0, max),
                max,
            }),
            extra,
        }
    }
}

pub struct ConsultationCard {
    pub href: String,
    pub title: TextView,
    pub body: String,
    pub status: &'static str,
    pub detail: String,
}

impl ConsultationCard {
    pub fn of(lang: Lang, c: &ConsultationSummary) -> Self {
        let t = lang.t();
        let mut detail = i18n::proposals(lang, c.proposals);
        match (c.status, c.opened_at, c.closes_at) {
            (ConsultationStatus::Open, _, Some(closes)) => {
                detail = format!("{detail} · {}: {}", t.comments_close, i18n::date(lang, closes));
            }
            (_, Some(opened), Some(closes)) => {
                detail = format!(
                    "{detail} · {}: {} — {}",
                    t.comment_period,
                    i18n::date(lang, opened),
                    i18n::date(lang, closes)
                );
            }
            _ => {}
        }
        Self {
            href: format!("/{}/consultations/{}", lang.code(), c.id),
            title: i18n::pick_string(lang, &c.title)
                .map(|s| TextView::quiet(lang, s))
                .unwrap_or_else(|| TextView::missing(lang)),
            body: crate::bodies::name(lang, &c.body),
            status: i18n::consultation_status(lang, c.status),
            detail,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub most_signed: Vec<PetitionCard>,
    pub nearest: Vec<PetitionCard>,
    pub newest: Vec<PetitionCard>,
    pub fastest: Vec<PetitionCard>,
    pub answered: Vec<PetitionCard>,
    pub closing: Vec<ConsultationCard>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub heading: &'static str,
    pub message: &'static str,
}

pub struct DateLine {
    pub label: &'static str,
    pub text: String,
    pub iso: String,
}

pub struct Stamp {
    pub text: String,
    pub iso: String,
}

pub struct AnswerView {
    pub decision: &'static str,
    pub text: Option<TextView>,
    pub by: String,
    pub on: Option<Stamp>,
    pub timeliness: &'static str,
}

pub struct ReasonView {
    pub reason: &'static str,
    pub explanation: String,
}

pub struct TimelineRow {
    pub label: String,
    pub when: String,
    pub iso: String,
}

#[derive(Template)]
#[template(path = "petition.html")]
pub struct PetitionPage {
    pub chrome: Chrome,
    pub title: TextView,
    pub status: &'static str,
    pub status_class: &'static str,
    pub addressee: String,
    pub addressee_href: String,
    pub level: &'static str,
    pub region: Option<&'static str>,
    pub request: Option<TextView>,
    pub background: Option<TextView>,
    pub count_text: String,
    pub count_label: String,
    pub progress: Option<Meter>,
    pub live_url: Option<String>,
    pub final_count: Option<String>,
    pub next_step: &'static str,
    pub dates: Vec<DateLine>,
    pub outcome: Option<&'static str>,
    pub answer: Option<AnswerView>,
    pub rejection: Option<ReasonView>,
    pub stop: Option<ReasonView>,
    pub chart: Option<BarChart>,
    pub map: TileMap,
    pub timeline: Vec<TimelineRow>,
    pub sign: crate::account::petitions::SignPanel,
}

pub struct VersionLink {
    pub label: String,
    pub href: String,
    pub published: String,
    pub viewed: bool,
}

pub struct ProvisionRow {
    pub anchor: String,
    pub path: String,
    pub heading: Option<TextView>,
    pub text: Option<TextView>,
    pub proposals: String,
    pub href: String,
    /// "Comment on this provision" (while open).
    pub comment_href: Option<String>,
}

pub struct ScopeLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct CommentAnswer {
    pub disposition: String,
    pub reason: Option<TextView>,
    pub changed: Option<String>,
    pub when: String,
    pub iso: String,
}

pub struct CommentItem {
    pub anchor: String,
    pub who: String,
    pub lang: String,
    pub text: Option<String>,
    pub quote: Option<String>,
    pub hidden: Option<String>,
    pub posted: String,
    pub iso: String,
    pub edited: bool,
    pub provision: Option<String>,
    pub agree: String,
    pub disagree: String,
    pub replies_label: Option<String>,
    pub overdue: bool,
    pub answer: Option<CommentAnswer>,
    pub replies: Vec<CommentItem>,
    /// Reply, agree, report, edit: for a signed-in visitor on an open consultation.
    pub actions: Option<crate::account::comments::CommentActions>,
}

pub struct SelectOption {
    pub value: i32,
    pub label: String,
    pub selected: bool,
}

pub struct WordView {
    /// `equal`, `insert` or `delete`.
    pub op: &'static str,
    pub text: String,
}

pub struct DiffRow {
    pub path: String,
    pub kind: &'static str,
    pub kind_class: &'static str,
    pub before: Option<TextView>,
    pub after: Option<TextView>,
    pub words: Vec<WordView>,
    pub words_lang: Option<&'static str>,
    pub why: Option<TextView>,
}

pub struct DiffView {
    pub action: String,
    pub caption: String,
    pub from_options: Vec<SelectOption>,
    pub to_options: Vec<SelectOption>,
    pub rows: Vec<DiffRow>,
}

pub struct CountRow {
    pub label: String,
    pub count: String,
    pub share: String,
}

pub struct ProvisionTallyRow {
    pub label: String,
    pub proposals: String,
    pub accepted: String,
    pub partially_accepted: String,
    pub rejected: String,
    pub other: String,
    pub unanswered: String,
}

pub struct ReportView {
    pub is_final: bool,
    pub summary: Option<TextView>,
    pub csv_href: String,
    pub json_href: String,
    pub by_answer: Vec<CountRow>,
    pub by_provision: Vec<ProvisionTallyRow>,
    pub by_channel: Vec<CountRow>,
    pub median: String,
    pub unanswered: String,
    pub overdue: String,
    pub late: String,
}

#[derive(Template)]
#[template(path = "consultation.html")]
pub struct ConsultationPage {
    pub chrome: Chrome,
    pub title: TextView,
    pub status: &'static str,
    pub body: String,
    pub body_href: String,
    pub period: Option<String>,
    pub answers_due: Option<String>,
    pub comments: String,
    pub proposals: String,
    pub summary: Option<TextView>,
    pub explanatory_note: Option<TextView>,
    pub draft_label: String,
    pub versions: Vec<VersionLink>,
    pub provisions: Vec<ProvisionRow>,
    pub whole_draft: String,
    pub whole_draft_href: String,
    pub orphaned: String,
    pub orphaned_href: String,
    pub scopes: Vec<ScopeLink>,
    pub scope_label: String,
    pub scope_is_orphaned: bool,
    pub threads: Vec<CommentItem>,
    pub first_page: Option<String>,
    pub next_page: Option<String>,
    pub diff: Option<DiffView>,
    pub report: Option<ReportView>,
    /// "Comment on the whole draft": while the consultation is open and sign-in is offered.
    pub comment_href: Option<String>,
}

#[derive(Template)]
#[template(path = "body.html")]
pub struct BodyPage {
    pub chrome: Chrome,
    pub name: String,
    pub petition_rows: Vec<CountRow>,
    pub petition_median: String,
    pub petitions: Vec<PetitionCard>,
    pub consultations_held: String,
    pub proposal_rows: Vec<CountRow>,
    pub proposal_median: String,
    pub consultations: Vec<ConsultationCard>,
}

pub struct BodyRow {
    pub name: String,
    pub href: String,
    pub petitions: String,
    pub received: String,
    pub consultations: String,
}

#[derive(Template)]
#[template(path = "bodies.html")]
pub struct BodiesPage {
    pub chrome: Chrome,
    pub rows: Vec<BodyRow>,
}

#[derive(Template)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub chrome: Chrome,
    pub map: TileMap,
    pub chart: Option<BarChart>,
}
