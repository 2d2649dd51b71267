//! Which message shows each value of an enumeration, by exhaustive `match`: a variant added
//! without a message id does not compile, and a test checks that every string literal in this
//! file is a message in every language (so keep only message ids in string literals here).

use time::Month;
use tyndau_auth::Role;
use tyndau_drafts::ChangeKind;
use tyndau_events::comment::{Channel, Disposition, FlagReason, HideReason};
use tyndau_events::petition::{
    ClosingOutcome, Decision, Level, PetitionEventKind, RejectionReason, StopReason,
};
use tyndau_ids::Region;
use tyndau_read_model::{ConsultationStatus, NextStep, PetitionStatus};

pub(super) fn petition_status(status: PetitionStatus) -> &'static str {
    match status {
        PetitionStatus::Rejected => "petition-status-rejected",
        PetitionStatus::Open => "petition-status-open",
        PetitionStatus::Closed => "petition-status-closed",
        PetitionStatus::Stopped => "petition-status-stopped",
        PetitionStatus::Archived => "petition-status-archived",
    }
}

pub(super) fn level(level: Level) -> &'static str {
    match level {
        Level::Government => "level-government",
        Level::OblastAkimat => "level-oblast-akimat",
        Level::OblastMaslikhat => "level-oblast-maslikhat",
        Level::CityAkimat => "level-city-akimat",
        Level::CityMaslikhat => "level-city-maslikhat",
    }
}

pub(super) fn decision(decision: Decision) -> &'static str {
    match decision {
        Decision::Satisfied => "decision-satisfied",
        Decision::PartiallySatisfied => "decision-partially-satisfied",
        Decision::Refused => "decision-refused",
    }
}

pub(super) fn rejection_reason(reason: RejectionReason) -> &'static str {
    match reason {
        RejectionReason::ProhibitedSubject => "rejection-reason-prohibited-subject",
        RejectionReason::UnlawfulContent => "rejection-reason-unlawful-content",
        RejectionReason::Duplicate => "rejection-reason-duplicate",
        RejectionReason::WrongAddressee => "rejection-reason-wrong-addressee",
        RejectionReason::PersonalMatter => "rejection-reason-personal-matter",
        RejectionReason::Unclear => "rejection-reason-unclear",
        RejectionReason::Advertising => "rejection-reason-advertising",
    }
}

pub(super) fn stop_reason(reason: StopReason) -> &'static str {
    match reason {
        StopReason::RulesBreach => "stop-reason-rules-breach",
        StopReason::Fraud => "stop-reason-fraud",
        StopReason::LegalOrder => "stop-reason-legal-order",
        StopReason::AuthorRequest => "stop-reason-author-request",
    }
}

pub(super) fn closing_outcome(outcome: ClosingOutcome) -> &'static str {
    match outcome {
        ClosingOutcome::StartupGateMissed => "closing-outcome-startup-gate-missed",
        ClosingOutcome::ThresholdNotReached => "closing-outcome-threshold-not-reached",
        ClosingOutcome::ThresholdReached => "closing-outcome-threshold-reached",
    }
}

/// The headline of "what happens next".
pub(super) fn next_step(step: NextStep) -> &'static str {
    match step {
        NextStep::CollectingStartup => "next-step-collecting-startup",
        NextStep::Collecting => "next-step-collecting",
        NextStep::AwaitingAnswer => "next-step-awaiting-answer",
        NextStep::AnswerOverdue => "next-step-answer-overdue",
        NextStep::Answered => "next-step-answered",
        NextStep::Closed => "next-step-closed",
        NextStep::Rejected => "next-step-rejected",
        NextStep::Stopped => "next-step-stopped",
        NextStep::Archived => "next-step-archived",
    }
}

pub(super) fn consultation_status(status: ConsultationStatus) -> &'static str {
    match status {
        ConsultationStatus::Open => "consultation-status-open",
        ConsultationStatus::Closed => "consultation-status-closed",
        ConsultationStatus::ReportPublished => "consultation-status-report-published",
    }
}

/// The developer's answer to a proposal.
pub(super) fn disposition(disposition: Disposition) -> &'static str {
    match disposition {
        Disposition::Accepted => "disposition-accepted",
        Disposition::PartiallyAccepted => "disposition-partially-accepted",
        Disposition::Rejected => "disposition-rejected",
        Disposition::Noted => "disposition-noted",
        Disposition::OutOfScope => "disposition-out-of-scope",
        Disposition::Duplicate => "disposition-duplicate",
    }
}

