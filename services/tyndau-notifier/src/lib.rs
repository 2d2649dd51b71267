//! The notifier: the notifications projection of `tyndau-read-model` (subscriptions and the
//! in-app inbox) on the shared projector framework (`tyndau-projection`): a durable JetStream
//! consumer, one transaction per batch, ack after commit. A notification's key is (event,
//! recipient), so a crash between commit and ack, a redelivery or a rebuild never tells anyone
//! twice.
//!
//! Email goes from the outbox the projection fills in the same transaction ([`mail`]); webhook
//! deliveries likewise ([`hooks`]).

pub mod hooks;
pub mod mail;
pub mod settings;

pub use settings::Settings;

use sqlx::{PgConnection, PgPool};
use tyndau_bus::Bus;
pub use tyndau_projection::RebuildReport;
use tyndau_projection::{BatchOutcome, ProjectedEvent, Projection};
use tyndau_read_model::projections::notifications;

#[derive(Clone, Copy, Debug, Default)]
pub struct Notifications;

impl Projection for Notifications {
    const NAME: &'static str = "notifications";
    const AGGREGATES: &'static [&'static str] = notifications::AGGREGATES;
    const TABLES: &'static str = notifications::TABLES;

    async fn apply(
        &self,
        tx: &mut PgConnection,
        events: &[ProjectedEvent],
    ) -> Result<BatchOutcome, sqlx::Error> {
        let applied = notifications::apply(tx, events).await?;
        Ok(BatchOutcome {
            deferred: applied.deferred,
        })
    }
}

/// The live consumer (tests run it in-process).
pub fn projector(pool: PgPool, bus: Bus) -> tyndau_projection::Projector<Notifications> {
    tyndau_projection::Projector::new(Notifications, pool, bus)
}

/// Rebuilds subscriptions and inboxes from the event store (what was read is kept).
pub async fn rebuild(pool: &PgPool) -> Result<RebuildReport, sqlx::Error> {
    tyndau_projection::rebuild(&Notifications, pool).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_the_projection_reads_is_its_own() {
        // The projection skips what its checkpoint covers: the names must agree.
        assert_eq!(<Notifications as Projection>::NAME, notifications::NAME);
    }
}
