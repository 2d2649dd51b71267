//! Persistence for the command side.
//!
//! - Consultations, comments and reactions go through cqrs-es's `CqrsFramework` on postgres-es,
//!   in event-store mode only (its snapshot and aggregate stores apply events twice in 0.5.0);
//!   see [`aggregates`]. Petitions load the same way but commit with their signature gate
//!   ([`petitions`]).
//! - Signatures go through the same `CqrsFramework` API, but on [`SignatureStore`]: its commit
//!   hands the event to a batcher that appends many signatures in one transaction (one WAL flush),
//!   checks the petition's gate under a row lock, and counts them — never one counter update per
//!   signature. Uniqueness is the event store's primary key, not a read-then-write check.

pub mod aggregates;
pub mod closing;
pub mod consultations;
pub mod gate;
pub mod invalidation;
pub mod petitions;
pub mod signatures;

pub use aggregates::{Cqrs, Repository, cqrs};
pub use consultations::{ConsultationStates, unanswered_proposals};
pub use gate::{GateLock, SignatureGate};
pub use petitions::{PetitionCqrs, PetitionRepository, petition_cqrs};
pub use signatures::{
    BatcherSettings, LoadMode, SignatureBatcher, SignatureCqrs, SignatureStore, signature_cqrs,
};

/// A primary-key clash means another command wrote one of these streams first: retry.
pub(crate) fn conflict_or_database<E: std::error::Error>(error: sqlx::Error) -> cqrs_es::AggregateError<E> {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23505") => {
            cqrs_es::AggregateError::AggregateConflict
        }
        _ => cqrs_es::AggregateError::DatabaseConnectionError(Box::new(error)),
    }
}
