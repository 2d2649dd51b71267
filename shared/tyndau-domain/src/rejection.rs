//! What every domain rejection carries besides its message, so the HTTP edge can map it without
//! knowing each aggregate's rules.

use serde::Serialize;

/// The class of a rejection; the HTTP layer maps it to 422/403/404/409/410.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// The command itself is malformed or breaks a content rule (422).
    Invalid,
    /// The caller may not do this (403).
    Forbidden,
    /// The thing the command acts on does not exist (404).
    NotFound,
    /// The command conflicts with the current state; for process-manager commands it usually
    /// means "already done" (409).
    Conflict,
    /// The window for this command has passed for good (410).
    Gone,
}

/// Implemented by every aggregate error, for code that handles rejections generically.
pub trait DomainRejection: std::error::Error {
    /// A stable snake_case code, part of the public API (clients switch on it).
    fn code(&self) -> &'static str;
    fn kind(&self) -> RejectionKind;
}
