//! What the public sees of consultations: the types the query API serialises.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::model::LocalizedString;

/// Where a consultation is. Drafts are never public.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationStatus {
    Open,
    Closed,
    ReportPublished,
}

impl ConsultationStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::ReportPublished => "report_published",
        }
    }

    pub(crate) fn from_code(code: &str) -> Option<Self> {
        match code {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "report_published" => Some(Self::ReportPublished),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ConsultationSummary {
    pub id: Uuid,
    pub status: ConsultationStatus,
    /// The developing state body.
    pub body: String,
    pub title: LocalizedString,
    pub current_version: i32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub opened_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    pub comments: i64,
    pub proposals: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ConsultationPage {
    pub items: Vec<ConsultationSummary>,
    pub next_cursor: Option<String>,
}

/// Title, summary and explanatory note in one language.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsultationTextView {
    pub title: String,
    pub summary: String,
    pub explanatory_note: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VersionEntry {
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// Why provisions changed, as the body wrote it.
    #[schema(value_type = Object)]
    pub changes: Value,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ConsultationDetail {
    pub id: Uuid,
    pub status: ConsultationStatus,
    pub body: String,
    /// By language (`kk`, `ru`, `en`), as the body provided.
    #[schema(value_type = Object)]
    pub content: Value,
    pub current_version: i32,
    pub versions: Vec<VersionEntry>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub opened_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// Proposals should be answered by then; later ones are overdue.
    #[serde(with = "time::serde::rfc3339::option")]
    pub answers_due: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub report_published_at: Option<OffsetDateTime>,
    pub comments: i64,
    pub proposals: i64,
    pub answered: i64,
    /// Unanswered proposals after the answer deadline.
    pub overdue: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProvisionView {
    pub path: String,
    #[schema(value_type = Object)]
    pub heading: Value,
    #[schema(value_type = Object)]
    pub text: Value,
    /// Proposals now anchored here (after re-anchoring to the latest version).
    pub proposals: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DraftView {
    pub version: i32,
    pub current_version: i32,
    pub provisions: Vec<ProvisionView>,
    /// Proposals on the draft as a whole.
    pub whole_draft_proposals: i64,
    /// Proposals whose quoted text no provision of the latest version contains.
    pub orphaned_proposals: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AnchorView {
    pub version: i32,
    /// `null`: the whole draft, or orphaned.
    pub path: Option<String>,
    pub quote: Option<String>,
    /// `posted`, `whole_draft`, `same_path`, `moved`, `best_match` or `orphaned`.
    pub method: String,
    pub confidence: i16,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Hiding {
    pub reason: String,
    pub explanation: String,
    #[serde(with = "time::serde::rfc3339")]
    pub hidden_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// `accepted`, `partially_accepted`, `rejected`, `noted`, `out_of_scope`, `duplicate`.
    pub disposition: String,
    #[schema(value_type = Object)]
    pub reason: Value,
    pub changed_version: Option<i32>,
    pub changed_path: Option<String>,
    pub duplicate_of: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: OffsetDateTime,
    /// How many answers were given; more than one means it was changed (see the history).
    pub revisions: i32,
}

/// A comment as the public sees it. The author is a citizen (never identified) or an
/// organisation (named). A hidden comment's text is withheld; the fact and reason stay.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub thread_id: Uuid,
    pub depth: i16,
    /// `citizen` or `organisation`.
    pub author_kind: String,
    pub organisation: Option<String>,
    pub channel: String,
    pub language: String,
    /// `null` when hidden.
    pub text: Option<String>,
    pub hidden: Option<Hiding>,
    #[serde(with = "time::serde::rfc3339")]
    pub posted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<OffsetDateTime>,
    pub edits: i32,
    pub anchor: AnchorView,
    pub replies: i32,
    pub agree: i32,
    pub disagree: i32,
    pub answer: Option<AnswerView>,
    /// A proposal still unanswered after the answer deadline.
    pub overdue: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CommentPage {
    pub items: Vec<CommentView>,
    pub next_cursor: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AnswerRevision {
    pub disposition: String,
    #[schema(value_type = Object)]
    pub reason: Value,
    pub changed_version: Option<i32>,
    pub changed_path: Option<String>,
    pub duplicate_of: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub answered_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EarlierWording {
    /// `null` when the comment is hidden.
    pub text: Option<String>,
    /// When it was replaced.
    #[serde(with = "time::serde::rfc3339")]
    pub edited_at: OffsetDateTime,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Reanchoring {
    pub from_version: i32,
    pub from_path: Option<String>,
    pub to_version: i32,
    pub to_path: Option<String>,
    pub method: String,
    pub confidence: i16,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One comment with its whole public history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CommentDetail {
    pub comment: CommentView,
    pub answers: Vec<AnswerRevision>,
    pub earlier_wordings: Vec<EarlierWording>,
    pub reanchorings: Vec<Reanchoring>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Tally {
    pub key: String,
    pub proposals: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProvisionTally {
    /// `null` for the whole draft and for orphaned proposals.
    pub path: Option<String>,
    pub proposals: i64,
    pub accepted: i64,
    pub partially_accepted: i64,
    pub rejected: i64,
    pub other: i64,
    pub unanswered: i64,
}

/// Proposals from one region, protected like the regional signature counts: counts of 1 to 4
/// are withheld as "fewer than 5", and further cells may be withheld (both fields null) so that
/// no withheld count can be derived from the total.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RegionTally {
    /// A region code, or `unspecified` for proposals whose author gave no region.
    pub region: String,
    /// The exact count, or `null` when withheld.
    pub proposals: Option<i64>,
    /// Set (to 5) when the count is withheld and fewer than 5.
    pub fewer_than: Option<i64>,
}

impl RegionTally {
    /// Every region in the published order, then `unspecified`.
    pub(crate) fn table(consultation: &[u8], rows: impl IntoIterator<Item = (String, i64)>) -> Vec<Self> {
        let table = crate::disclosure::regional_table(consultation, rows);
        table
            .regions
            .into_iter()
            .map(|r| (r.region.code().to_owned(), r.count))
            .chain(std::iter::once(("unspecified".to_owned(), table.unspecified)))
            .map(|(region, count)| Self {
                region,
                proposals: count.signatures,
                fewer_than: count.fewer_than,
            })
            .collect()
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AnswerTimes {
    pub answered: i64,
    pub unanswered: i64,
    pub overdue: i64,
    /// Median and 90th percentile of the time from proposal to (latest) answer, in hours.
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    pub answered_late: i64,
}

/// The outcome of a consultation: totals, who proposed what from where, what changed, and how
/// fast the body answered. Proposals themselves are paged (`proposals` endpoint) or downloaded
/// whole as CSV.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OutcomeReport {
    pub consultation: ConsultationDetail,
    #[schema(value_type = Object)]
    pub summary: Value,
    pub final_version: Option<i32>,
    pub by_answer: Vec<Tally>,
    pub by_channel: Vec<Tally>,
    pub by_region: Vec<RegionTally>,
    pub by_provision: Vec<ProvisionTally>,
    pub answer_times: AnswerTimes,
    /// From the first version to the latest: every provision that changed, and why.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<tyndau_drafts::ProvisionChange>,
}
