//! Rebuilding a projection from the event store (PostgreSQL keeps everything; the stream only
//! covers recent history).
//!
//! The projection's lock is taken on a session first, so every live batch has finished and new
//! ones wait; then one REPEATABLE READ transaction empties the tables and replays the whole log as
//! of its snapshot, through the same `apply` as live consumption. Events after the snapshot reach
//! the live consumer afterwards and apply idempotently, so rebuild equals live.

use sqlx::{Connection, PgPool};
use tyndau_db::eventlog::{self, LogPosition};

use crate::{ProjectedEvent, Projection, apply_batch};

#[derive(Debug, Clone, Copy, Default)]
pub struct RebuildReport {
    pub events: usize,
}

const PAGE: i64 = 5_000;

pub async fn rebuild<P: Projection>(projection: &P, pool: &PgPool) -> Result<RebuildReport, sqlx::Error> {
    rebuild_in_pages(projection, pool, PAGE).await
}

/// [`rebuild`], applying the log `page` events at a time. The result does not depend on `page`
/// (tests check this with pages of a few events, a batching live consumption never has).
pub async fn rebuild_in_pages<P: Projection>(
    projection: &P,
    pool: &PgPool,
    page: i64,
) -> Result<RebuildReport, sqlx::Error> {
    let mut connection = pool.acquire().await?;
    sqlx::query(&format!("SELECT pg_advisory_lock({})", crate::LOCK_KEY))
        .bind(P::NAME)
        .execute(&mut *connection)
        .await?;
    let result = replay(projection, &mut connection, page.max(1)).await;
    let unlocked = sqlx::query(&format!("SELECT pg_advisory_unlock({})", crate::LOCK_KEY))
        .bind(P::NAME)
        .execute(&mut *connection)
        .await;
    let report = result?;
    unlocked?;
    Ok(report)
}

async fn replay<P: Projection>(
    projection: &P,
    connection: &mut sqlx::PgConnection,
    page_size: i64,
) -> Result<RebuildReport, sqlx::Error> {
    let mut tx = connection.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        .execute(&mut *tx)
        .await?;
    sqlx::query(&format!("TRUNCATE {}", P::TABLES))
        .execute(&mut *tx)
        .await?;
    eventlog::delete_checkpoint(&mut *tx, eventlog::CheckpointTable::Projector, P::NAME).await?;
    let mut cursor = LogPosition::default();
    let mut report = RebuildReport::default();
    loop {
        let page = eventlog::read_snapshot_after(&mut *tx, cursor, page_size).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        let events: Vec<ProjectedEvent> = page
            .into_iter()
            .filter(|e| P::AGGREGATES.contains(&e.aggregate_type.as_str()))
            .map(ProjectedEvent::from_store)
            .collect();
        report.events += events.len();
        // In commit order every event follows its predecessor: nothing is deferred.
        apply_batch(projection, &mut tx, &events).await?;
        cursor = last;
    }
    tx.commit().await?;
    Ok(report)
}
