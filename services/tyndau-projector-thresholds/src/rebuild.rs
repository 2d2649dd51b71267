//! Rebuilding the read models from the event store (PostgreSQL keeps everything; the stream
//! only covers recent history).
//!
//! The projector's lock is taken on a session first, so every live batch has finished and new
//! ones wait; then one REPEATABLE READ transaction empties the tables and replays the whole log as
//! of its snapshot, through the same `apply_batch` as live consumption. Events after the snapshot
//! reach the live consumer afterwards and apply idempotently, so rebuild equals live.

use sqlx::{Connection, PgPool};
use tyndau_db::eventlog::{self, LogPosition};

use crate::PROJECTOR_LOCK;
use crate::apply::{ProjectedEvent, apply_batch};

#[derive(Debug, Clone, Copy, Default)]
pub struct RebuildReport {
    pub events: usize,
}

const PAGE: i64 = 5_000;

pub async fn rebuild(pool: &PgPool) -> Result<RebuildReport, sqlx::Error> {
    let mut connection = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(PROJECTOR_LOCK)
        .execute(&mut *connection)
        .await?;
    let result = replay(&mut connection).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(PROJECTOR_LOCK)
        .execute(&mut *connection)
        .await;
    let report = result?;
    unlocked?;
    Ok(report)
}

async fn replay(connection: &mut sqlx::PgConnection) -> Result<RebuildReport, sqlx::Error> {
    let mut tx = connection.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "TRUNCATE petition_view, petition_timeline, signature_tally, petition_counts,
                  petition_region_counts, petition_hourly",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM projector_checkpoint WHERE projector = $1")
        .bind(crate::PROJECTOR)
        .execute(&mut *tx)
        .await?;
    let mut cursor = LogPosition::default();
    let mut report = RebuildReport::default();
    loop {
        let page = eventlog::read_snapshot_after(&mut *tx, cursor, PAGE).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        report.events += page.len();
        let events: Vec<ProjectedEvent> = page.into_iter().map(ProjectedEvent::from_store).collect();
        // In commit order every petition event follows its predecessor: nothing is deferred.
        apply_batch(&mut tx, &events).await?;
        cursor = last;
    }
    tx.commit().await?;
    Ok(report)
}
