//! The Petition aggregate's events: its lifecycle only. Signatures are their own aggregate
//! (see [`crate::signature`]) so a viral petition never becomes one hot, ever-growing stream.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tyndau_ids::{BodyId, InvalidationId, PetitionId, Region, SignerKey};

use crate::versioned_events;

/// The level of the addressed state body; it decides the threshold policy.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Government,
    OblastAkimat,
    OblastMaslikhat,
    CityAkimat,
    CityMaslikhat,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Government,
        Level::OblastAkimat,
        Level::OblastMaslikhat,
        Level::CityAkimat,
        Level::CityMaslikhat,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Level::Government => "government",
            Level::OblastAkimat => "oblast_akimat",
            Level::OblastMaslikhat => "oblast_maslikhat",
            Level::CityAkimat => "city_akimat",
            Level::CityMaslikhat => "city_maslikhat",
        }
    }
}

/// The state body a petition is addressed to. `region` is `None` only for the Government.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Addressee {
    pub body: BodyId,
    pub level: Level,
    pub region: Option<Region>,
}

/// Content languages, Kazakh first.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Kk,
    Ru,
    En,
}

/// The petition's text in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionText {
    pub title: String,
    /// The background and arguments.
    pub text: String,
    /// What exactly is asked of the addressee.
    pub request: String,
}

/// Reasons a moderator may refuse publication: a published, stable list (APPC ch. 12-1 and the
/// "17 points" of prohibited subjects, grouped).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    /// Constitutional order, territory, borders, elections, judiciary, defence, state secrets, …
    ProhibitedSubject,
    /// Calls to violence, extremism, discord; defamation; offensive content.
    UnlawfulContent,
    /// Already covered by an open petition.
    Duplicate,
    /// Not within the competence of the chosen addressee.
    WrongAddressee,
    /// Not a public matter: a personal case belongs in an appeal (e-Otinish).
    PersonalMatter,
    /// Impossible to understand what is asked.
    Unclear,
    /// Advertising or commercial promotion.
    Advertising,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 7] = [
        RejectionReason::ProhibitedSubject,
        RejectionReason::UnlawfulContent,
        RejectionReason::Duplicate,
        RejectionReason::WrongAddressee,
        RejectionReason::PersonalMatter,
        RejectionReason::Unclear,
        RejectionReason::Advertising,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Found after publication to break the publication rules.
    RulesBreach,
    /// Signature fraud that cannot be undone by invalidation.
    Fraud,
    /// A court decision or a change of law makes the request moot.
    LegalOrder,
    /// The author asked for it.
    AuthorRequest,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Satisfied,
    PartiallySatisfied,
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClosingOutcome {
    /// The start-up gate was not met in time: the petition never became public.
    StartupGateMissed,
    /// The collection period ended below the threshold.
    ThresholdNotReached,
    /// The collection period ended after the threshold was reached; the answer is awaited.
    ThresholdReached,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionDrafted {
    pub petition_id: PetitionId,
    /// The author's pseudonym (never an IIN).
    pub author: SignerKey,
    pub addressee: Addressee,
    /// The texts, by language; Kazakh or Russian at least.
    pub content: BTreeMap<Language, PetitionText>,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub drafted_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionSubmitted {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub submitted_at: OffsetDateTime,
    /// When moderation must be done (working days from submission).
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub moderation_due: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionRejected {
    pub reason: RejectionReason,
    pub explanation: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub rejected_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionPublished {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub published_at: OffsetDateTime,
    /// End of the collection period.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub closes_at: OffsetDateTime,
    /// Fixed when the petition opens: later policy changes do not move it.
    pub threshold: u32,
    /// Signatures needed before the petition is listed publicly.
    pub startup_signatures: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub startup_due: OffsetDateTime,
    /// Working days the addressee has to answer once the threshold is reached.
    pub answer_working_days: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionListed {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub listed_at: OffsetDateTime,
    pub signatures: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionThresholdReached {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub reached_at: OffsetDateTime,
    pub signatures: u32,
    /// The addressee's answer deadline; the response clock starts here.
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub answer_due: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionClosed {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub closed_at: OffsetDateTime,
    /// Exact: read under the signature gate's lock after the gate closed.
    pub final_count: u32,
    pub outcome: ClosingOutcome,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionStopped {
    pub reason: StopReason,
    pub explanation: String,
    pub final_count: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub stopped_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionAnswerOverdue {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub answer_due: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub marked_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionAnswered {
    pub decision: Decision,
    /// The answer, by language.
    pub text: BTreeMap<Language, String>,
    pub answered_by: BodyId,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub answered_at: OffsetDateTime,
    pub on_time: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionArchived {
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub archived_at: OffsetDateTime,
}

/// Which signatures an invalidation took: all standing signatures matching every given part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InvalidationRule {
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>")]
    pub signed_from: Option<OffsetDateTime>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schemars(with = "Option<String>")]
    pub signed_until: Option<OffsetDateTime>,
    /// The client network the signatures came from (`203.0.113.0/24`).
    pub network: Option<String>,
}

/// The public record of a bulk invalidation: how many, why, when, by which rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SignaturesInvalidated {
    pub invalidation: InvalidationId,
    pub reason: crate::signature::InvalidationReason,
    pub explanation: String,
    pub rule: InvalidationRule,
    /// Signatures removed (each has its own `SignatureInvalidated`).
    pub count: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub invalidated_at: OffsetDateTime,
}

/// The retention period after the petition's final state has passed: the signers' personal data
/// (the names some chose to show) is shredded; every count stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PetitionAnonymised {
    /// Subject keys deleted.
    pub keys_deleted: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schemars(with = "String")]
    pub anonymised_at: OffsetDateTime,
}

versioned_events! {
    /// Everything that can happen to a petition, in the order of its lifecycle.
    pub enum PetitionEvent {
        PetitionDrafted("1.0"),
        PetitionSubmitted("1.0"),
        PetitionRejected("1.0"),
        PetitionPublished("1.0"),
        PetitionListed("1.0"),
        PetitionThresholdReached("1.0"),
        PetitionClosed("1.0"),
        PetitionStopped("1.0"),
        PetitionAnswerOverdue("1.0"),
        PetitionAnswered("1.0"),
        PetitionArchived("1.0"),
        SignaturesInvalidated("1.0"),
        PetitionAnonymised("1.0"),
    }
}

crate::event_kinds! {
    /// A petition event's kind, as stored in `event_type` (for example in the public timeline).
    PetitionEvent => pub enum PetitionEventKind {
        PetitionDrafted,
        PetitionSubmitted,
        PetitionRejected,
        PetitionPublished,
        PetitionListed,
        PetitionThresholdReached,
        PetitionClosed,
        PetitionStopped,
        PetitionAnswerOverdue,
        PetitionAnswered,
        PetitionArchived,
        SignaturesInvalidated,
        PetitionAnonymised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_petition_event_has_a_kind_named_as_its_event_type() {
        let event_types: Vec<&str> = PetitionEvent::VERSIONS.iter().map(|(name, _)| *name).collect();
        let kinds: Vec<&str> = PetitionEventKind::ALL
            .iter()
            .map(|kind| kind.event_type())
            .collect();
        assert_eq!(kinds, event_types);
        for kind in PetitionEventKind::ALL {
            assert_eq!(PetitionEventKind::from_event_type(kind.event_type()), Some(*kind));
        }
        assert_eq!(PetitionEventKind::from_event_type("PetitionDeleted"), None);
        assert_eq!(PetitionEventKind::from_event_type("petitionDrafted"), None);
    }
}
