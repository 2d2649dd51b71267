//! The thresholds projector: the thresholds projection of `tyndau-read-model` (per petition, its
//! public lifecycle and its signature counts — total, by region, by hour) run on the shared
//! projector framework (`tyndau-projection`): a durable consumer, one transaction per batch, ack
//! after commit.

use sqlx::{PgConnection, PgPool};
use tyndau_bus::Bus;
pub use tyndau_projection::RebuildReport;
use tyndau_projection::{BatchOutcome, ProjectedEvent, Projection};
use tyndau_read_model::projections::thresholds;

/// The thresholds projection.
#[derive(Clone, Copy, Debug, Default)]
pub struct Thresholds;

impl Projection for Thresholds {
    const NAME: &'static str = "thresholds";
    const AGGREGATES: &'static [&'static str] = thresholds::AGGREGATES;
    const TABLES: &'static str = thresholds::TABLES;

    async fn apply(
        &self,
        tx: &mut PgConnection,
        events: &[ProjectedEvent],
    ) -> Result<BatchOutcome, sqlx::Error> {
        let applied = thresholds::apply(tx, events).await?;
        Ok(BatchOutcome {
            deferred: applied.deferred,
        })
    }
}

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
