//! Why a comment or reaction command is refused.

use tyndau_events::petition::Language;

use crate::rejection::{DomainRejection, RejectionKind};
use crate::text::TextField;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommentError {
    #[error("no such comment")]
    NotFound,
    #[error("the comment already exists")]
    AlreadyExists,
    #[error("no such consultation")]
    ConsultationNotFound,
    #[error("the consultation is not open for comments yet")]
    NotOpenYet,
    #[error("the comment period is over")]
    CommentingClosed,
    #[error("the developing body answers proposals; it does not comment on its own draft")]
    OwnConsultation,
    #[error("citizens comment through the citizen channel, organisations through another")]
    WrongChannel,
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
    #[error("the draft's current version has no such provision")]
    UnknownProvision,
    #[error("a quote needs the provision it is quoted from")]
    QuoteWithoutProvision,
    #[error("the quoted words are not in the provision")]
    QuoteNotFound,
    #[error("the comment replied to is not in this consultation")]
    ParentNotFound,
    #[error("replies follow their thread's anchor and take no provision or quote")]
    AnchorOnReply,
    #[error("replies nest at most {max} deep")]
    TooDeep { max: u8 },
    #[error("the comment is hidden")]
    Hidden,
    #[error("only the author may do this")]
    NotAuthor,
    #[error("the comment has replies and can no longer be edited")]
    HasReplies,
    #[error("the proposal has been answered and can no longer be edited")]
    Answered,
    #[error("the comment is already hidden")]
    AlreadyHidden,
    #[error("replies are answered in their thread: only proposals get an answer")]
    NotAProposal,
    #[error("only the body that develops the draft may answer")]
    NotResponsibleBody,
    #[error("a reason in Kazakh or Russian is required")]
    ReasonRequired,
    #[error("a duplicate answer must name the proposal this one repeats")]
    DuplicateTargetRequired,
    #[error("the duplicate target must be another proposal of the same consultation")]
    InvalidDuplicate,
    #[error("only a duplicate answer names another proposal")]
    DuplicateOnlyForDuplicates,
    #[error("only an accepted or partially accepted proposal changes the draft")]
    ChangeNeedsAcceptance,
    #[error("the changed provision is not in that version")]
    UnknownChangedProvision,
    #[error("this answer is already the current one")]
    SameAnswer,
    #[error("the outcome report is published: answers are final")]
    ReportPublished,
    #[error("the comment is already anchored to the current version")]
    AlreadyAnchored,
    #[error("you cannot react to or flag your own comment")]
    OwnComment,
    #[error("you have already flagged this comment")]
    AlreadyFlagged,
    #[error("no flags beyond those already reviewed")]
    NoNewFlags,
}

impl CommentError {
    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "comment_not_found",
            Self::AlreadyExists => "comment_already_exists",
            Self::ConsultationNotFound => "consultation_not_found",
            Self::NotOpenYet => "consultation_not_open",
            Self::CommentingClosed => "commenting_closed",
            Self::OwnConsultation => "own_consultation",
            Self::WrongChannel => "wrong_channel",
            Self::EmptyText { .. } => "empty_text",
            Self::TextTooLong { .. } => "text_too_long",
            Self::UnknownProvision => "unknown_provision",
            Self::QuoteWithoutProvision => "quote_without_provision",
            Self::QuoteNotFound => "quote_not_found",
            Self::ParentNotFound => "parent_not_found",
            Self::AnchorOnReply => "anchor_on_reply",
            Self::TooDeep { .. } => "reply_too_deep",
            Self::Hidden => "comment_hidden",
            Self::NotAuthor => "not_author",
            Self::HasReplies => "comment_has_replies",
            Self::Answered => "proposal_answered",
            Self::AlreadyHidden => "already_hidden",
            Self::NotAProposal => "not_a_proposal",
            Self::NotResponsibleBody => "not_responsible_body",
            Self::ReasonRequired => "reason_required",
            Self::DuplicateTargetRequired => "duplicate_target_required",
            Self::InvalidDuplicate => "invalid_duplicate",
            Self::DuplicateOnlyForDuplicates => "duplicate_only_for_duplicates",
            Self::ChangeNeedsAcceptance => "change_needs_acceptance",
            Self::UnknownChangedProvision => "unknown_changed_provision",
            Self::SameAnswer => "same_answer",
            Self::ReportPublished => "report_published",
            Self::AlreadyAnchored => "already_anchored",
            Self::OwnComment => "own_comment",
            Self::AlreadyFlagged => "already_flagged",
            Self::NoNewFlags => "no_new_flags",
        }
    }

    pub const fn kind(&self) -> RejectionKind {
        match self {
            Self::NotFound | Self::ConsultationNotFound | Self::ParentNotFound => RejectionKind::NotFound,
            Self::OwnConsultation | Self::NotAuthor | Self::NotResponsibleBody | Self::OwnComment => {
                RejectionKind::Forbidden
            }
            Self::WrongChannel
            | Self::EmptyText { .. }
            | Self::TextTooLong { .. }
            | Self::UnknownProvision
            | Self::QuoteWithoutProvision
            | Self::QuoteNotFound
            | Self::AnchorOnReply
            | Self::TooDeep { .. }
            | Self::NotAProposal
            | Self::ReasonRequired
            | Self::DuplicateTargetRequired
            | Self::InvalidDuplicate
            | Self::DuplicateOnlyForDuplicates
            | Self::ChangeNeedsAcceptance
            | Self::UnknownChangedProvision => RejectionKind::Invalid,
            Self::AlreadyExists
            | Self::NotOpenYet
            | Self::Hidden
            | Self::HasReplies
            | Self::Answered
            | Self::AlreadyHidden
            | Self::SameAnswer
            | Self::AlreadyAnchored
            | Self::AlreadyFlagged
            | Self::NoNewFlags => RejectionKind::Conflict,
            Self::CommentingClosed | Self::ReportPublished => RejectionKind::Gone,
        }
    }
}

impl DomainRejection for CommentError {
    fn code(&self) -> &'static str {
        CommentError::code(self)
    }

    fn kind(&self) -> RejectionKind {
        CommentError::kind(self)
    }
}
