//! The thresholds projector: per petition, its public lifecycle (catalogue entry and timeline)
//! and its signature counts — total, by region, by hour.
//!
//! It runs on the shared projector framework (`tyndau-projection`): a durable consumer, one
//! transaction per batch, ack after commit. Counting is idempotent by natural key (one tally row
//! per petition and signer), so redelivery, reordering and replays never count twice; counters
//! are bumped once per batch, never once per signature. Petition events apply in sequence order
//! per petition; a gap is deferred and retried.

mod apply;
mod names;

pub use apply::Thresholds;
use sqlx::PgPool;
use tyndau_bus::Bus;
pub use tyndau_projection::RebuildReport;

/// The live consumer (tests run it in-process).
pub fn projector(pool: PgPool, bus: Bus) -> tyndau_projection::Projector<Thresholds> {
    tyndau_projection::Projector::new(Thresholds, pool, bus)
}

/// Rebuilds every thresholds table from the event store.
pub async fn rebuild(pool: &PgPool) -> Result<RebuildReport, sqlx::Error> {
    tyndau_projection::rebuild(&Thresholds, pool).await
}

/// [`rebuild`] applying `page` events at a time (the result must not depend on it).
pub async fn rebuild_in_pages(pool: &PgPool, page: i64) -> Result<RebuildReport, sqlx::Error> {
    tyndau_projection::rebuild_in_pages(&Thresholds, pool, page).await
}
