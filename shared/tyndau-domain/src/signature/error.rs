//! Why a signature command is refused.

use crate::rejection::{DomainRejection, RejectionKind};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the petition is not collecting signatures")]
    PetitionClosed,
    #[error("signers must be at least {min_age} years old")]
    TooYoung { min_age: i32 },
    #[error("only residents of the petition's region may sign")]
    NotResident,
    #[error("this petition is already signed by this citizen")]
    AlreadySigned,
    #[error("a withdrawn signature cannot be given again")]
    WithdrawnEarlier,
    #[error("this petition is not signed by this citizen")]
    NotSigned,
    #[error("the signature was already withdrawn")]
    AlreadyWithdrawn,
    #[error("the signature was removed by a moderator")]
    Invalidated,
    #[error("the signature was already invalidated")]
    AlreadyInvalidated,
}

impl SignatureError {
    /// A stable snake_case code, part of the public API.
    pub const fn code(&self) -> &'static str {
        match self {
            SignatureError::PetitionClosed => "petition_closed",
            SignatureError::TooYoung { .. } => "too_young",
            SignatureError::NotResident => "not_resident",
            SignatureError::AlreadySigned => "already_signed",
            SignatureError::WithdrawnEarlier => "withdrawn_earlier",
            SignatureError::NotSigned => "not_signed",
            SignatureError::AlreadyWithdrawn => "already_withdrawn",
            SignatureError::Invalidated => "signature_invalidated",
            SignatureError::AlreadyInvalidated => "already_invalidated",
        }
    }

    pub const fn kind(&self) -> RejectionKind {
        match self {
            SignatureError::PetitionClosed => RejectionKind::Gone,
            SignatureError::TooYoung { .. } | SignatureError::NotResident => RejectionKind::Forbidden,
            SignatureError::AlreadySigned
            | SignatureError::WithdrawnEarlier
            | SignatureError::AlreadyWithdrawn
            | SignatureError::AlreadyInvalidated => RejectionKind::Conflict,
            SignatureError::Invalidated => RejectionKind::Gone,
            SignatureError::NotSigned => RejectionKind::NotFound,
        }
    }
}

impl DomainRejection for SignatureError {
    fn code(&self) -> &'static str {
        SignatureError::code(self)
    }

    fn kind(&self) -> RejectionKind {
        SignatureError::kind(self)
    }
}
