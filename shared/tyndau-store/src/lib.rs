//! Persistence for the command side.
//!
//! - Petitions, consultations, comments and reactions go through cqrs-es's `CqrsFramework` on
//!   postgres-es, in event-store mode only (its snapshot and aggregate stores apply events twice
//!   in 0.5.0); see [`aggregates`].
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