/// Through which channel a comment came.
pub(super) fn channel(channel: Channel) -> &'static str {
    match channel {
        Channel::Citizen => "channel-citizen",
        Channel::Organisation => "channel-organisation",
        Channel::BusinessChamber => "channel-business-chamber",
        Channel::PublicCouncil => "channel-public-council",
        Channel::ExpertBody => "channel-expert-body",
    }
}

/// Why a moderator hid a comment.
pub(super) fn hide_reason(reason: HideReason) -> &'static str {
    match reason {
        HideReason::Abusive => "hide-reason-abusive",
        HideReason::Spam => "hide-reason-spam",
        HideReason::PersonalData => "hide-reason-personal-data",
        HideReason::Unlawful => "hide-reason-unlawful",
        HideReason::OffTopic => "hide-reason-off-topic",
    }
}

pub(super) fn change_kind(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "change-kind-added",
        ChangeKind::Removed => "change-kind-removed",
        ChangeKind::Changed => "change-kind-changed",
        ChangeKind::Unchanged => "change-kind-unchanged",
    }
}

/// A region's short name, to fit a map tile.
pub(super) fn region_short(region: Region) -> &'static str {
    match region {
        Region::Abai => "region-short-abai",
        Region::Akmola => "region-short-akmola",
        Region::Aktobe => "region-short-aktobe",
        Region::AlmatyRegion => "region-short-almaty-region",
        Region::Atyrau => "region-short-atyrau",
        Region::EastKazakhstan => "region-short-east-kazakhstan",
        Region::Zhambyl => "region-short-zhambyl",
        Region::Zhetysu => "region-short-zhetysu",
        Region::WestKazakhstan => "region-short-west-kazakhstan",
        Region::Karaganda => "region-short-karaganda",
        Region::Kostanay => "region-short-kostanay",
        Region::Kyzylorda => "region-short-kyzylorda",
        Region::Mangystau => "region-short-mangystau",
        Region::Pavlodar => "region-short-pavlodar",
        Region::NorthKazakhstan => "region-short-north-kazakhstan",
        Region::Turkestan => "region-short-turkestan",
        Region::Ulytau => "region-short-ulytau",
        Region::Astana => "region-short-astana",
        Region::Almaty => "region-short-almaty",
        Region::Shymkent => "region-short-shymkent",
    }
}

/// The timeline's text for each kind of petition event.
pub(super) fn petition_event(kind: PetitionEventKind) -> &'static str {
    match kind {
        PetitionEventKind::PetitionDrafted => "petition-event-drafted",
        PetitionEventKind::PetitionSubmitted => "petition-event-submitted",
        PetitionEventKind::PetitionRejected => "petition-event-rejected",
        PetitionEventKind::PetitionPublished => "petition-event-published",
        PetitionEventKind::PetitionListed => "petition-event-listed",
        PetitionEventKind::PetitionThresholdReached => "petition-event-threshold-reached",
        PetitionEventKind::PetitionClosed => "petition-event-closed",
        PetitionEventKind::PetitionStopped => "petition-event-stopped",
        PetitionEventKind::PetitionAnswerOverdue => "petition-event-answer-overdue",
        PetitionEventKind::PetitionAnswered => "petition-event-answered",
        PetitionEventKind::PetitionArchived => "petition-event-archived",
        PetitionEventKind::SignaturesInvalidated => "petition-event-signatures-invalidated",
        PetitionEventKind::PetitionAnonymised => "petition-event-anonymised",
    }
}

pub(super) fn month(month: Month) -> &'static str {
    match month {
        Month::January => "month-january",
        Month::February => "month-february",
        Month::March => "month-march",
        Month::April => "month-april",
        Month::May => "month-may",
        Month::June => "month-june",
        Month::July => "month-july",
        Month::August => "month-august",
        Month::September => "month-september",
        Month::October => "month-october",
        Month::November => "month-november",
        Month::December => "month-december",
    }
}

/// Who is signed in, when they have no display name.
pub(super) fn role(role: Role) -> &'static str {
    match role {
        Role::Citizen => "role-citizen",
        Role::Official => "role-official",
        Role::Moderator => "role-moderator",
        Role::Admin => "role-admin",
    }
}

/// Why a citizen reports a comment to the moderators.
pub(super) fn flag_reason(reason: FlagReason) -> &'static str {
    match reason {
        FlagReason::Abusive => "flag-reason-abusive",
        FlagReason::Spam => "flag-reason-spam",
        FlagReason::PersonalData => "flag-reason-personal-data",
        FlagReason::Unlawful => "flag-reason-unlawful",
        FlagReason::OffTopic => "flag-reason-off-topic",
    }
}
