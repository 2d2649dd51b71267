//! Why a consultation command is refused.

use time::OffsetDateTime;
use tyndau_events::petition::Language;
use tyndau_ids::ProvisionPath;

use crate::rejection::{DomainRejection, RejectionKind};
use crate::text::TextField;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsultationError {
    #[error("no such consultation")]
    NotFound,
    #[error("the consultation already exists")]
    AlreadyExists,
    #[error("the body is not in the directory of state bodies")]
    UnknownBody,
    #[error("only the body that develops the draft may do this")]
    NotResponsibleBody,
    #[error("a text in Kazakh or Russian is required")]
    KazakhOrRussianRequired,
    #[error("the {field} is empty")]
    EmptyText {
        language: Option<Language>,
        field: TextField,
    },
    #[error("the {field} is longer than {max} characters")]
    TextTooLong {
        language: Option<Language>,
        field: TextField,
        max: usize,
    },
    #[error("the draft has no provisions")]
    EmptyDraft,
    #[error("the draft has more than {max} provisions")]
    TooManyProvisions { max: usize },
    #[error("provision {0} appears twice")]
    DuplicateProvision(ProvisionPath),
    #[error("provision {0} comes before, or without, the provision that contains it")]
    MissingParentProvision(ProvisionPath),
    #[error("{count} texts lack a Kazakh or Russian version, the first at {first} ({language:?})")]
    TranslationsMissing {
        count: usize,
        first: String,
        language: Language,
    },
    #[error("the consultation is not a draft")]
    NotDrafted,
    #[error("the comment period must last until at least {earliest}")]
    PeriodTooShort { earliest: OffsetDateTime },
    #[error("the consultation is not open")]
    NotOpen,
    #[error("the comment period has not ended")]
    NotDue,
    #[error("the new version is identical to the current one")]
    NoChanges,
    #[error("a change note names provision {0}, which is in neither version")]
    UnknownChangedProvision(ProvisionPath),
    #[error("the consultation is not closed")]
    NotClosed,
    #[error("{count} proposals are still unanswered")]
    UnansweredProposals { count: u32 },
    #[error("the outcome report is published: the consultation is final")]
    ReportPublished,
}

impl ConsultationError {
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "consultation_not_found",
            Self::AlreadyExists => "consultation_already_exists",
            Self::UnknownBody => "unknown_body",
            Self::NotResponsibleBody => "not_responsible_body",
            Self::KazakhOrRussianRequired => "kazakh_or_russian_required",
            Self::EmptyText { .. } => "empty_text",
            Self::TextTooLong { .. } => "text_too_long",
            Self::EmptyDraft => "empty_draft",
            Self::TooManyProvisions { .. } => "too_many_provisions",
            Self::DuplicateProvision(_) => "duplicate_provision",
            Self::MissingParentProvision(_) => "missing_parent_provision",
            Self::TranslationsMissing { .. } => "translations_missing",
            Self::NotDrafted => "not_drafted",
            Self::PeriodTooShort { .. } => "period_too_short",
            Self::NotOpen => "consultation_not_open",
            Self::NotDue => "not_due",
            Self::NoChanges => "no_changes",
            Self::UnknownChangedProvision(_) => "unknown_changed_provision",
            Self::NotClosed => "consultation_not_closed",
            Self::UnansweredProposals { .. } => "unanswered_proposals",
            Self::ReportPublished => "report_published",
        }
    }

    pub const fn kind(&self) -> RejectionKind {
        match self {
            Self::NotFound => RejectionKind::NotFound,
            Self::NotResponsibleBody => RejectionKind::Forbidden,
            Self::UnknownBody
            | Self::KazakhOrRussianRequired
            | Self::EmptyText { .. }
            | Self::TextTooLong { .. }
            | Self::EmptyDraft
            | Self::TooManyProvisions { .. }
            | Self::DuplicateProvision(_)
            | Self::MissingParentProvision(_)
            | Self::TranslationsMissing { .. }
            | Self::PeriodTooShort { .. }
            | Self::NoChanges
            | Self::UnknownChangedProvision(_) => RejectionKind::Invalid,
            Self::AlreadyExists
            | Self::NotDrafted
            | Self::NotOpen
            | Self::NotDue
            | Self::NotClosed
            | Self::UnansweredProposals { .. } => RejectionKind::Conflict,
            Self::ReportPublished => RejectionKind::Gone,
        }
    }
}

impl DomainRejection for ConsultationError {
    fn code(&self) -> &'static str {
        ConsultationError::code(self)
    }

    fn kind(&self) -> RejectionKind {
        ConsultationError::kind(self)
    }
}
