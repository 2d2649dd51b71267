//! What the queries return: the public shapes, serialisable and documented for OpenAPI.
//!
//! Value types from `tyndau-ids` and `tyndau-events` are reused so codes cannot drift from the
//! event contracts; their OpenAPI schemas come from [`crate::schema`].

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_events::petition::{ClosingOutcome, Decision, Level, RejectionReason, StopReason};
use tyndau_ids::{BodyId, PetitionId, Region};
use utoipa::ToSchema;

/// A petition's public status. Drafts and submitted petitions are never public, so they have
/// no variant here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PetitionStatus {
    Rejected,
    Open,
    Closed,
    Stopped,
    Archived,
}

impl PetitionStatus {
    pub const ALL: [PetitionStatus; 5] = [
        PetitionStatus::Rejected,
        PetitionStatus::Open,
        PetitionStatus::Closed,
        PetitionStatus::Stopped,
        PetitionStatus::Archived,
    ];

    /// The code in `petition_view.status`.
    pub const fn code(self) -> &'static str {
        match self {
            PetitionStatus::Rejected => "rejected",
            PetitionStatus::Open => "open",
            PetitionStatus::Closed => "closed",
            PetitionStatus::Stopped => "stopped",
            PetitionStatus::Archived => "archived",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What happens next, as a short machine code a client can translate: the one field a reader
/// needs to know where the petition stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// Open, gathering the signatures that make it publicly listed.
    CollectingStartup,
    /// Open and listed, below the threshold.
    Collecting,
    /// The threshold was reached; the addressee's answer is due.
    AwaitingAnswer,
    /// The answer deadline passed without an answer.
    AnswerOverdue,
    Answered,
    /// Closed without reaching the threshold: nothing more will happen.
    Closed,
    Rejected,
    Stopped,
    Archived,
}

impl NextStep {
    /// Derived from the lifecycle columns only, so list and detail always agree.
    pub(crate) fn derive(
        status: PetitionStatus,
        dates: &PetitionDates,
        outcome: Option<ClosingOutcome>,
    ) -> Self {
        let answer_stage = || {
            if dates.answered_at.is_some() {
                Some(NextStep::Answered)
            } else if dates.answer_overdue_at.is_some() {
                Some(NextStep::AnswerOverdue)
            } else if dates.threshold_reached_at.is_some()
                || outcome == Some(ClosingOutcome::ThresholdReached)
            {
                Some(NextStep::AwaitingAnswer)
            } else {
                None
            }
        };
        match status {
            PetitionStatus::Rejected => NextStep::Rejected,
            PetitionStatus::Stopped => NextStep::Stopped,
            PetitionStatus::Archived => NextStep::Archived,
            PetitionStatus::Open if dates.listed_at.is_none() => NextStep::CollectingStartup,
            PetitionStatus::Open => answer_stage().unwrap_or(NextStep::Collecting),
            PetitionStatus::Closed => answer_stage().unwrap_or(NextStep::Closed),
        }
    }
}

/// The addressed state body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Addressee {
    #[schema(schema_with = crate::schema::body)]
    pub body: BodyId,
    #[schema(schema_with = crate::schema::level)]
    pub level: Level,
    #[schema(schema_with = crate::schema::optional_region)]
    pub region: Option<Region>,
}

/// The petition's text in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = PetitionText)]
pub struct PetitionTextView {
    pub title: String,
    /// The background and arguments.
    pub text: String,
    /// What exactly is asked of the addressee.
    pub request: String,
}

/// The texts in the languages the author gave (Kazakh or Russian at least).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Content {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<PetitionTextView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<PetitionTextView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<PetitionTextView>,
}

impl Content {
    pub fn titles(&self) -> LocalizedString {
        let title = |text: &Option<PetitionTextView>| text.as_ref().map(|t| t.title.clone());
        LocalizedString {
            kk: title(&self.kk),
            ru: title(&self.ru),
            en: title(&self.en),
        }
    }
}

