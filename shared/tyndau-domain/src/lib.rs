//! The Tyndau domain: the Petition, Signature, Consultation, Comment and Reaction aggregates and the Kazakhstan rules they apply.
//!
//! Everything here is pure and deterministic: no IO, no clock, no randomness. Every instant
//! arrives inside a command (`at`), and the rules that vary by law or by year (thresholds,
//! periods, holidays, state bodies, populations) are data in [`PetitionServices`], so the same
//! events always replay to the same state and a test states its own world.

pub mod calendar;
pub mod comment;
pub mod consultation;
pub mod directory;
pub mod petition;
pub mod policy;
pub mod privacy;
mod rejection;
pub mod signature;
mod text;

pub use calendar::{CalendarError, KAZAKHSTAN_TIME, WorkingCalendar};
pub use comment::{Comment, CommentCommand, CommentError, Reaction, ReactionCommand};
pub use consultation::{
    Closer, Consultation, ConsultationCommand, ConsultationError, ConsultationLimits, ConsultationPolicy,
    ConsultationServices, ConsultationStatus,
};
pub use directory::{Body, BodyDirectory, BodyNames, DirectoryError};
pub use petition::{Petition, PetitionCommand, PetitionError, PetitionServices, PetitionStatus};
pub use policy::{PetitionPolicy, TextLimits};
pub use privacy::{Privacy, PrivacyCommand, PrivacyError};
pub use rejection::{DomainRejection, RejectionKind};
pub use signature::{
    Signature, SignatureCommand, SignatureError, SignatureServices, SignatureStatus, SigningTerms,
};
pub use text::TextField;
