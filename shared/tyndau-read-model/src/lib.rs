//! Read-only, typed queries over the read models the projectors maintain.
//!
//! This crate is the public face of the data: every query here applies the visibility rule, so a
//! caller cannot show what the public must not see by forgetting a `WHERE`.
//!
//! - Drafts and submitted petitions are never returned.
//! - Rejected petitions are public, with their reason: refusals are accountable too.
//! - Other petitions are *listed* once they pass the start-up gate (`listed_at` set); before
//!   that they are reachable only by direct link, so authors can gather their first signatures.
//! - The author's pseudonym is never selected.
//!
//! Queries are built at run time (`sqlx::query_as`), so building needs no database.

mod consultation_model;
mod consultations;
mod cursor;
pub mod delivery;
mod disclosure;
pub mod due;
pub mod inbox;
mod invalidations;
mod model;
pub mod office;
mod own;
mod petitions;
pub mod projections;
pub mod schema;
mod signers;
mod stats;
mod web;
pub mod webhooks;

use futures::future::BoxFuture;
use sqlx::PgPool;

pub use consultation_model::*;
pub use consultations::{
    ConsultationFilter, ReportRow, ThreadScope, comment_detail, consultation_detail, diff, draft,
    list_consultations, outcome_report, replies, report_rows, threads,
};
pub use invalidations::{InvalidationEntry, RemovedSignatures, invalidation_candidates};
pub use model::{
    Addressee, Answer, Content, HourlyPoint, HourlySeries, LocalizedString, NextStep, PetitionDates,
    PetitionDetail, PetitionPage, PetitionStatus, PetitionSummary, PetitionTextView, Progress, PublicCount,
    RegionBreakdown, RegionCount, Rejection, SMALL_COUNT, SignatureCount, Stop, Timeline, TimelineEntry,
};
pub use own::{
    OWN_SIGNATURES_LIMIT, OwnComment, OwnComments, OwnPetition, OwnPetitions, OwnSignature, OwnSignatures,
    comments_of, petitions_of, signatures_of,
};
pub use petitions::{ListFilter, PageRequest, Sort};
pub use signers::{ShownSigner, ShownSigners};
pub use stats::{
    BodyActivity, BodyRecord, ConsultationRecord, DailyPoint, PetitionRecord, RegionParticipation,
    body_activity, body_record, participation_by_day, participation_by_region,
};
pub use web::{
    AnsweredPetition, TrendingPetition, consultations_closing_soon, fastest_last_hour, last_hour_window,
    nearest_to_threshold, recently_answered, recently_answered_by,
};

/// Page sizes a caller may ask for; the default when it does not.
pub const MAX_PAGE_SIZE: u32 = 100;
pub const DEFAULT_PAGE_SIZE: u32 = 20;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The client sent a cursor this API did not issue (or issued for another sort order).
    #[error("the page cursor is invalid")]
    InvalidCursor,
    #[error("the read-model query failed")]
    Database(#[from] sqlx::Error),
    /// A projector wrote a value outside the contract: a bug on the write side, not the client's.
    #[error("the read model holds an unexpected {column} value {value:?}")]
    Inconsistent { column: &'static str, value: String },
}

impl ReadError {
    /// Whether the failure is the database being unreachable or saturated (worth a retry), as
    /// opposed to a bug.
    pub fn is_transient(&self) -> bool {
        matches!(self, ReadError::Database(e) if tyndau_db::is_transient(e))
    }
}

/// Runs `read` in one read-only snapshot, for reads that take several statements: a projector
/// commit between two of them would otherwise show, say, a second answer in a proposal's history
/// while the proposal still shows the first as current.
async fn in_snapshot<T>(
    pool: &PgPool,
    read: impl for<'c> FnOnce(&'c mut sqlx::PgConnection) -> BoxFuture<'c, Result<T, ReadError>>,
) -> Result<T, ReadError> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .await?;
    let value = read(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// Publicly listed petitions, filtered and sorted, one keyset page at a time.
pub async fn list_petitions(
    pool: &PgPool,
    filter: &ListFilter,
    page: &PageRequest,
) -> Result<PetitionPage, ReadError> {
    petitions::list(pool, filter, page).await
}

/// A petition reachable by link; `None` when it does not exist or is not public.
pub async fn petition_detail(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
) -> Result<Option<PetitionDetail>, ReadError> {
    petitions::detail(pool, id).await
}

/// The live signature count and progress: the cheap query a petition page polls.
pub async fn petition_count(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
) -> Result<Option<SignatureCount>, ReadError> {
    petitions::count(pool, id).await
}

/// Signatures by region: every region, zero when none signed there.
pub async fn region_breakdown(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
) -> Result<Option<RegionBreakdown>, ReadError> {
    petitions::regions(pool, id).await
}

/// Net signatures per hour of signing, oldest first.
pub async fn hourly_series(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
) -> Result<Option<HourlySeries>, ReadError> {
    petitions::hourly(pool, id).await
}

/// Signatures removed by moderators, with reasons: the public invalidation report.
pub async fn removed_signatures(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
) -> Result<Option<RemovedSignatures>, ReadError> {
    invalidations::removed_signatures(pool, id).await
}

/// Signers who chose to show their name (first name + initial), newest first.
pub async fn shown_signers(
    pool: &PgPool,
    id: tyndau_ids::PetitionId,
    before: Option<time::OffsetDateTime>,
    limit: Option<u32>,
) -> Result<Option<ShownSigners>, ReadError> {
    signers::shown_signers(pool, id, before, limit).await
}

/// The public history of a petition, in event order.
pub async fn timeline(pool: &PgPool, id: tyndau_ids::PetitionId) -> Result<Option<Timeline>, ReadError> {
    petitions::timeline(pool, id).await
}