/// One string in the languages it exists in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LocalizedString {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// Why moderation refused publication: public, for accountability.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rejection {
    #[schema(schema_with = crate::schema::rejection_reason)]
    pub reason: RejectionReason,
    pub explanation: String,
}

/// Why collection was stopped early.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stop {
    #[schema(schema_with = crate::schema::stop_reason)]
    pub reason: StopReason,
    pub explanation: String,
}

/// The addressee's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Answer {
    #[schema(schema_with = crate::schema::decision)]
    pub decision: Decision,
    pub text: LocalizedString,
    #[schema(schema_with = crate::schema::body)]
    pub answered_by: BodyId,
    /// Whether it came before the deadline.
    pub on_time: bool,
}

/// Lifecycle dates (RFC 3339); null until the step happens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PetitionDates {
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    /// End of the collection period.
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    /// Deadline for the start-up signatures that make the petition listed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub startup_due: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub listed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub threshold_reached_at: Option<OffsetDateTime>,
    /// The addressee's answer deadline.
    #[serde(with = "time::serde::rfc3339::option")]
    pub answer_due: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answer_overdue_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub answered_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub archived_at: Option<OffsetDateTime>,
}

/// Progress towards the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct Progress {
    /// signatures / threshold, uncapped (1.5 is half again the threshold).
    pub ratio: f64,
    /// For a progress bar: whole percent, rounded down (never 100 before the threshold), capped at 100.
    pub percent: u8,
}

impl Progress {
    pub(crate) fn of(signatures: i64, threshold: Option<i32>) -> Option<Self> {
        let threshold = threshold.filter(|t| *t > 0)?;
        let signatures = signatures.max(0);
        // Integer arithmetic for the display so rounding never shows 100 early.
        let percent = (signatures.saturating_mul(100) / i64::from(threshold)).min(100);
        Some(Self {
            ratio: signatures as f64 / f64::from(threshold),
            percent: u8::try_from(percent).unwrap_or(100),
        })
    }
}

/// A petition as the catalogue lists it.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PetitionSummary {
    #[schema(value_type = uuid::Uuid)]
    pub id: PetitionId,
    pub status: PetitionStatus,
    pub addressee: Addressee,
    /// The title in each language given.
    pub title: LocalizedString,
    /// The live count.
    pub signatures: i64,
    pub threshold: Option<i32>,
    pub progress: Option<Progress>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closes_at: Option<OffsetDateTime>,
    #[schema(schema_with = crate::schema::optional_rejection_reason)]
    pub rejection_reason: Option<RejectionReason>,
    pub next_step: NextStep,
}

/// One page of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PetitionPage {
    pub items: Vec<PetitionSummary>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Everything public about one petition.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PetitionDetail {
    #[schema(value_type = uuid::Uuid)]
    pub id: PetitionId,
    pub status: PetitionStatus,
    pub addressee: Addressee,
    pub content: Content,
    pub dates: PetitionDates,
    /// Fixed when the petition opened; null before.
    pub threshold: Option<i32>,
    /// The live count.
    pub signatures: i64,
    pub progress: Option<Progress>,
    /// The exact count when collection ended (closed or stopped).
    pub final_count: Option<i32>,
    #[schema(schema_with = crate::schema::optional_closing_outcome)]
    pub closing_outcome: Option<ClosingOutcome>,
    pub rejection: Option<Rejection>,
    pub stop: Option<Stop>,
    pub answer: Option<Answer>,
    pub next_step: NextStep,
}

/// The live count, for polling.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SignatureCount {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    pub signatures: i64,
    pub threshold: Option<i32>,
    pub progress: Option<Progress>,
}

/// Public counts between 1 and this minus one are not shown exactly: in a small region a tiny
/// count could point at the people behind it.
pub const SMALL_COUNT: i64 = 5;

