//! The projector framework every read-model service runs on.
//!
//! A [`Projection`] says which aggregates it reads and how a batch changes its tables. The
//! framework does the rest, the same way for every projector:
//! - a durable JetStream pull consumer; each fetched batch is applied in one PostgreSQL
//!   transaction that also saves the checkpoint, and messages are acknowledged only after the
//!   commit (events the projection defers are negatively acknowledged and come back);
//! - an advisory lock per projection, keyed by its name (the same name keys its checkpoint,
//!   so no two projections may share it), so a [`rebuild`] and live batches never interleave;
//! - [`rebuild`]: one REPEATABLE READ transaction empties the tables and replays the whole store
//!   through the same `apply`, so rebuild equals live;
//! - the service shell: health and readiness endpoints, graceful shutdown.
//!
//! Projections must be idempotent by natural key: redelivery and replays happen.

mod consumer;
mod rebuild;
mod service;

use std::future::Future;

use sqlx::PgConnection;

pub use consumer::Projector;
pub use rebuild::{RebuildReport, rebuild, rebuild_in_pages};
pub use service::{ProjectorService, Settings, main};
pub use tyndau_db::projected::ProjectedEvent;

/// What a batch left for later.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// Indexes of events that arrived ahead of their predecessors: retry later.
    pub deferred: Vec<usize>,
}

impl BatchOutcome {
    pub fn defer(&mut self, index: usize) {
        self.deferred.push(index);
    }
}

pub trait Projection: Clone + Send + Sync + 'static {
    /// The durable consumer is `projector-{NAME}`; the checkpoint row and the advisory lock that
    /// serialises batches with rebuilds are keyed by `NAME`.
    const NAME: &'static str;
    /// The aggregate types whose events this projection reads.
    const AGGREGATES: &'static [&'static str];
    /// The tables a rebuild empties first (a comma-separated list for TRUNCATE).
    const TABLES: &'static str;

    /// Applies the events (in commit order, possibly with gaps and repeats) inside `tx`.
    fn apply(
        &self,
        tx: &mut PgConnection,
        events: &[ProjectedEvent],
    ) -> impl Future<Output = Result<BatchOutcome, sqlx::Error>> + Send;
}

/// The advisory lock of the projection named `$1`: the two-key form, whose key space does not
/// overlap the single-key locks (the relay's leader lock), hashed from the name.
const LOCK_KEY: &str = "hashtext('tyndau projection'), hashtext($1)";

/// Applies one batch the way live consumption and rebuilds both do: under the projection's lock,
/// then the checkpoint, in the caller's transaction.
pub async fn apply_batch<P: Projection>(
    projection: &P,
    tx: &mut PgConnection,
    events: &[ProjectedEvent],
) -> Result<BatchOutcome, sqlx::Error> {
    sqlx::query(&format!("SELECT pg_advisory_xact_lock({LOCK_KEY})"))
        .bind(P::NAME)
        .execute(&mut *tx)
        .await?;
    let outcome = projection.apply(tx, events).await?;
    if let Some(last) = events.iter().map(|e| e.position).max() {
        tyndau_db::eventlog::save_checkpoint(
            &mut *tx,
            tyndau_db::eventlog::CheckpointTable::Projector,
            P::NAME,
            last,
        )
        .await?;
    }
    Ok(outcome)
}
