//! Reading the event log in commit order, gap-safely.
//!
//! `global_position` alone is not a safe cursor: positions are taken at insert time, so a
//! transaction can commit after a later position is already visible. Rows are therefore read only
//! from transactions older than the oldest one still running (`pg_snapshot_xmin`), ordered by
//! `(tx_id, global_position)`.

use serde_json::Value;
use sqlx::{PgExecutor, Row};

/// A position in commit order. `(0, 0)` is before everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LogPosition {
    pub tx_id: u64,
    pub global_position: i64,
}

#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub position: LogPosition,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: Value,
    pub metadata: Value,
}

/// Up to `limit` events after `after`, from finished transactions only.
pub async fn read_after<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(executor, after, limit, Visibility::FinishedTransactions).await
}

/// Up to `limit` events after `after` that the caller's snapshot sees, without the in-flight
/// guard: for a REPEATABLE READ transaction (a rebuild), whose snapshot is consistent by itself.
pub async fn read_snapshot_after<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    read(executor, after, limit, Visibility::CallersSnapshot).await
}

#[derive(Clone, Copy)]
enum Visibility {
    FinishedTransactions,
    CallersSnapshot,
}

async fn read<'e>(
    executor: impl PgExecutor<'e>,
    after: LogPosition,
    limit: i64,
    visibility: Visibility,
) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let guard = match visibility {
        Visibility::FinishedTransactions => "AND tx_id < pg_snapshot_xmin(pg_current_snapshot())",
        Visibility::CallersSnapshot => "",
    };
    // Ordered by the xid8 column itself: a bare `tx_id` here would name the text alias, and as
    // text xid 1000 sorts before 999, which replayed and published events out of commit order.
    let sql = format!(
        "SELECT tx_id::text AS tx_text, global_position, aggregate_type, aggregate_id, sequence,
                event_type, event_version, payload, metadata
           FROM events
          WHERE (tx_id, global_position) > ($1::text::xid8, $2) {guard}
          ORDER BY events.tx_id, events.global_position
          LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(after.tx_id.to_string())
        .bind(after.global_position)
        .bind(limit)
        .fetch_all(executor)
        .await?;
    rows.into_iter().map(decode_row).collect()
}

fn decode_row(row: sqlx::postgres::PgRow) -> Result<StoredEvent, sqlx::Error> {
    let tx_text: String = row.try_get("tx_text")?;
    let tx_id = tx_text.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(StoredEvent {
        position: LogPosition {
            tx_id,
            global_position: row.try_get("global_position")?,
        },
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: row.try_get("sequence")?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: row.try_get("payload")?,
        metadata: row.try_get("metadata")?,
    })
}

/// A named checkpoint (the relay's, a projector's) from a `(name, tx_id, global_position)` table.
pub async fn load_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    table: CheckpointTable,
    name: &str,
) -> Result<LogPosition, sqlx::Error> {
    let row: Option<(String, i64)> = sqlx::query_as(&format!(
        "SELECT tx_id::text, global_position FROM {} WHERE {} = $1",
        table.table(),
        table.key()
    ))
    .bind(name)
    .fetch_optional(executor)
    .await?;
    match row {
        None => Ok(LogPosition::default()),
        Some((tx, global_position)) => Ok(LogPosition {
            tx_id: tx.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            global_position,
        }),
    }
}

pub async fn save_checkpoint<'e>(
    executor: impl PgExecutor<'e>,
    table: CheckpointTable,
    name: &str,
    position: LogPosition,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO {table} ({key}, tx_id, global_position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
         ON CONFLICT ({key}) DO UPDATE
            SET tx_id = excluded.tx_id, global_position = excluded.global_position, updated_at = now()
          WHERE ({table}.tx_id, {table}.global_position) < (excluded.tx_id, excluded.global_position)",
        table = table.table(),
        key = table.key()
    ))
    .bind(name)
    .bind(position.tx_id.to_string())
    .bind(position.global_position)
    .execute(executor)
    .await?;
    Ok(())
}

#[derive(Clone, Copy, Debug)]
pub enum CheckpointTable {
    Relay,
    Projector,
}

impl CheckpointTable {
    fn table(self) -> &'static str {
        match self {
            CheckpointTable::Relay => "relay_checkpoint",
            CheckpointTable::Projector => "projector_checkpoint",
        }
    }

    fn key(self) -> &'static str {
        match self {
            CheckpointTable::Relay => "relay",
            CheckpointTable::Projector => "projector",
        }
    }
}
