//! The consultations projector: the consultations projection of `tyndau-read-model` (catalogue,
//! versions, threads, answers, reactions) run on the shared projector framework
//! (`tyndau-projection`): a durable consumer, one transaction per batch, ack after commit.

use sqlx::{PgConnection, PgPool};
use tyndau_bus::Bus;
pub use tyndau_projection::RebuildReport;
use tyndau_projection::{BatchOutcome, ProjectedEvent, Projection};
use tyndau_read_model::projections::consultations;

#[derive(Clone, Copy, Debug, Default)]
pub struct Consultations;

impl Projection for Consultations {
    const NAME: &'static str = "consultations";
    const AGGREGATES: &'static [&'static str] = consultations::AGGREGATES;
    const TABLES: &'static str = consultations::TABLES;

    async fn apply(
        &self,
        tx: &mut PgConnection,
        events: &[ProjectedEvent],
    ) -> Result<BatchOutcome, sqlx::Error> {
        let applied = consultations::apply(tx, events).await?;
        Ok(BatchOutcome {
            deferred: applied.deferred,
        })
    }
}

/// The live consumer (tests run it in-process).
pub fn projector(pool: PgPool, bus: Bus) -> tyndau_projection::Projector<Consultations> {
    tyndau_projection::Projector::new(Consultations, pool, bus)
}

/// Rebuilds every consultation table from the event store.
pub async fn rebuild(pool: &PgPool) -> Result<RebuildReport, sqlx::Error> {
    tyndau_projection::rebuild(&Consultations, pool).await
}
