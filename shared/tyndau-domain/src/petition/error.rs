//! Why a petition command is refused. Domain rejections only: infrastructure failures are not
//! the aggregate's business.

use tyndau_events::petition::Language;

use crate::rejection::{DomainRejection, RejectionKind};
use crate::text::TextField;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PetitionError {
    #[error("no such petition")]
    NotFound,
    #[error("the petition already exists")]
    AlreadyExists,
    #[error("the addressee is not in the directory of state bodies")]
    UnknownBody,
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
    #[error("only the author may do this")]
    NotAuthor,
    #[error("the petition is not a draft")]
    NotDraft,
    #[error("the petition is not awaiting moderation")]
    NotSubmitted,
    #[error("the petition is not open")]
    NotOpen,
    #[error("the petition is already listed")]
    AlreadyListed,
    #[error("the threshold was already reached")]
    ThresholdAlreadyReached,
    #[error("{signatures} signatures are fewer than the {required} required")]
    NotEnoughSignatures { signatures: u32, required: u32 },
    #[error("it is not yet time for this")]
    NotDue,
    #[error("the final count reaches the threshold, which must be marked before closing")]
    ThresholdNotMarked,
    #[error("the threshold has not been reached")]
    ThresholdNotReached,
    #[error("the petition was stopped or archived: no answer is awaited")]
    NotAwaitingAnswer,
    #[error("the answer was already marked overdue")]
    AnswerAlreadyMarkedOverdue,
    #[error("only the addressed body may answer")]
    NotAddressee,
    #[error("the petition was already answered")]
    AlreadyAnswered,
    #[error("the petition is not in a final state")]
    NotFinal,
    #[error("the petition is already archived")]
    AlreadyArchived,
    #[error("no standing signature matches the rule")]
    NothingToInvalidate,
    #[error("the signers' personal data was already shredded")]
    AlreadyAnonymised,
}

impl PetitionError {
    /// A stable snake_case code, part of the public API.
    pub const fn code(&self) -> &'static str {
        match self {
            PetitionError::NotFound => "petition_not_found",
            PetitionError::AlreadyExists => "petition_already_exists",
            PetitionError::UnknownBody => "unknown_body",
            PetitionError::KazakhOrRussianRequired => "kazakh_or_russian_required",
            PetitionError::EmptyText { .. } => "empty_text",
            PetitionError::TextTooLong { .. } => "text_too_long",
            PetitionError::NotAuthor => "not_author",
            PetitionError::NotDraft => "not_draft",
            PetitionError::NotSubmitted => "not_submitted",
            PetitionError::NotOpen => "not_open",
            PetitionError::AlreadyListed => "already_listed",
            PetitionError::ThresholdAlreadyReached => "threshold_already_reached",
            PetitionError::NotEnoughSignatures { .. } => "not_enough_signatures",
            PetitionError::NotDue => "not_due",
            PetitionError::ThresholdNotMarked => "threshold_not_marked",
            PetitionError::ThresholdNotReached => "threshold_not_reached",
            PetitionError::NotAwaitingAnswer => "not_awaiting_answer",
            PetitionError::AnswerAlreadyMarkedOverdue => "answer_already_marked_overdue",
            PetitionError::NotAddressee => "not_addressee",
            PetitionError::AlreadyAnswered => "already_answered",
            PetitionError::NotFinal => "not_final",
            PetitionError::AlreadyArchived => "already_archived",
            PetitionError::NothingToInvalidate => "nothing_to_invalidate",
            PetitionError::AlreadyAnonymised => "already_anonymised",
        }
    }

    pub const fn kind(&self) -> RejectionKind {
        match self {
            PetitionError::NotFound => RejectionKind::NotFound,
            PetitionError::UnknownBody
            | PetitionError::KazakhOrRussianRequired
            | PetitionError::EmptyText { .. }
            | PetitionError::TextTooLong { .. }
            | PetitionError::NothingToInvalidate => RejectionKind::Invalid,
            PetitionError::NotAuthor | PetitionError::NotAddressee => RejectionKind::Forbidden,
            PetitionError::AlreadyExists
            | PetitionError::NotDraft
            | PetitionError::NotSubmitted
            | PetitionError::NotOpen
            | PetitionError::AlreadyListed
            | PetitionError::ThresholdAlreadyReached
            | PetitionError::NotEnoughSignatures { .. }
            | PetitionError::NotDue
            | PetitionError::ThresholdNotMarked
            | PetitionError::ThresholdNotReached
            | PetitionError::NotAwaitingAnswer
            | PetitionError::AnswerAlreadyMarkedOverdue
            | PetitionError::AlreadyAnswered
            | PetitionError::NotFinal
            | PetitionError::AlreadyArchived
            | PetitionError::AlreadyAnonymised => RejectionKind::Conflict,
        }
    }
}

impl DomainRejection for PetitionError {
    fn code(&self) -> &'static str {
        PetitionError::code(self)
    }

    fn kind(&self) -> RejectionKind {
        PetitionError::kind(self)
    }
}