/// A count as the public sees it: exact, withheld as "fewer than [`SMALL_COUNT`]", or withheld
/// without a bound to protect a small count elsewhere in the same table (see
/// [`crate::disclosure`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublicCount {
    /// The exact count, or `null` when it is withheld.
    pub signatures: Option<i64>,
    /// Set (to 5) when the count is withheld and is fewer than 5 (possibly 0). Null with a null
    /// count: withheld so that a small count elsewhere in the table cannot be derived by
    /// subtraction from the total.
    pub fewer_than: Option<i64>,
}

impl PublicCount {
    pub const fn exact(count: i64) -> Self {
        Self {
            signatures: Some(count),
            fewer_than: None,
        }
    }

    pub const fn fewer_than_small() -> Self {
        Self {
            signatures: None,
            fewer_than: Some(SMALL_COUNT),
        }
    }

    pub const fn withheld() -> Self {
        Self {
            signatures: None,
            fewer_than: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RegionCount {
    #[schema(schema_with = crate::schema::region)]
    pub region: Region,
    #[serde(flatten)]
    pub count: PublicCount,
}

/// Signatures by the signers' region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RegionBreakdown {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    /// Every region, in the published order, 0 where nobody signed.
    pub regions: Vec<RegionCount>,
    /// Signatures whose region is not one of the regions above.
    pub unspecified: PublicCount,
    /// All signatures counted here, always exact: the regions plus `unspecified`.
    pub total: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct HourlyPoint {
    /// Start of the hour (UTC).
    #[serde(with = "time::serde::rfc3339")]
    pub hour: OffsetDateTime,
    /// Net signatures given in that hour (withdrawals count against the hour of the signature).
    pub signatures: i64,
}

/// Signing activity over time; hours without signatures are absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct HourlySeries {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    pub points: Vec<HourlyPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub sequence: i64,
    /// The lifecycle event, e.g. `PetitionPublished`.
    pub event_type: String,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    /// The event's public details, as the projector recorded them.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// The public history of a petition.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Timeline {
    #[schema(value_type = uuid::Uuid)]
    pub petition_id: PetitionId,
    pub entries: Vec<TimelineEntry>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests fail loudly by design.
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn progress_never_shows_complete_early_and_caps_the_bar() {
        assert_eq!(Progress::of(0, Some(0)), None);
        assert_eq!(Progress::of(10, None), None);
        let almost = Progress::of(49_999, Some(50_000)).unwrap();
        assert_eq!(almost.percent, 99);
        let over = Progress::of(75_000, Some(50_000)).unwrap();
        assert_eq!((over.ratio, over.percent), (1.5, 100));
    }

    #[test]
    fn next_step_follows_the_lifecycle() {
        let at = Some(datetime!(2025-01-01 0:00 UTC));
        let mut dates = PetitionDates::default();
        let step = |d: &PetitionDates, s, o| NextStep::derive(s, d, o);
        assert_eq!(
            step(&dates, PetitionStatus::Open, None),
            NextStep::CollectingStartup
        );
        dates.listed_at = at;
        assert_eq!(step(&dates, PetitionStatus::Open, None), NextStep::Collecting);
        assert_eq!(
            step(
                &dates,
                PetitionStatus::Closed,
                Some(ClosingOutcome::ThresholdNotReached)
            ),
            NextStep::Closed
        );
        dates.threshold_reached_at = at;
        assert_eq!(step(&dates, PetitionStatus::Open, None), NextStep::AwaitingAnswer);
        dates.answer_overdue_at = at;
        assert_eq!(
            step(&dates, PetitionStatus::Closed, None),
            NextStep::AnswerOverdue
        );
        dates.answered_at = at;
        assert_eq!(step(&dates, PetitionStatus::Closed, None), NextStep::Answered);
        assert_eq!(step(&dates, PetitionStatus::Archived, None), NextStep::Archived);
        assert_eq!(
            step(&PetitionDates::default(), PetitionStatus::Rejected, None),
            NextStep::Rejected
        );
    }
}
